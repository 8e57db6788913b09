// The console's static files, read once at start-up from disk: the page's script and style
// (src/http/console/*.js|css), uPlot from node_modules (served by the worker, no CDN) and the
// runbooks (docs/runbooks/*.md, linked from alerts). A Workers bundle, which has no disk, builds
// the same map from text-module imports instead (wrangler's Text rule); see docs/console.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const MARKDOWN = 'text/markdown; charset=utf-8';

/**
 * Reads every console asset there is. A missing file is left out (its route answers 404, the page
 * shows less) rather than stopping the worker: a risk gate must start without its console's style.
 */
export function readConsoleAssets(): ReadonlyMap<string, { body: string; type: string }> {
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  const uplot = (p: string) => {
    try {
      return createRequire(import.meta.url).resolve(`uplot/dist/${p}`);
    } catch {
      return `missing:uplot/dist/${p}`;
    }
  };
  const files: [string, string, string][] = [
    ['app.js', here('../../http/console/app.js'), JS],
    ['chart.js', here('../../http/console/chart.js'), JS],
    ['controls.js', here('../../http/console/controls.js'), JS],
    ['app.css', here('../../http/console/app.css'), CSS],
    ['tables.css', here('../../http/console/tables.css'), CSS],
    ['api.js', here('../../http/console/api.js'), JS],
    ['uPlot.iife.min.js', uplot('uPlot.iife.min.js'), JS],
    ['uPlot.min.css', uplot('uPlot.min.css'), CSS],
  ];
  const runbooks = here('../../../docs/runbooks/');
  if (existsSync(runbooks))
    for (const f of readdirSync(runbooks).filter((f) => /^[A-Za-z0-9]+\.md$/.test(f)))
      files.push([`runbooks/${f}`, `${runbooks}${f}`, MARKDOWN]);
  return new Map(
    files.map(([name, path, type]) => [name, { body: readFileSync(path, 'utf8'), type }]),
  );
}
