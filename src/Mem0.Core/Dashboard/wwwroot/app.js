// Layout, theme and hash routing (#/memories, #/memory/<id>, …). Each page is a module exporting
// render(main, params) that may return a cleanup function (to stop its polling when the user leaves).
import { session } from './api.js';
import { h, replace, errorBox } from './dom.js';

const projectPages = [
  { path: 'memories', label: 'Memories', module: './pages/memories.js' },
  { path: 'activity', label: 'Activity', module: './pages/activity.js' },
  { path: 'import', label: 'Import', module: './pages/import.js' },
  { path: 'insight', label: 'Insight', module: './pages/insight.js' },
  { path: 'webhooks', label: 'Webhooks', module: './pages/webhooks.js' },
  { path: 'project', label: 'Project', module: './pages/project.js' },
];
const adminPages = [{ path: 'admin', label: 'Projects & keys', module: './pages/admin.js' }];
const hiddenPages = [
  { path: 'memory', module: './pages/memory.js', parent: 'memories' },
  { path: 'signin', module: './pages/signin.js' },
];

let cleanup = null;
let renderCount = 0;

function pagesFor(kind) {
  return kind === 'admin' ? adminPages : kind === 'project' ? projectPages : [];
}

function parseHash() {
  const [path, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
  return { path: path || '', params: rest.map((p) => decodeURIComponent(p)) };
}

function renderChrome(activePath) {
  const pages = pagesFor(session.kind);
  const nav = document.getElementById('nav');
  replace(nav, pages.length
    ? h('ul', {}, pages.map((page) => h('li', {},
      h('a', { href: `#/${page.path}`, 'aria-current': page.path === activePath ? 'page' : null, text: page.label }))))
    : null);
  const who = document.getElementById('who');
  const identity = session.identity;
  who.textContent = session.kind === 'admin' ? 'Admin' : identity ? `${identity.project_id}` : '';
  document.getElementById('sign-out').hidden = !session.signedIn;
}

async function route() {
  const { path, params } = parseHash();
  const allowed = pagesFor(session.kind);
  let page;
  if (!session.signedIn) {
    page = hiddenPages.find((p) => p.path === 'signin');
  } else {
    page = [...allowed, ...hiddenPages.filter((p) => p.parent && allowed.some((a) => a.path === p.parent))]
      .find((p) => p.path === path);
    if (!page) {
      window.location.replace(`#/${allowed[0].path}`);
      return;
    }
  }

  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  renderChrome(page.parent ?? page.path);
  const main = document.getElementById('main');
  const ticket = ++renderCount;
  replace(main, h('p', { class: 'loading', text: 'Loading…' }));
  try {
    const module = await import(page.module);
    if (ticket !== renderCount) return;
    replace(main);
    cleanup = await module.render(main, params);
  } catch (error) {
    if (ticket === renderCount) replace(main, errorBox(error));
  }
  // Move focus to the new page's heading, so keyboard and screen-reader users start at the top of it.
  if (ticket === renderCount && renderCount > 1) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    }
  }
}

function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  const effective = theme ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  const toggle = document.getElementById('theme-toggle');
  toggle.textContent = effective === 'dark' ? 'Light theme' : 'Dark theme';
  toggle.setAttribute('aria-label', effective === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme');
}

function start() {
  applyTheme(localStorage.getItem('mem0.dashboard.theme'));
  document.getElementById('theme-toggle').addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme
      ? document.documentElement.dataset.theme === 'dark'
      : window.matchMedia('(prefers-color-scheme: dark)').matches;
    const next = dark ? 'light' : 'dark';
    localStorage.setItem('mem0.dashboard.theme', next);
    applyTheme(next);
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    session.clear();
    window.location.hash = '#/signin';
    route();
  });
  // The skip link's own href ("#main") would be read as a route by the hash router and re-render the page; move the
  // focus ourselves and leave the hash (the current page) alone.
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  window.addEventListener('hashchange', route);
  route();
}

/** Pages call this after signing in or out. */
export function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

start();
