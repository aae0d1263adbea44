// A small SVG chart helper: grouped or stacked bars and lines, colours from the stylesheet (classes s0..s5),
// with a text legend and a visually hidden table so the numbers are there for screen readers too.
import { h } from './dom.js';

const W = 640;
const H = 220;
const PAD = { left: 40, right: 10, top: 10, bottom: 36 };

function svg(tag, attrs, ...children) {
  return h(`svg:${tag}`, attrs, ...children);
}

function niceMax(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return value;
}

/**
 * chart({ title, labels: ['2026-12-01', …], series: [{ name, values: [..] }], kind: 'bar' | 'stacked' | 'line', unit })
 */
export function chart({ title, labels, series, kind = 'bar', unit = '' }) {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(kind === 'stacked' ? Math.max(0, ...totals) : Math.max(0, ...series.flatMap((s) => s.values)));
  const y = (v) => PAD.top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(1, labels.length);
  const parts = [];

  for (let t = 0; t <= 4; t += 1) {
    const value = (max / 4) * t;
    parts.push(svg('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(value), y2: y(value) }));
    parts.push(svg('text', { x: PAD.left - 4, y: y(value) + 4, 'text-anchor': 'end', text: Number.isInteger(value) ? value : value.toFixed(1) }));
  }
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % every === 0) parts.push(svg('text', { x: PAD.left + slot * i + slot / 2, y: H - PAD.bottom + 16, 'text-anchor': 'middle', text: label }));
  });

  if (kind === 'line') {
    series.forEach((s, si) => {
      const points = s.values.map((v, i) => `${PAD.left + slot * i + slot / 2},${y(v ?? 0)}`).join(' ');
      parts.push(svg('polyline', { class: `line s${si % 6}`, points }));
      s.values.forEach((v, i) => parts.push(svg('circle', { class: `s${si % 6}`, cx: PAD.left + slot * i + slot / 2, cy: y(v ?? 0), r: 2.5 })));
    });
  } else if (kind === 'stacked') {
    labels.forEach((_, i) => {
      let base = 0;
      series.forEach((s, si) => {
        const v = s.values[i] ?? 0;
        if (v > 0) {
          parts.push(svg('rect', { class: `s${si % 6}`, x: PAD.left + slot * i + slot * 0.15, width: slot * 0.7, y: y(base + v), height: y(base) - y(base + v) }));
        }
        base += v;
      });
    });
  } else {
    const barW = (slot * 0.8) / Math.max(1, series.length);
    series.forEach((s, si) => s.values.forEach((v, i) => {
      parts.push(svg('rect', { class: `s${si % 6}`, x: PAD.left + slot * i + slot * 0.1 + barW * si, width: barW, y: y(v ?? 0), height: y(0) - y(v ?? 0) }));
    }));
  }

  const figure = h('figure', { class: 'chart-figure' },
    h('figcaption', {}, h('h3', { text: title })),
    svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title }, parts),
    series.length > 1 || series[0]?.name
      ? h('ul', { class: 'legend' }, series.map((s, si) => h('li', {}, h('span', { class: `swatch s${si % 6}` }), s.name)))
      : null,
    h('div', { class: 'visually-hidden' }, h('table', {},
      h('caption', { text: title }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Label' }), series.map((s) => h('th', { scope: 'col', text: s.name || 'value' })))),
      h('tbody', {}, labels.map((label, i) => h('tr', {}, h('th', { scope: 'row', text: label }),
        series.map((s) => h('td', { text: `${s.values[i] ?? 0}${unit}` }))))))));
  return figure;
}
