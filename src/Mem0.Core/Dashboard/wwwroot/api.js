// The only module that talks to the server. The key lives in sessionStorage (this tab, until it closes), is sent
// in the Authorization header only, and never appears in a URL, the page or a log.

const KEY = 'mem0.dashboard.key';
const KIND = 'mem0.dashboard.kind';
const IDENTITY = 'mem0.dashboard.identity';
const LATENCY = 'mem0.dashboard.searchLatency';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  /** 'project' for an API key, 'admin' for the admin key. */
  get kind() { return sessionStorage.getItem(KIND); },
  /** What /v1/ping/ said for a project key: org_id, project_id, user_email (+ runtime when the server tells). */
  get identity() {
    try { return JSON.parse(sessionStorage.getItem(IDENTITY) ?? 'null'); } catch { return null; }
  },
  get signedIn() { return Boolean(this.key && this.kind); },
  save(key, kind, identity) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(KIND, kind);
    sessionStorage.setItem(IDENTITY, JSON.stringify(identity ?? null));
  },
  clear() {
    for (const name of [KEY, KIND, IDENTITY, LATENCY]) sessionStorage.removeItem(name);
  },
};

/** A failed call: the HTTP status and the server's own message (detail / error / message / field errors). */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

function messageOf(status, body) {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const text = body.detail ?? body.details?.message ?? body.error ?? body.message;
    if (typeof text === 'string' && text) return body.field ? `${text} (${body.field})` : text;
    const fields = Object.entries(body).filter(([, v]) => Array.isArray(v)).map(([k, v]) => `${k}: ${v.join(' ')}`);
    if (fields.length) return fields.join('; ');
  }
  if (typeof body === 'string' && body) return body.slice(0, 300);
  return `HTTP ${status}`;
}

/**
 * One API call. `query` values that are null/empty are left out; `body` objects are sent as JSON, strings as they
 * are (the import sends the file's text). `as` overrides the key kind ('project' | 'admin').
 */
export async function call(method, path, { query, body, key = session.key, as = session.kind, signal } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `${as === 'admin' ? 'Admin' : 'Token'} ${key}`;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(url, { method, headers, body: payload, signal, credentials: 'omit', cache: 'no-store' });
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (response.status === 401 && key && key === session.key) {
    // The session's own key stopped working (revoked, or the server's admin key changed): back to sign-in.
    session.clear();
    window.location.hash = '#/signin';
  }
  if (!response.ok) throw new ApiError(response.status, messageOf(response.status, data), data);
  return data;
}

/** Tries the key as a project key (ping), then as the admin key. Returns { kind, identity } or throws. */
export async function identify(key) {
  try {
    const identity = await call('GET', '/v1/ping/', { key, as: 'project' });
    return { kind: 'project', identity };
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) throw error;
  }
  try {
    await call('GET', '/v1/admin/projects/', { key, as: 'admin' });
    return { kind: 'admin', identity: null };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      throw new ApiError(error.status, 'This key is neither a valid API key nor the admin key.', null);
    }
    throw error;
  }
}

/** Search through the default search, timing it in the browser (the server reports no search latency). */
export async function search(body) {
  const started = performance.now();
  const result = await call('POST', '/v3/memories/search/', { body });
  const ms = performance.now() - started;
  const samples = searchLatencies();
  samples.push({ at: new Date().toISOString(), ms: Math.round(ms * 10) / 10 });
  sessionStorage.setItem(LATENCY, JSON.stringify(samples.slice(-500)));
  return { results: Array.isArray(result) ? result : result?.results ?? [], ms };
}

/** The search latencies this tab measured: [{ at, ms }]. */
export function searchLatencies() {
  try { return JSON.parse(sessionStorage.getItem(LATENCY) ?? '[]'); } catch { return []; }
}

/** A path segment, percent-encoded once (entity names may contain '/'). */
export const seg = (value) => encodeURIComponent(value);
