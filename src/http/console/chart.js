// The console's chart: NAV (USD, left axis) and drawdown (%, right axis) against time, drawn by
// uPlot (served by the worker from node_modules) from GET /console/history for the chosen range,
// extended by each live snapshot, re-read every 5 minutes, resized with its box.
'use strict';
(function () {
  const $ = (s) => document.querySelector(s);
  const time = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const usd = (x) =>
    x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  let plot;
  let range = '1h';
  /** The x axis: the chosen range, or from the first snapshot when the history is shorter. */
  let bounds = [0, 1];
  async function drawChart() {
    const box = $('#plot');
    const h = await (await fetch(`/console/history?range=${range}`)).json();
    const width = Math.max(280, box.clientWidth);
    const data = [h.time, h.nav, h.drawdown];
    // A worker younger than the range: the axis starts at its first snapshot (at least a minute).
    bounds = [Math.max(h.from, Math.min(h.time[0] ?? h.from, h.to - 60)), h.to];
    if (plot) return void (plot.setData(data), plot.setSize({ width, height: 260 }));
    if (!window.uPlot) return void (box.textContent = 'Chart library not loaded.');
    plot = new window.uPlot(
      {
        width,
        height: 260,
        data,
        scales: {
          x: { time: true, range: () => bounds },
          // A flat or single-point NAV still gets a readable band around it.
          usd: {
            range: (u, min, max) => {
              const pad = Math.max((max - min) * 0.1, Math.abs(max) * 0.0005, 0.01);
              return [min - pad, max + pad];
            },
          },
          dd: { range: (u, min, max) => [0, Math.max(0.01, max || 0)] },
        },
        series: [
          { value: (u, v) => (v == null ? '—' : time(v * 1000)) },
          {
            label: 'NAV USD',
            scale: 'usd',
            stroke: '#1f6feb',
            width: 1.5,
            value: (u, v) => (v == null ? '—' : usd(v)),
          },
          {
            label: 'Drawdown',
            scale: 'dd',
            stroke: '#c62828',
            fill: 'rgba(198,40,40,0.12)',
            width: 1,
            value: (u, v) => (v == null ? '—' : `${(v * 100).toFixed(2)} %`),
          },
        ],
        axes: [
          { space: 70 },
          { scale: 'usd', size: 64, values: (u, vs) => vs.map((v) => v.toLocaleString('en-US')) },
          {
            scale: 'dd',
            side: 1,
            size: 48,
            grid: { show: false },
            values: (u, vs) => vs.map((v) => `${(v * 100).toFixed(1)}%`),
          },
        ],
      },
      data,
      box,
    );
    new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, box.clientWidth), height: 260 }),
    ).observe(box);
  }
  // Between history reads, each live snapshot's NAV and drawdown extend the lines.
  document.addEventListener('ais:snapshot', (e) => {
    const p = e.detail.point;
    if (!plot || !Number.isFinite(p.nav)) return;
    const [t, nav, dd] = plot.data;
    if (t.length && p.time - t[t.length - 1] < 1) return;
    bounds = [t.length ? bounds[0] : Math.max(bounds[0], p.time - 60), p.time];
    plot.setData([
      [...t, p.time],
      [...nav, p.nav],
      [...dd, Number.isFinite(p.drawdown) ? p.drawdown : null],
    ]);
  });
  for (const b of document.querySelectorAll('[data-range]'))
    b.addEventListener('click', () => {
      range = b.dataset.range;
      for (const x of document.querySelectorAll('[data-range]'))
        x.setAttribute('aria-pressed', String(x === b));
      void drawChart();
    });

  void drawChart();
  // Live points extend the lines meanwhile; the sampled history is read again every 5 minutes.
  setInterval(() => void drawChart(), 300_000);
})();
