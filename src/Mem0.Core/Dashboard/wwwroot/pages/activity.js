// Jobs and events: status, live progress bars (each unfinished job's event is polled), failures and latency.
import { call } from '../api.js';
import { h, field, replace, errorBox } from '../dom.js';
import { eventDetails, isActive, rowCells, watchEvent } from './events.js';

const STATUSES = ['', 'PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'];
const TYPES = ['', 'ADD', 'IMPORT', 'DELETE', 'EXPORT', 'FEEDBACK'];
const filters = { status: '', event_type: '', page: 1 };

export async function render(main) {
  const watchers = new Map();
  const body = h('div', { 'aria-live': 'polite' });
  const detail = h('section', { class: 'card', hidden: true, 'aria-labelledby': 'event-detail-title', tabindex: '-1' });
  const status = h('select', {}, STATUSES.map((s) => h('option', { value: s, text: s || 'any', selected: filters.status === s })));
  const type = h('select', {}, TYPES.map((t) => h('option', { value: t, text: t || 'any', selected: filters.event_type === t })));
  status.addEventListener('change', () => { filters.status = status.value; filters.page = 1; load(); });
  type.addEventListener('change', () => { filters.event_type = type.value; filters.page = 1; load(); });

  function stopAll() {
    for (const stop of watchers.values()) stop();
    watchers.clear();
  }

  function showDetails(event) {
    detail.hidden = false;
    replace(detail, h('div', { class: 'spread' },
      h('h2', { id: 'event-detail-title', text: `${event.event_type} · ${event.status}` }),
      h('button', { type: 'button', class: 'ghost', text: 'Close', onclick: () => { detail.hidden = true; } })),
    eventDetails(event));
    detail.focus();
  }

  async function load() {
    stopAll();
    try {
      const page = await call('GET', '/v1/events/', { query: { status: filters.status, event_type: filters.event_type, page: filters.page, page_size: 25 } });
      if (!page.results.length) {
        replace(body, h('p', { class: 'muted', text: 'No jobs yet. Adds, imports and deletes show up here.' }));
        return;
      }
      const rows = page.results.map((event) => {
        const row = h('tr', { 'data-event-id': event.id }, rowCells(event, () => showDetails(event)));
        if (isActive(event)) {
          watchers.set(event.id, watchEvent(event.id, (latest) => {
            if (latest) replace(row, ...rowCells(latest, () => showDetails(latest)));
          }, 1000));
        }
        return row;
      });
      replace(body, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'events' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: 'Type' }), h('th', { scope: 'col', text: 'Status' }), h('th', { scope: 'col', text: 'Progress' }),
          h('th', { scope: 'col', class: 'num', text: 'Latency' }), h('th', { scope: 'col', class: 'hide-narrow', text: 'Created' }),
          h('th', { scope: 'col', text: '' }))),
        h('tbody', {}, rows))),
      h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', text: 'Previous', disabled: !page.previous, onclick: () => { filters.page -= 1; load(); } }),
        h('span', { text: `Page ${filters.page} of ${Math.max(1, Math.ceil(page.count / 25))} · ${page.count} jobs` }),
        h('button', { type: 'button', text: 'Next', disabled: !page.next, onclick: () => { filters.page += 1; load(); } })));
    } catch (error) {
      replace(body, errorBox(error));
    }
  }

  main.append(
    h('div', { class: 'spread' }, h('h1', { text: 'Activity' }),
      h('div', { class: 'row' }, field('Status', status), field('Type', type),
        h('button', { type: 'button', text: 'Refresh', onclick: load }))),
    h('p', { class: 'muted', text: 'Unfinished jobs update live. Latency is the server\'s, from creation to completion.' }),
    detail, body);
  await load();
  // New jobs appear without a manual refresh; unfinished ones are polled individually in between.
  const refresher = setInterval(() => { if (!watchers.size) load(); }, 5000);
  return () => { clearInterval(refresher); stopAll(); };
}
