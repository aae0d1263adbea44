// The post-deploy smoke test (infra/hooks/smoke-test.sh, bash + curl) run against the local server, so the script users
// re-run against Azure is proven to pass on a working API and to name the failing step on a broken one.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { host, apiKey, adminKey, call, uniqueId } from "./lib/server.mjs";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "infra", "hooks", "smoke-test.sh");

/** Runs the script with only the variables given (plus PATH/HOME), as a user's shell or the azd hook would. */
function runSmokeTest(env, args = []) {
  const result = spawnSync("bash", [script, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("infra/hooks/smoke-test.sh", () => {
  it("passes every step against a working API with an API key", () => {
    const { code, out } = runSmokeTest({ MEM0_BASE_URL: host, MEM0_API_KEY: apiKey });

    assert.equal(code, 0, out);
    for (const step of ["ping", "add", "search", "delete", "deleted memory is gone"]) {
      assert.match(out, new RegExp(`^ok    ${step}`, "m"), out);
    }
    assert.match(out, /^smoke test: 5 passed, 0 failed$/m);
    assert.ok(!out.includes(apiKey), "the API key must never be printed");
  });

  it("with only the admin key: creates a temporary key in a new project, and revokes it afterwards", async () => {
    const project = uniqueId("smoke");
    const { code, out } = runSmokeTest({ MEM0_ADMIN_KEY: adminKey, MEM0_PROJECT_ID: project }, [host]);

    assert.equal(code, 0, out);
    assert.match(out, /^ok    create a temporary API key/m);
    assert.match(out, /^smoke test: 6 passed, 0 failed$/m);
    assert.ok(!out.includes(adminKey), "the admin key must never be printed");
    const keys = await call("GET", `/v1/admin/projects/${encodeURIComponent(project)}/api-keys/`, {
      key: null, headers: { "X-Mem0-Admin-Key": adminKey },
    });
    assert.equal(keys.status, 200, keys.text);
    const list = Array.isArray(keys.json) ? keys.json : keys.json.results ?? keys.json.api_keys;
    assert.equal(list.length, 1, keys.text);
    assert.ok(list[0].revoked_at, `the temporary key is still active: ${keys.text}`);
  });

  it("names the failing steps and exits 1 when the key is refused", () => {
    const { code, out } = runSmokeTest({ MEM0_BASE_URL: host, MEM0_API_KEY: "m0-not-a-valid-key" });

    assert.equal(code, 1, out);
    assert.match(out, /^FAIL  ping: HTTP 401 /m);
    assert.match(out, /^FAIL  add: HTTP 401 /m);
    assert.match(out, /^skip  search/m);
    assert.match(out, /^smoke test: 0 passed, 2 failed$/m);
  });

  it("refuses to run without a URL or a key, saying which", () => {
    const noUrl = runSmokeTest({ MEM0_API_KEY: apiKey });
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.out, /no URL/);

    const noKey = runSmokeTest({ MEM0_BASE_URL: host });
    assert.equal(noKey.code, 2);
    assert.match(noKey.out, /MEM0_API_KEY/);
  });
});
