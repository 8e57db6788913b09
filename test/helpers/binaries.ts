// Finds a Debian-packaged binary (promtool, prometheus, alertmanager, ...). In CI a missing binary
// fails the test with the install line; elsewhere the caller may skip.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Program → Debian package, from scripts/test-programs.txt (the one list; npm test's pretest installs them). */
const DEBIAN_PACKAGE: Record<string, string> = Object.fromEntries(
  readFileSync(new URL('../../scripts/test-programs.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .flatMap((line) => {
      const [programs, pkg] = line.trim().split(/\s+/);
      return programs!.split('|').map((program) => [program, pkg!]);
    }),
);

export function findBinary(...names: string[]): string | undefined {
  for (const name of names) {
    try {
      return (
        execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
      );
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/** The binary's path; throws with how to install it when it is missing. */
export function requireBinary(...names: string[]): string {
  const found = findBinary(...names);
  if (found) return found;
  const pkg = DEBIAN_PACKAGE[names[0]!] ?? names[0];
  throw new Error(
    `${names.join(' or ')} not found: install it with "apt-get install -y ${pkg}" (Debian) or put it on PATH`,
  );
}
