// The official Node CLI (@mem0/cli), run as its own process exactly as a user runs `mem0 ...`, configured only by
// MEM0_API_KEY and MEM0_BASE_URL. It gets a temporary HOME (its config file lands there, never in the real one)
// and MEM0_TELEMETRY=false (its documented switch for usage events). The egress guard is preloaded into the CLI
// process too, so any attempt to reach another machine would fail the run.
//
// Every CLI command that validates the key lingers about 5 s after its work is done (its ping timeout timer is
// never cleared), so independent commands run concurrently, phase by phase.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, it, before, after } from "node:test";
import { host, apiKey, uniqueId, waitForEvent, call } from "./lib/server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cliPackage = require.resolve("@mem0/cli/package.json", { paths: [here] });
const cliBin = path.join(path.dirname(cliPackage), JSON.parse(fs.readFileSync(cliPackage, "utf8")).bin.mem0);
const guard = path.join(here, "lib", "egress-guard.mjs");

let home;

/** Runs `mem0 <args>`; resolves with the exit code and both streams (never rejects on a non-zero exit). */
function mem0(args, { key = apiKey } = {}) {
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    USERPROFILE: home,
    MEM0_API_KEY: key,
    MEM0_BASE_URL: host,
    MEM0_TELEMETRY: "false",
    NO_COLOR: "1",
    NODE_OPTIONS: `--import=${guard}`,
    MEM0_TEST_EGRESS_LOG: process.env.MEM0_TEST_EGRESS_LOG ?? "",
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [cliBin, ...args], { env, cwd: home, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr, output: stdout + stderr });
    });
  });
}

function ok(result, label) {
  assert.equal(result.code, 0, `${label} exited ${result.code}\n${result.output}`);
  return result;
}

describe("mem0 CLI against the local server", () => {
  const userId = uniqueId("cli");
  const added = {};

  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "mem0-cli-home-"));
  });

  after(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("--help lists the commands this suite uses", async () => {
    const result = ok(await mem0(["--help"]), "mem0 --help");
    for (const command of ["add", "search", "get", "list", "update", "delete", "entity", "event", "status"]) {
      assert.match(result.output, new RegExp(`\\b${command}\\b`), `missing ${command} in help`);
    }
  });

  describe("add", () => {
    let inferred;
    let verbatim;
    before(() => {
      inferred = mem0(["add", "I enjoy hiking in the Alps", "--user-id", userId]);
      verbatim = mem0(["add", "Bob drinks oat milk", "-u", userId, "--no-infer", "-o", "json"]);
    });

    it("add (with inference) prints the queued event, which the server completes", async () => {
      const result = ok(await inferred, "mem0 add");
      const match = result.output.match(/event_id:\s*([0-9a-f-]{36})/);
      assert.ok(match, `no event id in:\n${result.output}`);
      added.eventId = match[1];
      const event = await waitForEvent(added.eventId);
      assert.equal(event.status, "SUCCEEDED");
    });

    it("add --no-infer -o json stores the text verbatim", async () => {
      const result = ok(await verbatim, "mem0 add --no-infer");
      const body = JSON.parse(result.stdout);
      assert.equal(body.status, "SUCCEEDED");
      assert.equal(body.results[0].memory, "Bob drinks oat milk");
      added.id = body.results[0].id;
    });
  });

  describe("read commands", () => {
    const runs = {};
    before(() => {
      const filter = JSON.stringify({ AND: [{ user_id: userId }, { created_at: { gte: "2020-01-01" } }] });
      runs.search = mem0(["search", "what does he drink?", "-u", userId]);
      runs.searchFilter = mem0(["search", "hiking", "--filter", filter, "--threshold", "0", "-o", "json"]);
      runs.list = mem0(["list", "-u", userId]);
      runs.listBefore = mem0(["list", "-u", userId, "--before", "2001-01-01", "-o", "json"]);
      runs.listAfter = mem0(["list", "-u", userId, "--after", "2001-01-01", "-o", "json"]);
      runs.get = mem0(["get", added.id]);
      runs.entities = mem0(["entity", "list", "users"]);
      runs.events = mem0(["event", "list"]);
      runs.eventStatus = mem0(["event", "status", added.eventId]);
      runs.status = mem0(["status"]);
    });

    it("search prints the matching memory", async () => {
      assert.match(ok(await runs.search, "mem0 search").output, /Bob drinks oat milk/);
    });

    it("search -o json with an advanced --filter (AND, created_at range)", async () => {
      assert.match(ok(await runs.searchFilter, "mem0 search --filter").stdout, /hiking in the Alps/);
    });

    it("list prints both memories of the user", async () => {
      const result = ok(await runs.list, "mem0 list");
      assert.match(result.output, /Bob drinks oat milk/);
      assert.match(result.output, /hiking in the Alps/);
    });

    it("list --before/--after narrow by creation date", async () => {
      assert.doesNotMatch(ok(await runs.listBefore, "mem0 list --before").stdout, /Bob drinks oat milk/);
      assert.match(ok(await runs.listAfter, "mem0 list --after").stdout, /Bob drinks oat milk/);
    });

    it("get prints one memory", async () => {
      assert.match(ok(await runs.get, "mem0 get").output, /Bob drinks oat milk/);
    });

    it("entity list users shows the user", async () => {
      assert.match(ok(await runs.entities, "mem0 entity list users").output, new RegExp(userId));
    });

    it("event list and event status show the add job and its memory", async () => {
      const list = ok(await runs.events, "mem0 event list");
      assert.match(list.output, new RegExp(added.eventId.slice(0, 8)));
      assert.match(list.output, /SUCCEEDED/);
      const status = ok(await runs.eventStatus, "mem0 event status");
      assert.match(status.output, /SUCCEEDED/);
      assert.match(status.output, /hiking in the Alps/);
    });

    it("status reports the server it is connected to", async () => {
      assert.match(ok(await runs.status, "mem0 status").output, new RegExp(host.replace(/[.:/]/g, (c) => `\\${c}`)));
    });
  });

  describe("write commands", () => {
    it("update changes the text", async () => {
      ok(await mem0(["update", added.id, "Bob drinks soy milk"]), "mem0 update");
      const memory = await call("GET", `/v1/memories/${added.id}/`);
      assert.equal(memory.json.memory, "Bob drinks soy milk");
    });

    it("delete removes one memory", async () => {
      ok(await mem0(["delete", added.id]), "mem0 delete");
      assert.equal((await call("GET", `/v1/memories/${added.id}/`)).status, 404);
    });

    it("get of the deleted memory fails with not found; a wrong key is reported as invalid", async () => {
      const [missing, wrongKey] = await Promise.all([
        mem0(["get", added.id]),
        mem0(["list", "-u", userId], { key: "m0-wrong-key" }),
      ]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.output, /not found/i);
      assert.notEqual(wrongKey.code, 0);
      assert.match(wrongKey.output, /Invalid or expired API key|Authentication failed/);
    });

    it("delete --all for the user, with --force, empties the scope", async () => {
      ok(await mem0(["delete", "--all", "-u", userId, "--force"]), "mem0 delete --all");
      let listed;
      for (let i = 0; i < 200; i++) {
        listed = await call("POST", "/v3/memories/", { body: { filters: { user_id: userId } } });
        if (listed.json.count === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.equal(listed.json.count, 0);
    });
  });

  it("the CLI wrote its config only under the temporary HOME, pointing at this server", () => {
    const config = JSON.parse(fs.readFileSync(path.join(home, ".mem0", "config.json"), "utf8"));
    assert.equal(config.platform.base_url, host);
  });
});
