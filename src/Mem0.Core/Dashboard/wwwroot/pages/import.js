// Upload a JSON file in the import format (docs/jobs.md) and watch the job run to the end.
import { call } from '../api.js';
import { h, field, replace, errorBox, badge } from '../dom.js';
import { eventDetails, progressBar, watchEvent } from './events.js';

/**
 * The file as the import endpoint takes it. The Mem0 CLI's import files are an array of items or a single item, and its
 * --user-id / --agent-id options override the items' ids: a single item is wrapped in an array and the overrides are
 * applied here. Otherwise the file is sent exactly as it is (the server parses and reports invalid items itself).
 */
export function prepare(text, userId, agentId) {
  if (!userId && !agentId) {
    const trimmed = text.trimStart();
    if (!trimmed.startsWith('{')) return text;
    const parsed = JSON.parse(text);
    return Array.isArray(parsed.items) ? text : JSON.stringify([parsed]);
  }
  const parsed = JSON.parse(text);
  const items = Array.isArray(parsed) ? parsed : Array.isArray(parsed?.items) ? parsed.items : [parsed];
  const overridden = items.map((item) => (item && typeof item === 'object' && !Array.isArray(item)
    ? { ...item, ...(userId ? { user_id: userId } : {}), ...(agentId ? { agent_id: agentId } : {}) }
    : item));
  return JSON.stringify(Array.isArray(parsed) || !Array.isArray(parsed?.items) ? overridden : { ...parsed, items: overridden });
}

export function render(main) {
  let stop = null;
  const file = h('input', { type: 'file', accept: 'application/json,.json', required: true, 'data-testid': 'import-file' });
  const infer = h('input', { type: 'checkbox', id: 'import-infer' });
  const userId = h('input', { type: 'text', 'data-testid': 'import-user' });
  const agentId = h('input', { type: 'text' });
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'import-status' });
  const submit = h('button', { type: 'submit', class: 'primary', text: 'Import' });
  const form = h('form', { class: 'card' },
    field('JSON file', file, 'The Mem0 CLI\'s import format: a JSON array of items (or one item, or {"items": [...]}). Each item: "memory" (or "text"/"content"), at least one of user_id, agent_id, app_id, run_id (or the ids below), optional "metadata" and "id".'),
    h('div', { class: 'row' },
      field('User id for every item', userId, 'Optional. Overrides the file\'s user_id, like the CLI\'s --user-id.'),
      field('Agent id for every item', agentId, 'Optional. Overrides the file\'s agent_id, like --agent-id.')),
    h('label', { class: 'check', for: 'import-infer' }, infer, 'Infer (run each item through extraction instead of storing it verbatim)'),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    if (stop) stop();
    submit.disabled = true;
    replace(status, h('p', { class: 'muted', text: `Uploading ${chosen.name}…` }));
    try {
      const text = prepare(await chosen.text(), userId.value.trim(), agentId.value.trim());
      const answer = await call('POST', '/v1/memories/import/', { body: text, query: { infer: infer.checked ? 'true' : 'false' } });
      const view = h('div', {});
      replace(status, h('h2', { text: `Import of ${answer.total} item${answer.total === 1 ? '' : 's'}` }), view);
      stop = watchEvent(answer.event_id, (job, error) => {
        if (error) { replace(view, errorBox(error)); return; }
        replace(view, h('p', {}, badge(job.status)), progressBar(job), eventDetails(job));
      });
    } catch (error) {
      replace(status, errorBox(error));
    } finally {
      submit.disabled = false;
    }
  });
  const example = JSON.stringify([
    { memory: 'Prefers window seats', user_id: 'alice', metadata: { source: 'crm' } },
    { text: 'Allergic to peanuts', user_id: 'alice', id: 'alice-allergy' },
  ], null, 2);
  main.append(h('h1', { text: 'Import' }),
    h('p', { text: 'Imports many memories as one job (POST /v1/memories/import/). Invalid items are listed with their index and reason; the others are imported. Re-running the same file adds nothing twice.' }),
    form, status,
    h('details', { class: 'card' }, h('summary', { text: 'Example file' }), h('pre', { text: example })));
  return () => { if (stop) stop(); };
}
