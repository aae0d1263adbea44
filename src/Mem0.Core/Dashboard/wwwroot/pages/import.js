// Upload a JSON file in the import format (docs/jobs.md) and watch the job run to the end.
import { call } from '../api.js';
import { h, field, replace, errorBox, badge } from '../dom.js';
import { eventDetails, progressBar, watchEvent } from './events.js';

export function render(main) {
  let stop = null;
  const file = h('input', { type: 'file', accept: 'application/json,.json', required: true, 'data-testid': 'import-file' });
  const infer = h('input', { type: 'checkbox', id: 'import-infer' });
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'import-status' });
  const submit = h('button', { type: 'submit', class: 'primary', text: 'Import' });
  const form = h('form', { class: 'card' },
    field('JSON file', file, 'A JSON array of items, or {"items": [...]}. Each item: "memory" (or "text"/"content"), at least one of user_id, agent_id, app_id, run_id, optional "metadata" and "id".'),
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
      const text = await chosen.text();
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
