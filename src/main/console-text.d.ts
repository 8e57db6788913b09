// The console's static files imported as text by the Workers entry (workers-console-assets.ts):
// wrangler bundles them as strings (wrangler.toml's Text rule).
declare module '*.css' {
  const text: string;
  export default text;
}
declare module '*/console/app.js' {
  const text: string;
  export default text;
}
declare module '*/console/chart.js' {
  const text: string;
  export default text;
}
declare module '*/console/controls.js' {
  const text: string;
  export default text;
}
declare module '*/console/api.js' {
  const text: string;
  export default text;
}
declare module 'uplot/dist/uPlot.iife.min.js' {
  const text: string;
  export default text;
}
