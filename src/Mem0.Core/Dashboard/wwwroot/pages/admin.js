// Admin view (admin key): projects and their API keys. A new key is shown once; keys are listed by prefix only.
import { call, seg } from '../api.js';
import { h, field, replace, errorBox, formatDate, confirmDialog, toast, secretBox, badge } from '../dom.js';

let selected = null;

export async function render(main) {
  const projects = h('div', {});
  const keys = h('section', { class: 'card', 'aria-labelledby': 'keys-title' });

  async function loadProjects() {
    try {
      const list = await call('GET', '/v1/admin/projects/');
      if (!selected && list.length) selected = list[0].project_id;
      replace(projects, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'projects' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Project' }), h('th', { scope: 'col', text: 'Id' }),
          h('th', { scope: 'col', class: 'hide-narrow', text: 'Organisation' }), h('th', { scope: 'col', class: 'hide-narrow', text: 'Created' }))),
        h('tbody', {}, list.map((p) => h('tr', {},
          h('td', {}, h('button', {
            type: 'button', class: 'link', text: p.name, 'aria-pressed': String(p.project_id === selected),
            onclick: () => { selected = p.project_id; loadProjects(); loadKeys(); },
          })),
          h('td', {}, h('code', { text: p.project_id })),
          h('td', { class: 'hide-narrow', text: p.org_id }),
          h('td', { class: 'hide-narrow', text: formatDate(p.created_at) })))))));
    } catch (error) {
      replace(projects, errorBox(error));
    }
  }

  async function loadKeys(created) {
    if (!selected) { replace(keys, h('p', { class: 'muted', text: 'Create a project first.' })); return; }
    const name = h('input', { type: 'text', required: true, value: 'dashboard key', 'data-testid': 'key-name' });
    const form = h('form', { class: 'row' }, field('New key name', name), h('button', { type: 'submit', class: 'primary', text: 'Create key' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const answer = await call('POST', `/v1/admin/projects/${seg(selected)}/api-keys/`, { body: { name: name.value.trim() } });
        await loadKeys(answer);
      } catch (error) {
        toast(error.message, 'error');
      }
    });
    let list;
    try {
      list = await call('GET', `/v1/admin/projects/${seg(selected)}/api-keys/`);
    } catch (error) {
      replace(keys, h('h2', { id: 'keys-title', text: 'API keys' }), errorBox(error));
      return;
    }
    replace(keys,
      h('h2', { id: 'keys-title', text: `API keys of ${selected}` }),
      created ? secretBox(`New API key "${created.api_key.name}"`, created.key) : null,
      form,
      list.length ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'api-keys' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Prefix' }),
          h('th', { scope: 'col', text: 'State' }), h('th', { scope: 'col', class: 'hide-narrow', text: 'Created' }), h('th', { scope: 'col', text: '' }))),
        h('tbody', {}, list.map((k) => h('tr', { 'data-key-id': k.id },
          h('td', { text: k.name }),
          h('td', {}, h('code', { text: k.prefix })),
          h('td', {}, k.revoked_at ? badge('revoked') : badge('active')),
          h('td', { class: 'hide-narrow', text: formatDate(k.created_at) }),
          h('td', {}, k.revoked_at ? h('span', { class: 'muted', text: formatDate(k.revoked_at) }) : h('button', {
            type: 'button', class: 'danger', text: 'Revoke', 'aria-label': `Revoke key ${k.name}`,
            onclick: () => revoke(k),
          })))))))
        : h('p', { class: 'muted', text: 'No keys.' }));
  }

  async function revoke(key) {
    const ok = await confirmDialog({
      title: `Revoke key "${key.name}"?`,
      message: `Clients using ${key.prefix} get 401 from now on. This cannot be undone.`,
      confirmLabel: 'Revoke',
    });
    if (!ok) return;
    try {
      await call('DELETE', `/v1/admin/projects/${seg(selected)}/api-keys/${seg(key.id)}/`);
      toast('Key revoked.');
      await loadKeys();
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  const projectName = h('input', { type: 'text', required: true });
  const description = h('input', { type: 'text' });
  const createProject = h('form', { class: 'card' }, h('h2', { text: 'New project' }),
    h('div', { class: 'row' }, field('Name', projectName), field('Description', description),
      h('button', { type: 'submit', class: 'primary', text: 'Create project' })));
  createProject.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const project = await call('POST', '/v1/admin/projects/', { body: { name: projectName.value.trim(), description: description.value.trim() || undefined } });
      selected = project.project_id;
      projectName.value = '';
      description.value = '';
      toast(`Project ${project.name} created.`);
      await loadProjects();
      await loadKeys();
    } catch (error) {
      toast(error.message, 'error');
    }
  });

  main.append(h('h1', { text: 'Projects and API keys' }),
    h('section', { class: 'card', 'aria-label': 'Projects' }, h('h2', { text: 'Projects' }), projects),
    keys, createProject);
  await loadProjects();
  await loadKeys();
}
