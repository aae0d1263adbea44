// Element builders. Data only ever reaches the page as text nodes or attribute values (never parsed as HTML), so
// memory text such as "<script>" or "<img onerror>" is shown literally and never parsed as markup.

/**
 * Builds an element: h('button', { class: 'primary', onclick: fn, type: 'button' }, 'Save').
 * Attributes whose name starts with "on" are listeners; `text` sets textContent; null/false attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name === 'value' && 'value' in el) {
      el.value = String(value);
    } else if (name === 'checked' || name === 'disabled' || name === 'selected' || name === 'hidden' || name === 'required' || name === 'multiple') {
      el[name] = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children: nodes as they are, strings and numbers as text nodes, arrays flattened, null skipped. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let uid = 0;
/** A unique element id, for label/for and aria references. */
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled form field: the label is always a real <label for>. */
export function field(label, control, hint) {
  if (!control.id) control.id = nextId();
  const parts = [h('label', { for: control.id, text: label }), control];
  if (hint) {
    const hintId = nextId('hint');
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('small', { id: hintId, class: 'hint', text: hint }));
  }
  return h('div', { class: 'field' }, parts);
}

/** "2026-12-06 14:03" in the browser's time zone, or an em dash. */
export function formatDate(value) {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** A status pill: PENDING / RUNNING / SUCCEEDED / FAILED and friends get their own colour class. */
export function badge(text) {
  const value = String(text ?? '').toUpperCase();
  return h('span', { class: `badge badge-${value.toLowerCase().replace(/[^a-z_]/g, '')}`, text: value });
}

/** A message shown briefly at the bottom of the screen, read by screen readers (role=status). */
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.dataset.kind = kind;
  el.classList.add('visible');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('visible'), 4000);
}

/** An error box for a failed call, focused so keyboard and screen-reader users notice it. */
export function errorBox(error) {
  return h('div', { class: 'error', role: 'alert', text: error?.message ?? String(error) });
}

/**
 * A modal confirmation built on <dialog> (focus trapped and restored by the browser). With `typed`, the confirm
 * button stays disabled until the user types that exact text. Resolves true when confirmed.
 */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', typed = null, danger = true }) {
  return new Promise((resolve) => {
    const confirm = h('button', { type: 'submit', class: danger ? 'danger' : 'primary', text: confirmLabel, disabled: Boolean(typed) });
    const cancel = h('button', { type: 'button', class: 'ghost', text: 'Cancel' });
    const parts = [h('h2', { text: title }), h('p', { text: message })];
    let input = null;
    if (typed) {
      input = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'confirm-text' });
      input.addEventListener('input', () => { confirm.disabled = input.value !== typed; });
      parts.push(field(`Type "${typed}" to confirm`, input));
    }
    const form = h('form', { method: 'dialog' }, parts, h('div', { class: 'actions' }, cancel, confirm));
    const dialog = h('dialog', { class: 'dialog', 'aria-label': title }, form);
    let result = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (typed && input.value !== typed) return;
      result = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); });
    document.body.append(dialog);
    dialog.showModal();
    (input ?? cancel).focus();
  });
}

/** A box showing a secret exactly once, with a copy button. */
export function secretBox(label, secret) {
  const value = h('code', { class: 'secret', 'data-testid': 'secret', text: secret });
  const copy = h('button', {
    type: 'button',
    class: 'ghost',
    text: 'Copy',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        toast('Copied to the clipboard.');
      } catch {
        toast('Copy failed: select the text and copy it by hand.', 'error');
      }
    },
  });
  return h('div', { class: 'secret-box', role: 'region', 'aria-label': label },
    h('p', {}, h('strong', { text: label }), ' — shown this once. Store it now; it cannot be read again.'),
    h('div', { class: 'secret-row' }, value, copy));
}

/** Pretty JSON for display (as text). */
export function json(value) {
  return JSON.stringify(value, null, 2);
}
