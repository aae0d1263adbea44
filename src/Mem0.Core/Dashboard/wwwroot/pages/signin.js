import { identify, session } from '../api.js';
import { h, field, errorBox, replace } from '../dom.js';
import { navigate } from '../app.js';

export function render(main) {
  const key = h('input', { type: 'password', name: 'key', autocomplete: 'current-password', required: true, spellcheck: 'false', 'data-testid': 'api-key' });
  const status = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', text: 'Sign in' });
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', text: 'Sign in' }),
    h('p', { text: 'Use a project API key to see and manage that project\'s memories, or the admin key to manage projects and keys.' }),
    field('API key or admin key', key, 'Kept in this browser tab only (session storage) and sent only in the Authorization header.'),
    status,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) return;
    submit.disabled = true;
    replace(status, h('p', { class: 'muted', text: 'Checking the key…' }));
    try {
      const { kind, identity } = await identify(value);
      session.save(value, kind, identity);
      key.value = '';
      navigate(kind === 'admin' ? '#/admin' : '#/memories');
    } catch (error) {
      replace(status, errorBox(error));
      key.focus();
    } finally {
      submit.disabled = false;
    }
  });
  main.append(h('section', { class: 'signin' }, form,
    h('p', { class: 'muted center', text: 'Running Mem0.Server locally? Its API key is printed at start (or set with MEM0_API_KEY).' })));
  key.focus();
}
