// The console's chart: NAV (USD, left axis) and drawdown (%, right axis) against time, drawn by
// uPlot (served by the worker from node_modules) from GET /console/history for the chosen range,
// redrawn every 30 s and on resize.
'use strict';
(function () {
  const $ = (s) => document.querySelector(s);
  const time = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const usd = (x) =>
    x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // The chart: NAV (USD, left axis) and drawdown (%, right axis) against time.
  let plot;
  let range = '24h';
  async function drawChart() {
    const box = $('#plot');
    const h = await (await fetch(`/console/history?range=${range}`)).json();
    const width = Math.max(280, box.clientWidth);
    const data = [h.time, h.nav, h.drawdown];
    if (plot) return void (plot.setData(data), plot.setSize({ width, height: 260 }));
    if (!window.uPlot) return void (box.textContent = 'Chart library not loaded.');
    plot = new window.uPlot(
      {
        width,
        height: 260,
        data,
        scales: {
          x: { time: true },
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
  for (const b of document.querySelectorAll('[data-range]'))
    b.addEventListener('click', () => {
      range = b.dataset.range;
      for (const x of document.querySelectorAll('[data-range]'))
        x.setAttribute('aria-pressed', String(x === b));
      void drawChart();
    });

  void drawChart();
  setInterval(() => void drawChart(), 30_000);
})();
