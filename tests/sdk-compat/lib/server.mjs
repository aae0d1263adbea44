// Where the server under test is, and small helpers shared by the test files.
import "./egress-guard.mjs";
import { randomUUID } from "node:crypto";

export const host = process.env.MEM0_TEST_HOST;
export const apiKey = process.env.MEM0_TEST_API_KEY;
export const adminKey = process.env.MEM0_TEST_ADMIN_KEY;

if (!host || !apiKey) {
  throw new Error("MEM0_TEST_HOST and MEM0_TEST_API_KEY must be set: run tests/sdk-compat/run.sh");
}
if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) {
  throw new Error(`MEM0_TEST_HOST must be a loopback URL, got ${host}`);
}

// The SDK reads MEM0_TELEMETRY once, when it is first imported: set it before the dynamic import below.
process.env.MEM0_TELEMETRY = "false";
const sdk = await import("mem0ai");

/** The SDK module, exactly as a user imports it. */
export const mem0 = sdk;

/** A client built the way the SDK's documentation shows, pointed at our server. */
export function newClient(key = apiKey) {
  return new sdk.MemoryClient({ apiKey: key, host });
}

/** A scope id no other test uses, so tests never see each other's memories. */
export function uniqueId(prefix) {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A raw call to the server, for what the SDK does not expose (event polling, admin API). */
export async function call(method, path, { body, key = apiKey, headers = {} } = {}) {
  const response = await fetch(`${host}${path}`, {
    method,
    headers: { ...(key ? { Authorization: `Token ${key}` } : {}), "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

/**
 * Polls GET /v1/event/{id}/ until the job leaves PENDING/RUNNING. The wait is bounded by a number of polls, not by
 * a clock: each poll is one round trip, and a stuck job fails the test with its last state.
 */
export async function waitForEvent(eventId, { polls = 800 } = {}) {
  let last;
  for (let i = 0; i < polls; i++) {
    last = await call("GET", `/v1/event/${encodeURIComponent(eventId)}/`);
    if (last.status !== 200) {
      throw new Error(`GET /v1/event/${eventId}/ answered ${last.status}: ${last.text}`);
    }
    if (!["PENDING", "RUNNING", "PROCESSING"].includes(last.json.status)) return last.json;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`event ${eventId} still ${last?.json?.status} after ${polls} polls`);
}

/** Adds with inference through the SDK and waits for the job; returns the finished event. */
export async function addAndWait(client, messages, options) {
  const queued = await client.add(messages, options);
  if (!queued.eventId) throw new Error(`add did not return an event id: ${JSON.stringify(queued)}`);
  return waitForEvent(queued.eventId);
}

/**
 * Creates a fresh project and an API key for it through the server's admin API (ours, beyond the platform), so a
 * test can work in a project no other test touches.
 */
export async function createProject(name) {
  if (!adminKey) throw new Error("MEM0_TEST_ADMIN_KEY must be set: run tests/sdk-compat/run.sh");
  const headers = { "X-Mem0-Admin-Key": adminKey };
  const project = await call("POST", "/v1/admin/projects/", { body: { name }, key: null, headers });
  if (project.status !== 201) throw new Error(`creating a project answered ${project.status}: ${project.text}`);
  const projectId = project.json.project_id;
  const key = await call("POST", `/v1/admin/projects/${encodeURIComponent(projectId)}/api-keys/`, {
    body: { name: `${name} key` }, key: null, headers,
  });
  if (key.status !== 201) throw new Error(`creating a key answered ${key.status}: ${key.text}`);
  return { projectId, orgId: project.json.org_id, apiKey: key.json.key, keyId: key.json.api_key?.id ?? key.json.id };
}

/** Revokes a key through the admin API. */
export async function revokeKey(projectId, keyId) {
  const headers = { "X-Mem0-Admin-Key": adminKey };
  const answer = await call("DELETE", `/v1/admin/projects/${encodeURIComponent(projectId)}/api-keys/${encodeURIComponent(keyId)}/`, {
    key: null, headers,
  });
  if (answer.status !== 200) throw new Error(`revoking a key answered ${answer.status}: ${answer.text}`);
}
