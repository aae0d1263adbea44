// Shared pieces for jobs (events): the progress bar, the details (results, per-item failures) and polling.
import { call, seg } from '../api.js';
import { h, replace, badge, formatMs, formatDate, json } from '../dom.js';

export const isActive = (event) => event.status === 'PENDING' || event.status === 'RUNNING';

/** Percentage done, or null when the job reports no counts (then the bar is indeterminate). */
export function percent(event) {
  if (event.status === 'SUCCEEDED' || event.status === 'FAILED') return 100;
  const p = event.progress;
  if (p && p.total > 0) return Math.min(100, Math.floor((p.processed / p.total) * 100));
  return null;
}

/** A labelled <progress> with its numbers as text beside it. */
export function progressBar(event) {
  const value = percent(event);
  const p = event.progress;
  const label = p ? `${p.processed} / ${p.total}${p.failed ? `, ${p.failed} failed` : ''}` : event.status.toLowerCase();
  const bar = h('progress', { max: 100, 'aria-label': `Progress of ${event.event_type} ${event.id}`, 'data-testid': 'progress' });
  if (value !== null) bar.value = value;
  return h('div', { class: 'progress-cell' }, bar,
    h('div', { class: 'muted', 'data-testid': 'progress-text', text: `${value === null ? '…' : `${value} %`} · ${label}` }));
}

/** What a finished job produced: the error, the failed items (index and reason) and the per-memory results. */
export function eventDetails(event) {
  const failures = event.progress?.failures ?? [];
  const results = Array.isArray(event.results) ? event.results : [];
  return h('div', { class: 'event-details' },
    event.error ? h('p', { class: 'error', text: event.error }) : null,
    failures.length ? [
      h('h3', { text: `Failed items (${failures.length})` }),
      h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'failures' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num', text: 'Index' }), h('th', { scope: 'col', text: 'Item id' }), h('th', { scope: 'col', text: 'Reason' }))),
        h('tbody', {}, failures.map((f) => h('tr', {}, h('td', { class: 'num', text: f.index }), h('td', { text: f.item_id ?? '—' }), h('td', { text: f.reason }))))))]
      : null,
    results.length ? [
      h('h3', { text: `Results (${results.length})` }),
      h('ul', {}, results.slice(0, 50).map((r) => h('li', {},
        r.event ? badge(r.event) : null, ' ',
        r.id ? h('a', { href: `#/memory/${encodeURIComponent(r.id)}`, text: r.memory ?? r.id }) : h('code', { text: json(r) })))),
      results.length > 50 ? h('p', { class: 'muted', text: `…and ${results.length - 50} more.` }) : null]
      : null,
    h('dl', { class: 'props' },
      h('dt', { text: 'Id' }), h('dd', {}, h('code', { text: event.id })),
      h('dt', { text: 'Started' }), h('dd', { text: formatDate(event.started_at) }),
      h('dt', { text: 'Completed' }), h('dd', { text: formatDate(event.completed_at) }),
      h('dt', { text: 'Latency' }), h('dd', { text: formatMs(event.latency) })));
}

/**
 * Polls GET /v1/event/{id}/ every `intervalMs` until the job finishes, calling onUpdate with each state.
 * Returns a stop function.
 */
export function watchEvent(id, onUpdate, intervalMs = 500) {
  let stopped = false;
  let timer = null;
  async function tick() {
    if (stopped) return;
    try {
      const event = await call('GET', `/v1/event/${seg(id)}/`);
      if (stopped) return;
      onUpdate(event);
      if (!isActive(event)) return;
    } catch (error) {
      if (stopped) return;
      onUpdate(null, error);
    }
    timer = setTimeout(tick, intervalMs);
  }
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

export function statusCell(event) {
  return h('span', { 'data-testid': 'status' }, badge(event.status));
}

export function replaceRow(row, event) {
  replace(row, ...rowCells(event));
}

export function rowCells(event, onDetails) {
  return [
    h('td', { text: event.event_type }),
    h('td', {}, statusCell(event)),
    h('td', {}, progressBar(event)),
    h('td', { class: 'num', text: formatMs(event.latency) }),
    h('td', { class: 'hide-narrow', text: formatDate(event.created_at) }),
    h('td', {}, onDetails ? h('button', { type: 'button', class: 'link', text: 'Details', 'aria-label': `Details of ${event.event_type} ${event.id}`, onclick: onDetails }) : null),
  ];
}
