// One memory: its fields, the history timeline (ADD / UPDATE / DELETE with old and new text), edit and delete.
import { call, seg } from '../api.js';
import { h, field, replace, errorBox, formatDate, confirmDialog, toast, json, badge } from '../dom.js';

export async function render(main, [id]) {
  const back = h('p', {}, h('a', { href: '#/memories', text: '← Memories' }));
  let memory;
  try {
    memory = await call('GET', `/v1/memories/${seg(id)}/`);
  } catch (error) {
    main.append(back, h('h1', { text: 'Memory' }), errorBox(error));
    return;
  }

  const details = h('section', { class: 'card', 'aria-labelledby': 'memory-title' });
  const history = h('section', { class: 'card', 'aria-labelledby': 'history-title' });
  const editor = h('section', { class: 'card', 'aria-labelledby': 'edit-title' });

  function drawDetails() {
    const props = [
      ['Id', h('code', { text: memory.id })],
      ['User', memory.user_id], ['Agent', memory.agent_id], ['App', memory.app_id], ['Run', memory.run_id],
      ['Categories', h('span', { class: 'tags' }, (memory.categories ?? []).map((c) => h('span', { class: 'tag', text: c })))],
      ['Immutable', memory.immutable ? 'yes' : 'no'],
      ['Expires', memory.expiration_date ?? '—'],
      ['Created', formatDate(memory.created_at)],
      ['Updated', formatDate(memory.updated_at)],
      ['Hash', h('code', { text: memory.hash })],
    ].filter(([, v]) => v !== null && v !== undefined && v !== '');
    replace(details,
      h('h2', { id: 'memory-title', class: 'visually-hidden', text: 'Details' }),
      h('p', { class: 'memory-text', 'data-testid': 'memory-text', text: memory.memory }),
      h('dl', { class: 'props' }, props.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
      h('h3', { text: 'Metadata' }),
      h('pre', { 'data-testid': 'memory-metadata', text: memory.metadata ? json(memory.metadata) : '—' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', text: 'Delete memory', onclick: remove })));
  }

  async function drawHistory() {
    replace(history, h('h2', { id: 'history-title', text: 'History' }), h('p', { class: 'loading', text: 'Loading…' }));
    try {
      const entries = await call('GET', `/v1/memories/${seg(id)}/history/`);
      replace(history, h('h2', { id: 'history-title', text: 'History' }),
        entries.length ? h('ol', { class: 'timeline', 'data-testid': 'history' }, entries.map((e) => h('li', {},
          h('div', { class: 'spread' }, badge(e.event), h('span', { class: 'muted', text: `${formatDate(e.created_at)}${e.actor ? ` · ${e.actor}` : ''}` })),
          e.event === 'UPDATE' && e.old_memory !== null
            ? [h('p', { class: 'memory-text old' }, h('span', { class: 'visually-hidden', text: 'Old text: ' }), e.old_memory),
              h('p', { class: 'memory-text' }, h('span', { class: 'visually-hidden', text: 'New text: ' }), e.new_memory ?? '')]
            : h('p', { class: `memory-text${e.event === 'DELETE' ? ' old' : ''}`, text: e.new_memory ?? e.old_memory ?? '' }))))
          : h('p', { class: 'muted', text: 'No history.' }));
    } catch (error) {
      replace(history, h('h2', { id: 'history-title', text: 'History' }), errorBox(error));
    }
  }

  function drawEditor() {
    const text = h('textarea', { 'data-testid': 'edit-text', value: memory.memory });
    const metadata = h('textarea', { class: 'mono', 'data-testid': 'edit-metadata', value: memory.metadata ? json(memory.metadata) : '' });
    const status = h('div', { 'aria-live': 'polite' });
    const form = h('form', {},
      h('h2', { id: 'edit-title', text: 'Edit' }),
      field('Text', text),
      field('Metadata (JSON object; empty keeps it as it is)', metadata, 'Merged as the API merges: the top-level keys you send replace the stored ones; a key removed here stays stored (set it to null to blank it).'),
      status,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Save changes' })));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      if (text.value !== memory.memory) body.text = text.value;
      if (metadata.value.trim()) {
        try {
          const parsed = JSON.parse(metadata.value);
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Metadata must be a JSON object.');
          body.metadata = parsed;
        } catch (error) {
          replace(status, errorBox(error));
          metadata.focus();
          return;
        }
      }
      try {
        memory = await call('PUT', `/v1/memories/${seg(id)}/`, { body });
        replace(status);
        toast('Saved.');
        drawDetails();
        drawEditor();
        await drawHistory();
      } catch (error) {
        replace(status, errorBox(error));
      }
    });
    replace(editor, form);
  }

  async function remove() {
    const ok = await confirmDialog({ title: 'Delete this memory?', message: memory.memory, confirmLabel: 'Delete' });
    if (!ok) return;
    try {
      await call('DELETE', `/v1/memories/${seg(id)}/`);
      toast('Memory deleted.');
      window.location.hash = '#/memories';
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  drawDetails();
  drawEditor();
  main.append(back, h('h1', { text: 'Memory' }), h('div', { class: 'grid-2' }, h('div', {}, details, editor), history));
  await drawHistory();
}
