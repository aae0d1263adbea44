// A few charts computed in the browser from the public API: memories over time per scope, categories, add
// outcomes over time, and the latency of this dashboard's own searches (no endpoint reports search latency).
import { call, searchLatencies } from '../api.js';
import { h, replace, errorBox, formatMs } from '../dom.js';
import { chart } from '../chart.js';

const DAYS = 30;
const MAX_PAGES = 5;

function dayKey(value) {
  return new Date(value).toISOString().slice(0, 10);
}

/** The last `DAYS` days (UTC), oldest first, ending today. */
function lastDays() {
  const days = [];
  const today = new Date();
  for (let i = DAYS - 1; i >= 0; i -= 1) {
    days.push(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10));
  }
  return days;
}

async function memoriesOf(entity) {
  const all = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const answer = await call('POST', '/v3/memories/', { query: { page, page_size: 200 }, body: { filters: { [`${entity.type}_id`]: entity.name } } });
    all.push(...answer.results);
    if (!answer.next) break;
  }
  return all;
}

async function addEvents() {
  const all = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const answer = await call('GET', '/v1/events/', { query: { event_type: 'ADD', page, page_size: 200 } });
    all.push(...answer.results);
    if (!answer.next) break;
  }
  return all;
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function render(main) {
  const body = h('div', { class: 'grid-2' }, h('p', { class: 'loading', text: 'Loading…' }));
  main.append(h('h1', { text: 'Insight' }),
    h('p', { class: 'muted', text: `Computed in this browser from the API: the last ${DAYS} days (UTC), the five largest entities, at most ${MAX_PAGES * 200} memories or add jobs each.` }),
    body);
  const days = lastDays();
  const cards = [];
  try {
    const entities = (await call('GET', '/v1/entities/', { query: { page_size: 200 } })).results
      .sort((a, b) => b.total_memories - a.total_memories).slice(0, 5);
    const perEntity = await Promise.all(entities.map(memoriesOf));

    // Memories over time per scope: how many each entity holds at the end of each day (deleted ones are not counted).
    const series = entities.map((entity, i) => {
      const created = perEntity[i].map((m) => dayKey(m.created_at)).sort();
      let index = created.filter((d) => d < days[0]).length;
      return {
        name: `${entity.type}: ${entity.name}`,
        values: days.map((day) => {
          while (index < created.length && created[index] <= day) index += 1;
          return index;
        }),
      };
    });
    cards.push(entities.length
      ? chart({ title: 'Memories over time per scope', labels: days.map((d) => d.slice(5)), series, kind: 'line' })
      : h('p', { class: 'muted', text: 'No memories yet.' }));

    // Categories across those memories.
    const counts = new Map();
    for (const memory of perEntity.flat()) {
      for (const category of memory.categories ?? []) counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    cards.push(top.length
      ? chart({ title: 'Categories', labels: top.map(([c]) => c), series: [{ name: 'memories', values: top.map(([, n]) => n) }] })
      : h('figure', {}, h('figcaption', {}, h('h3', { text: 'Categories' })), h('p', { class: 'muted', text: 'No categorised memories (the heuristic extractor assigns none).' })));

    // Add outcomes (ADD / UPDATE / DELETE / NONE) per day, from the add jobs' per-memory results.
    const outcomes = ['ADD', 'UPDATE', 'DELETE', 'NONE'];
    const perDay = new Map(days.map((d) => [d, Object.fromEntries(outcomes.map((o) => [o, 0]))]));
    for (const event of await addEvents()) {
      const bucket = perDay.get(dayKey(event.created_at));
      if (!bucket || !Array.isArray(event.results)) continue;
      if (event.status === 'SUCCEEDED' && event.results.length === 0) bucket.NONE += 1;
      for (const result of event.results) {
        const outcome = String(result.event ?? 'NONE').toUpperCase();
        if (outcome in bucket) bucket[outcome] += 1;
      }
    }
    cards.push(chart({
      title: 'Add outcomes per day',
      labels: days.map((d) => d.slice(5)),
      series: outcomes.map((o) => ({ name: o, values: days.map((d) => perDay.get(d)[o]) })),
      kind: 'stacked',
    }));
  } catch (error) {
    cards.push(errorBox(error));
  }

  // Search latency: measured around each search this tab sent (request to parsed answer), kept in session storage.
  const samples = searchLatencies().slice(-50);
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  cards.push(h('figure', {},
    samples.length
      ? chart({ title: 'Search latency (this browser)', labels: samples.map((_, i) => String(i + 1)), series: [{ name: 'ms', values: samples.map((s) => s.ms) }], kind: 'line', unit: ' ms' })
      : h('h3', { text: 'Search latency (this browser)' }),
    h('p', { 'data-testid': 'latency-summary' }, samples.length
      ? `${samples.length} search${samples.length === 1 ? "" : "es"} · median ${formatMs(percentile(sorted, 50))} · p95 ${formatMs(percentile(sorted, 95))}`
      : 'No searches yet in this tab: run some on the Memories page.'),
    h('p', { class: 'muted', text: 'The server reports no search latency, so this is measured here: from sending each search to reading its answer, network included.' })));

  replace(body, cards.map((c) => h('section', { class: 'card' }, c)));
}
