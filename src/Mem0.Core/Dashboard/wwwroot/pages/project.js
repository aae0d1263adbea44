// Project settings that adds use by default (custom instructions, custom categories) and what the service runs with.
import { call, seg, session } from '../api.js';
import { h, field, replace, errorBox, toast, formatDate } from '../dom.js';

export async function render(main) {
  const identity = session.identity ?? {};
  const path = `/api/v1/orgs/organizations/${seg(identity.org_id)}/projects/${seg(identity.project_id)}/`;
  let project;
  try {
    project = await call('GET', path);
  } catch (error) {
    main.append(h('h1', { text: 'Project' }), errorBox(error));
    return;
  }

  const instructions = h('textarea', { value: project.custom_instructions ?? '', 'data-testid': 'custom-instructions' });
  const agentInstructions = h('textarea', { value: project.agent_custom_instructions ?? '' });
  const rows = (project.custom_categories ?? []).flatMap((item) => Object.entries(item).map(([name, description]) => ({ name, description })));
  const categoryList = h('div', {});
  function drawCategories() {
    replace(categoryList, rows.map((row, index) => {
      const name = h('input', { type: 'text', value: row.name });
      const description = h('input', { type: 'text', value: row.description });
      name.addEventListener('input', () => { row.name = name.value; });
      description.addEventListener('input', () => { row.description = description.value; });
      return h('div', { class: 'row' }, field(`Category ${index + 1}`, name), field(`Description ${index + 1}`, description),
        h('button', { type: 'button', class: 'ghost', text: 'Remove', 'aria-label': `Remove category ${index + 1}`, onclick: () => { rows.splice(index, 1); drawCategories(); } }));
    }), h('button', { type: 'button', class: 'ghost', text: 'Add category', onclick: () => { rows.push({ name: '', description: '' }); drawCategories(); } }));
  }
  drawCategories();

  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card' },
    h('h2', { text: 'Defaults for adds' }),
    field('Custom instructions', instructions, 'Tell extraction what to keep or ignore. Used by every add that sends none of its own.'),
    field('Agent custom instructions', agentInstructions),
    h('fieldset', {}, h('legend', { text: 'Custom categories (replace the built-in ones when set)' }), categoryList),
    status,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Save settings' })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const categories = rows.filter((r) => r.name.trim()).map((r) => ({ [r.name.trim()]: r.description.trim() }));
    try {
      await call('PATCH', path, { body: {
        custom_instructions: instructions.value || null,
        agent_custom_instructions: agentInstructions.value || null,
        custom_categories: categories,
      } });
      replace(status);
      toast('Project settings saved.');
    } catch (error) {
      replace(status, errorBox(error));
    }
  });

  const runtime = identity.runtime;
  const runtimeCard = h('section', { class: 'card', 'aria-labelledby': 'runtime-title' },
    h('h2', { id: 'runtime-title', text: 'What the service runs with' }),
    runtime ? h('dl', { class: 'props', 'data-testid': 'runtime' },
      h('dt', { text: 'Extractor' }), h('dd', { text: runtime.extractor }),
      h('dt', { text: 'Language model' }), h('dd', { text: runtime.chat_model ?? 'none' }),
      h('dt', { text: 'Embedder' }), h('dd', { text: runtime.embedder }),
      h('dt', { text: 'Embedding model' }), h('dd', { text: runtime.embedding_model ?? '—' }))
      : h('p', { class: 'muted', text: 'This server does not report it.' }));

  main.append(h('h1', { text: `Project ${project.name}` }),
    h('section', { class: 'card' }, h('dl', { class: 'props' },
      h('dt', { text: 'Organisation' }), h('dd', {}, h('code', { text: project.org_id })),
      h('dt', { text: 'Project' }), h('dd', {}, h('code', { text: project.project_id })),
      h('dt', { text: 'Owner' }), h('dd', { text: identity.user_email ?? '—' }),
      h('dt', { text: 'Created' }), h('dd', { text: formatDate(project.created_at) }))),
    runtimeCard, form);
}
