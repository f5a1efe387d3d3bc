// The charts page: per service, its connections/s and bytes/s over the chosen window, the service's line and one
// line per real server, drawn with uPlot from the points history.js keeps.

import { byId, el, setText } from './dom.js';
import { bytes, integer, protocolName, serviceAddress } from './format.js';
import { lastSeconds } from './history.js';
import { serverKey, state, subscribe } from './state.js';

const HEIGHT = 220;
/** Tick steps of the y axes: whole numbers only, as rates are counted in whole connections and bytes. */
const STEPS = [1, 2, 5].flatMap((m) => Array.from({ length: 13 }, (_, e) => m * 10 ** e)).sort((a, b) => a - b);
const METRICS = [
  { metric: 'connections', title: 'Connections/s', format: integer },
  { metric: 'bytes', title: 'Bytes/s (in + out)', format: bytes },
];

function palette() {
  const style = getComputedStyle(document.documentElement);
  const colours = [];
  for (let i = 1; i <= 8; i++) colours.push(style.getPropertyValue('--chart-' + i).trim() || '#888');
  return { colours, text: style.getPropertyValue('--text-muted').trim(), grid: style.getPropertyValue('--grid').trim() };
}

/** The series keys of a service: the service itself, then each real server. */
function seriesOf(service) {
  return [
    { key: service.id, label: 'service' },
    ...(service.servers || []).map((s) => ({ key: serverKey(service.id, s.address), label: s.address })),
  ];
}

/** One chart: a figure with its caption (now and peak, also as data attributes) and its uPlot. */
class Chart {
  constructor(service, spec, windowSeconds) {
    this.spec = spec;
    this.series = seriesOf(service);
    this.signature = this.series.map((s) => s.key).join('|');
    this.caption = el('figcaption', {}, spec.title);
    this.plotHolder = el('div', { class: 'plot' });
    this.figure = el('figure', { class: 'chart', 'data-chart': service.id, 'data-metric': spec.metric,
      'data-peak': 0, 'data-now': 0 }, this.caption, this.plotHolder);
    this.windowSeconds = windowSeconds;
    this.plot = null;
  }

  data() {
    const points = lastSeconds(this.windowSeconds);
    return [points.times, ...this.series.map((s) => points.values(s.key, this.spec.metric))];
  }

  /** Draws it once the figure is in the page and has a width. */
  draw() {
    if (this.plot || !this.figure.isConnected || !this.plotHolder.clientWidth) return;
    if (!window.uPlot) {
      setText(this.plotHolder, 'The chart library did not load.');
      return;
    }
    const { colours, text, grid } = palette();
    const format = this.spec.format;
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    this.plot = new window.uPlot({
      width: this.plotHolder.clientWidth,
      height: HEIGHT,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(5, Math.ceil(max * 1.1))] } },
      series: [
        {},
        ...this.series.map((s, i) => ({
          label: s.label,
          stroke: colours[i % colours.length],
          width: i === 0 ? 2.5 : 1.5,
          dash: i === 0 ? [6, 3] : undefined,
          value: (u, v) => (v === null || v === undefined ? '–' : format(v)),
          spanGaps: false,
        })),
      ],
      axes: [axis, { ...axis, size: 60, incrs: STEPS, values: (u, values) => values.map((v) => format(v)) }],
      legend: { live: true },
    }, this.data(), this.plotHolder);
    this.describe();
  }

  update() {
    if (!this.plot) return this.draw();
    this.plot.setData(this.data());
    this.describe();
  }

  /** The caption: what a reader cannot take from the drawing, the latest and highest rate of the service. */
  describe() {
    const values = lastSeconds(this.windowSeconds).values(this.series[0].key, this.spec.metric)
      .filter((v) => v !== null);
    const now = values.length ? values[values.length - 1] : 0;
    const peak = values.length ? Math.max(...values) : 0;
    this.figure.dataset.now = now;
    this.figure.dataset.peak = peak;
    setText(this.caption, this.spec.title + ': now ' + this.spec.format(now) + ', peak ' + this.spec.format(peak));
  }

  resize() {
    if (this.plot && this.plotHolder.clientWidth) {
      this.plot.setSize({ width: this.plotHolder.clientWidth, height: HEIGHT });
    }
  }

  destroy() {
    if (this.plot) this.plot.destroy();
    this.plot = null;
  }
}

export function createCharts() {
  const holder = byId('charts');
  const empty = byId('no-charts');
  const windowSelect = byId('chart-window');
  const cards = new Map(); // service id -> { card, charts, signature }
  let visible = false;

  function windowSeconds() {
    return Number(windowSelect.value) || 600;
  }

  function card(service) {
    const charts = METRICS.map((spec) => new Chart(service, spec, windowSeconds()));
    const title = protocolName(service.protocol) + ' ' + serviceAddress(service);
    const node = el('section', { class: 'chart-card panel', 'data-chart-service': service.id,
      'aria-label': 'Rates of ' + title },
    el('h2', {}, title), el('div', { class: 'chart-pair' }, charts.map((c) => c.figure)));
    return { node, charts, signature: charts[0].signature };
  }

  function render() {
    const services = state.services || [];
    const wanted = new Set(services.map((s) => s.id));
    for (const [id, c] of cards) {
      if (!wanted.has(id)) {
        c.charts.forEach((chart) => chart.destroy());
        cards.delete(id);
      }
    }
    const nodes = services.map((service) => {
      let c = cards.get(service.id);
      const signature = seriesOf(service).map((s) => s.key).join('|');
      if (!c || c.signature !== signature) {
        if (c) c.charts.forEach((chart) => chart.destroy());
        c = card(service);
        cards.set(service.id, c);
      }
      return c.node;
    });
    holder.replaceChildren(...nodes);
    empty.hidden = services.length > 0;
    if (visible) eachChart((chart) => chart.draw());
  }

  function eachChart(fn) {
    for (const c of cards.values()) c.charts.forEach(fn);
  }

  windowSelect.addEventListener('change', () => {
    eachChart((chart) => {
      chart.windowSeconds = windowSeconds();
      chart.update();
    });
  });
  new ResizeObserver(() => {
    if (visible) eachChart((chart) => chart.resize());
  }).observe(holder);

  subscribe('services', render);
  subscribe('stats', () => {
    if (visible) eachChart((chart) => chart.update());
  });

  return {
    show() {
      visible = true;
      render();
      eachChart((chart) => chart.update());
    },
    hide() {
      visible = false;
    },
  };
}
