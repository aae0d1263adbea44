// Browse by entity, search with a filter builder, paginate. State survives a visit to a memory's detail page.
import { call, search, seg } from '../api.js';
import { h, field, replace, errorBox, formatDate, formatMs, confirmDialog, toast } from '../dom.js';

const TYPES = ['user', 'agent', 'app', 'run'];
const state = {
  scope: null, // { type, name }
  query: '',
  categories: '',
  metadata: [{ key: '', value: '' }],
  from: '',
  to: '',
  page: 1,
  pageSize: 25,
  topK: 25,
};

/** The filters of the current state, in the contract's grammar (an AND of conditions). */
export function buildFilters(s = state) {
  const and = [];
  if (s.scope) and.push({ [`${s.scope.type}_id`]: s.scope.name });
  else and.push({ OR: TYPES.map((t) => ({ [`${t}_id`]: '*' })) });
  const categories = s.categories.split(',').map((c) => c.trim()).filter(Boolean);
  if (categories.length) and.push({ categories: { in: categories } });
  for (const { key, value } of s.metadata) {
    if (key.trim()) and.push({ [`metadata.${key.trim()}`]: value });
  }
  if (s.from) and.push({ created_at: { gte: `${s.from}T00:00:00Z` } });
  if (s.to) and.push({ created_at: { lte: `${s.to}T23:59:59Z` } });
  return { AND: and };
}

export async function render(main) {
  const entityList = h('ul', { class: 'entities', 'aria-label': 'Entities' });
  const entityTotals = h('p', { class: 'muted' });
  const results = h('div', { 'aria-live': 'polite' });
  const scopeLine = h('div', { class: 'spread' });

  async function loadEntities() {
    try {
      const page = await call('GET', '/v1/entities/', { query: { page_size: 200 } });
      entityTotals.textContent = `${page.total_users} users · ${page.total_agents} agents · ${page.total_apps} apps · ${page.total_runs} runs`;
      const items = [h('li', {}, h('button', {
        type: 'button', 'aria-pressed': String(!state.scope), onclick: () => select(null),
      }, h('span', { text: 'All memories' })))];
      for (const entity of page.results) {
        const selected = state.scope && state.scope.type === entity.type && state.scope.name === entity.name;
        items.push(h('li', {}, h('button', {
          type: 'button',
          'aria-pressed': String(Boolean(selected)),
          'data-testid': `entity-${entity.type}-${entity.name}`,
          onclick: () => select({ type: entity.type, name: entity.name }),
        }, h('span', {}, h('span', { class: 'tag', text: entity.type }), ' ', entity.name),
        h('span', { class: 'count', text: entity.total_memories, 'aria-label': `${entity.total_memories} memories` }))));
      }
      replace(entityList, items);
    } catch (error) {
      replace(entityList, h('li', {}, errorBox(error)));
    }
  }

  function select(scope) {
    state.scope = scope;
    state.page = 1;
    scopeType.value = scope?.type ?? 'user';
    scopeName.value = scope?.name ?? '';
    loadEntities();
    load();
  }

  // Filter builder.
  const scopeType = h('select', {}, TYPES.map((t) => h('option', { value: t, text: t, selected: state.scope?.type === t })));
  const scopeName = h('input', { type: 'text', value: state.scope?.name ?? '', placeholder: 'all', 'data-testid': 'scope-id' });
  const query = h('input', { type: 'search', value: state.query, placeholder: 'Empty: list, newest first', 'data-testid': 'query' });
  const categories = h('input', { type: 'text', value: state.categories, placeholder: 'food, travel' });
  const from = h('input', { type: 'date', value: state.from });
  const to = h('input', { type: 'date', value: state.to });
  const metadataRows = h('div', {});
  function drawMetadata() {
    replace(metadataRows, state.metadata.map((row, index) => {
      const key = h('input', { type: 'text', value: row.key, placeholder: 'key (a.b for nested)' });
      const value = h('input', { type: 'text', value: row.value, placeholder: 'value' });
      key.addEventListener('input', () => { row.key = key.value; });
      value.addEventListener('input', () => { row.value = value.value; });
      return h('div', { class: 'row' },
        field(`Metadata key ${index + 1}`, key),
        field(`Value ${index + 1}`, value),
        h('button', {
          type: 'button', class: 'ghost', text: 'Remove', 'aria-label': `Remove metadata condition ${index + 1}`,
          onclick: () => { state.metadata.splice(index, 1); if (!state.metadata.length) state.metadata.push({ key: '', value: '' }); drawMetadata(); },
        }));
    }));
  }
  drawMetadata();

  const form = h('form', { class: 'card', 'aria-label': 'Search and filters' },
    h('div', { class: 'row' },
      field('Search', query, 'The default search (semantic + keyword). Leave empty to list.'),
      field('Entity type', scopeType),
      field('Entity id', scopeName)),
    h('details', {},
      h('summary', { text: 'More filters: categories, metadata, dates' }),
      h('div', { class: 'row' },
        field('Categories (any of)', categories),
        field('Created from', from),
        field('Created to', to)),
      h('fieldset', {}, h('legend', { text: 'Metadata equals' }), metadataRows,
        h('button', { type: 'button', class: 'ghost', text: 'Add metadata condition', onclick: () => { state.metadata.push({ key: '', value: '' }); drawMetadata(); } }))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: 'Search' }),
      h('button', { type: 'button', class: 'ghost', text: 'Reset', onclick: () => {
        Object.assign(state, { scope: null, query: '', categories: '', metadata: [{ key: '', value: '' }], from: '', to: '', page: 1 });
        query.value = ''; categories.value = ''; from.value = ''; to.value = ''; scopeName.value = '';
        drawMetadata(); loadEntities(); load();
      } })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.query = query.value.trim();
    state.categories = categories.value;
    state.from = from.value;
    state.to = to.value;
    state.scope = scopeName.value.trim() ? { type: scopeType.value, name: scopeName.value.trim() } : null;
    state.page = 1;
    loadEntities();
    load();
  });

  async function load() {
    replace(results, h('p', { class: 'loading', text: 'Loading…' }));
    drawScopeLine();
    try {
      const filters = buildFilters();
      if (state.query) {
        const { results: found, ms } = await search({ query: state.query, filters, top_k: state.topK });
        replace(results,
          h('p', { class: 'muted', 'data-testid': 'result-count', text: `${found.length} result${found.length === 1 ? '' : 's'} in ${formatMs(ms)} (measured in this browser)` }),
          table(found, true),
          found.length >= state.topK
            ? h('button', { type: 'button', class: 'ghost', text: 'Show more', onclick: () => { state.topK += 25; load(); } })
            : null);
      } else {
        const page = await call('POST', '/v3/memories/', { query: { page: state.page, page_size: state.pageSize }, body: { filters } });
        const pages = Math.max(1, Math.ceil(page.count / state.pageSize));
        replace(results,
          h('p', { class: 'muted', 'data-testid': 'result-count', text: `${page.count} memor${page.count === 1 ? 'y' : 'ies'}` }),
          table(page.results, false),
          h('nav', { class: 'pager', 'aria-label': 'Pages' },
            h('button', { type: 'button', text: 'Previous', disabled: !page.previous, onclick: () => { state.page -= 1; load(); } }),
            h('span', { text: `Page ${state.page} of ${pages}` }),
            h('button', { type: 'button', text: 'Next', disabled: !page.next, onclick: () => { state.page += 1; load(); } })));
      }
    } catch (error) {
      replace(results, errorBox(error));
    }
  }

  function drawScopeLine() {
    const scope = state.scope;
    replace(scopeLine,
      h('h2', { text: scope ? `${scope.type}: ${scope.name}` : 'All memories' }),
      scope ? h('button', { type: 'button', class: 'danger', text: `Delete all memories of this ${scope.type}`, onclick: () => deleteEntity(scope) }) : null);
  }

  async function deleteEntity(scope) {
    const ok = await confirmDialog({
      title: `Delete every memory of ${scope.type} "${scope.name}"?`,
      message: 'This deletes all of this entity\'s memories (their history keeps DELETE entries). It cannot be undone.',
      confirmLabel: 'Delete all',
      typed: scope.name,
    });
    if (!ok) return;
    try {
      const answer = await call('DELETE', `/v2/entities/${seg(scope.type)}/${seg(scope.name)}/`);
      toast(`Deleting: event ${answer.event_id ?? ''}. Follow it on the Activity page.`);
      select(null);
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  main.append(
    h('h1', { text: 'Memories' }),
    h('div', { class: 'grid' },
      h('aside', { class: 'card', 'aria-labelledby': 'entities-title' },
        h('h2', { id: 'entities-title', text: 'Entities' }), entityTotals, entityList),
      h('section', { 'aria-label': 'Results' }, form, scopeLine, results)));
  await loadEntities();
  await load();
}

function scopeOf(memory) {
  return TYPES.map((t) => memory[`${t}_id`] ? `${t}: ${memory[`${t}_id`]}` : null).filter(Boolean).join(' · ');
}

function table(memories, withScore) {
  if (!memories.length) return h('p', { class: 'muted', text: 'No memories match.' });
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'memories' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'Memory' }),
      h('th', { scope: 'col', class: 'hide-narrow', text: 'Scope' }),
      h('th', { scope: 'col', class: 'hide-narrow', text: 'Categories' }),
      h('th', { scope: 'col', text: 'Created' }),
      withScore ? h('th', { scope: 'col', class: 'num', text: 'Score' }) : null)),
    h('tbody', {}, memories.map((m) => h('tr', {},
      h('td', {}, h('a', { href: `#/memory/${encodeURIComponent(m.id)}`, class: 'memory-text', text: m.memory })),
      h('td', { class: 'hide-narrow', text: scopeOf(m) }),
      h('td', { class: 'hide-narrow' }, h('span', { class: 'tags' }, (m.categories ?? []).map((c) => h('span', { class: 'tag', text: c })))),
      h('td', { text: formatDate(m.created_at) }),
      withScore ? h('td', { class: 'num', text: typeof m.score === 'number' ? m.score.toFixed(3) : '—' }) : null)))));
}
