// Webhooks of the signed-in project: list, create (secret shown once), edit, enable/disable, delete, deliveries.
import { call, seg, session } from '../api.js';
import { h, field, replace, errorBox, formatDate, confirmDialog, toast, secretBox, badge } from '../dom.js';

const EVENT_TYPES = ['memory_add', 'memory_update', 'memory_delete', 'memory_categorize',
  'ingest_job_completed', 'ingest_job_partially_completed', 'ingest_job_failed', 'ingest_job_cancelled'];

function eventTypeBoxes(chosen) {
  const boxes = EVENT_TYPES.map((type) => {
    const box = h('input', { type: 'checkbox', value: type, checked: chosen.includes(type) });
    return { type, box, label: h('label', { class: 'check' }, box, type) };
  });
  return { element: h('fieldset', {}, h('legend', { text: 'Event types' }), boxes.map((b) => b.label)), selected: () => boxes.filter((b) => b.box.checked).map((b) => b.type) };
}

function webhookForm({ title, webhook, submitLabel, onSubmit }) {
  const name = h('input', { type: 'text', required: true, value: webhook?.name ?? '', 'data-testid': 'webhook-name' });
  const url = h('input', { type: 'url', required: true, value: webhook?.url ?? '', placeholder: 'https://example.com/hooks/mem0', 'data-testid': 'webhook-url' });
  const types = eventTypeBoxes(webhook?.event_types ?? ['memory_add', 'memory_update', 'memory_delete']);
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {}, h('h2', { text: title }),
    h('div', { class: 'row' }, field('Name', name), field('URL (public https)', url)),
    types.element, status,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: submitLabel })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await onSubmit({ name: name.value.trim(), url: url.value.trim(), event_types: types.selected() });
      replace(status);
    } catch (error) {
      replace(status, errorBox(error));
    }
  });
  return form;
}

export async function render(main) {
  const projectId = session.identity?.project_id;
  const list = h('div', {});
  const panel = h('section', { class: 'card', 'aria-live': 'polite' });

  async function load() {
    try {
      const hooks = await call('GET', `/api/v1/webhooks/projects/${seg(projectId)}/`);
      replace(list, hooks.length ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'webhooks' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'URL' }),
          h('th', { scope: 'col', text: 'State' }), h('th', { scope: 'col', class: 'hide-narrow', text: 'Events' }), h('th', { scope: 'col', text: 'Actions' }))),
        h('tbody', {}, hooks.map((w) => h('tr', {},
          h('td', { text: w.name }),
          h('td', { class: 'memory-text', text: w.url }),
          h('td', {}, w.is_active ? badge('active') : badge('disabled'),
            w.disabled_reason ? h('div', { class: 'muted', text: w.disabled_reason }) : null,
            w.consecutive_failures ? h('div', { class: 'muted', text: `${w.consecutive_failures} failures in a row` }) : null),
          h('td', { class: 'hide-narrow', text: (w.event_types ?? []).join(', ') }),
          h('td', {}, h('div', { class: 'actions' },
            h('button', { type: 'button', text: 'Deliveries', onclick: () => deliveries(w) }),
            h('button', { type: 'button', text: 'Edit', onclick: () => edit(w) }),
            h('button', { type: 'button', text: w.is_active ? 'Disable' : 'Enable', onclick: () => toggle(w) }),
            h('button', { type: 'button', class: 'danger', text: 'Delete', onclick: () => remove(w) }))))))))
        : h('p', { class: 'muted', text: 'No webhooks yet.' }));
    } catch (error) {
      replace(list, errorBox(error));
    }
  }

  function create() {
    replace(panel, webhookForm({
      title: 'New webhook',
      submitLabel: 'Create webhook',
      onSubmit: async (body) => {
        const created = await call('POST', `/api/v1/webhooks/projects/${seg(projectId)}/`, { body });
        replace(panel, h('h2', { text: `Webhook "${created.name}" created` }),
          created.secret ? secretBox('Signing secret', created.secret) : null,
          h('p', { class: 'muted', text: 'Verify each delivery\'s Mem0-Signature header with this secret (docs/webhooks.md).' }),
          h('button', { type: 'button', text: 'Create another', onclick: create }));
        await load();
      },
    }));
  }

  function edit(webhook) {
    replace(panel, webhookForm({
      title: `Edit "${webhook.name}"`,
      webhook,
      submitLabel: 'Save',
      onSubmit: async (body) => {
        await call('PUT', `/api/v1/webhooks/${seg(webhook.webhook_id)}/`, { body });
        toast('Webhook saved.');
        create();
        await load();
      },
    }));
    panel.querySelector('input')?.focus();
  }

  async function toggle(webhook) {
    try {
      await call('PUT', `/api/v1/webhooks/${seg(webhook.webhook_id)}/`, { body: { is_active: !webhook.is_active } });
      toast(webhook.is_active ? 'Webhook disabled.' : 'Webhook enabled.');
      await load();
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  async function remove(webhook) {
    if (!await confirmDialog({ title: `Delete webhook "${webhook.name}"?`, message: 'Its pending deliveries are dropped.', confirmLabel: 'Delete' })) return;
    try {
      await call('DELETE', `/api/v1/webhooks/${seg(webhook.webhook_id)}/`);
      toast('Webhook deleted.');
      create();
      await load();
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  async function deliveries(webhook) {
    replace(panel, h('h2', { text: `Deliveries of "${webhook.name}"` }), h('p', { class: 'loading', text: 'Loading…' }));
    try {
      const rows = await call('GET', `/api/v1/webhooks/${seg(webhook.webhook_id)}/deliveries/`, { query: { limit: 50 } });
      replace(panel, h('h2', { text: `Deliveries of "${webhook.name}"` }),
        rows.length ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'deliveries' },
          h('thead', {}, h('tr', {}, ['Event', 'Status', 'Attempts', 'Response', 'Last error', 'Updated', ''].map((t) => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, rows.map((d) => h('tr', {},
            h('td', { text: d.event_type }),
            h('td', {}, badge(d.status)),
            h('td', { class: 'num', text: d.attempts }),
            h('td', { class: 'num', text: d.response_code ?? '—' }),
            h('td', { class: 'memory-text', text: d.last_error ?? '—' }),
            h('td', { text: formatDate(d.updated_at) }),
            h('td', {}, d.can_redeliver ? h('button', {
              type: 'button', text: 'Redeliver',
              onclick: async () => {
                try {
                  await call('POST', `/api/v1/webhooks/${seg(webhook.webhook_id)}/deliveries/${seg(d.delivery_id)}/redeliver/`);
                  toast('Redelivery queued.');
                  deliveries(webhook);
                } catch (error) { toast(error.message, 'error'); }
              },
            }) : null))))))
          : h('p', { class: 'muted', text: 'No deliveries recorded yet (queued ones appear after their first attempt).' }),
        h('button', { type: 'button', text: 'New webhook', onclick: create }));
    } catch (error) {
      replace(panel, errorBox(error));
    }
  }

  main.append(h('h1', { text: 'Webhooks' }),
    h('p', { class: 'muted', text: 'Signed, at-least-once notifications of memory changes. Endpoints that keep failing are disabled; enabling one again does not replay what it missed (redeliver those).' }),
    h('section', { class: 'card', 'aria-label': 'Webhooks' }, list), panel);
  create();
  await load();
}
