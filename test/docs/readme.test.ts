// The README is a front page: at most 250 lines, a layout that lists every folder of src/ (and no
// folder that is gone), and links that lead somewhere inside this repository. The same link rule
// holds for docs/ and the changelog.
import { describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dir, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every directory under `dir`, recursively, as repo paths (`src/domain/risk`). */
function folders(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [`${dir}/${e.name}`, ...folders(`${dir}/${e.name}`)]);
}

/** Every Markdown file under `dir`, recursively, as repo paths. */
function markdown(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? markdown(`${dir}/${e.name}`)
      : e.name.endsWith('.md')
        ? [`${dir}/${e.name}`]
        : [],
  );
}

/** The lines of the README section under `## title`, up to the next `## `. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`## ${title}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Link targets of a Markdown text, code spans and fenced blocks left out. */
function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)));
}

/** What is wrong with one link of `file` (a repo path), or null when it leads somewhere real. */
function brokenLink(file: string, target: string): string | null {
  if (/^(https?|mailto):/.test(target)) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/'))
    return 'not a relative link or a web address';
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const abs = path === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), decodeURI(path));
  const inside = relative(ROOT, abs);
  if (inside.startsWith('..') || inside.startsWith(sep)) return 'points outside the repository';
  if (!existsSync(abs)) return 'no such file';
  if (anchor !== undefined && statSync(abs).isFile() && abs.endsWith('.md')) {
    if (!anchors(abs).has(anchor)) return `no heading #${anchor}`;
  }
  return null;
}

describe('README', () => {
  test('is a front page of at most 250 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(250);
  });

  test('has the two commands', () => {
    expect(README).toContain('npm install && npm start');
    expect(README).toContain('npm test');
  });

  test('lists exactly the folders of src/ in its layout, each with a line saying what it holds', () => {
    const listed = section(README, 'Layout')
      .map((l) => /^\s+(src\/\S+?)\/?\s+(\S.*)$/.exec(l))
      .filter((m) => m !== null);
    const paths = listed.map((m) => m[1]!);
    expect(paths.length).toBe(new Set(paths).size);
    expect([...paths].sort()).toEqual(folders('src').sort());
    for (const m of listed) expect(m[2]!.length).toBeGreaterThan(10);
  });
});

describe('links in the README, CHANGELOG.md and docs/', () => {
  const files = ['README.md', 'CHANGELOG.md', ...markdown('docs')];

  test('every relative link resolves to a file or folder in the repository', () => {
    const broken = files.flatMap((file) =>
      links(readFileSync(join(ROOT, file), 'utf8'))
        .map((target) => ({ file, target, problem: brokenLink(file, target) }))
        .filter((l) => l.problem !== null),
    );
    expect(broken).toEqual([]);
  });

  test('nothing names a path outside the repository', () => {
    const outside = files.filter((file) =>
      /\.\.\/shared|\/work\/|\/tmp\//.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(outside).toEqual([]);
  });

  test('the link check refuses what it should', () => {
    expect(brokenLink('README.md', '../shared/spec/product.md')).toBe(
      'points outside the repository',
    );
    expect(brokenLink('README.md', 'docs/nowhere.md')).toBe('no such file');
    expect(brokenLink('README.md', 'docs/risk.md#no-such-heading')).toBe(
      'no heading #no-such-heading',
    );
    expect(brokenLink('README.md', '/etc/passwd')).toBe('not a relative link or a web address');
    expect(brokenLink('README.md', 'docs/risk.md#margin-and-liquidation')).toBeNull();
  });
});
