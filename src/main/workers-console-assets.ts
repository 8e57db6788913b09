// The console's static files in a Workers bundle: imported as text (wrangler.toml's Text rule on
// these paths; types in console-text.d.ts), since an isolate has no file system to read them from.
// The other runtimes read the same files at start-up (src/adapters/console/read-assets.ts). The
// runbooks are not bundled: an alert's runbook link answers 404 on the edge.
import uplotCss from 'uplot/dist/uPlot.min.css';
import uplotJs from 'uplot/dist/uPlot.iife.min.js';
import apiJs from '../http/console/api.js';
import appCss from '../http/console/app.css';
import appJs from '../http/console/app.js';
import chartJs from '../http/console/chart.js';
import controlsJs from '../http/console/controls.js';
import tablesCss from '../http/console/tables.css';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Name → body and content type, as AppDeps.console.assets. */
export const consoleAssets: ReadonlyMap<string, { body: string; type: string }> = new Map([
  ['app.js', { body: appJs, type: JS }],
  ['chart.js', { body: chartJs, type: JS }],
  ['controls.js', { body: controlsJs, type: JS }],
  ['api.js', { body: apiJs, type: JS }],
  ['app.css', { body: appCss, type: CSS }],
  ['tables.css', { body: tablesCss, type: CSS }],
  ['uPlot.iife.min.js', { body: uplotJs, type: JS }],
  ['uPlot.min.css', { body: uplotCss, type: CSS }],
]);
