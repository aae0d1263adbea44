// The official MCP TypeScript SDK's client (@modelcontextprotocol/sdk), unchanged, against the server's /mcp over
// Streamable HTTP: the third-party client the way Claude Code, Cursor or an agent framework would connect.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { host, apiKey, uniqueId } from "./lib/server.mjs";

async function connect({ key = apiKey, headers = {} } = {}) {
  const client = new Client({ name: "mem0-sdk-compat", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", host), {
    requestInit: { headers: { Authorization: `Token ${key}`, ...headers } },
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool and returns its structured content, failing with the tool's text when it reports an error. */
async function callOk(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content.filter((c) => c.type === "text").map((c) => c.text).join("");
  assert.ok(!result.isError, `${name} failed: ${text}`);
  assert.ok(text.length > 0, `${name} returned no text`);
  return result.structuredContent;
}

describe("MCP over Streamable HTTP with @modelcontextprotocol/sdk", () => {
  it("connects and lists the memory tools with their input schemas", async () => {
    const client = await connect();
    try {
      assert.equal(client.getServerVersion().name, "mem0");
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name).sort();
      assert.deepEqual(names, [
        "add_memories", "delete_all_memories", "delete_memory", "get_event", "get_memory", "get_memory_history",
        "list_entities", "list_memories", "search_memories", "update_memory",
      ]);
      const search = tools.find((t) => t.name === "search_memories");
      assert.equal(search.inputSchema.type, "object");
      assert.deepEqual(search.inputSchema.required, ["query"]);
      assert.ok(search.inputSchema.properties.top_k.description);
      assert.ok(search.annotations.readOnlyHint);
    } finally {
      await client.close();
    }
  });

  it("adds, searches and deletes a memory", async () => {
    const client = await connect();
    const user = uniqueId("mcp-ts");
    try {
      const added = await callOk(client, "add_memories", {
        messages: [{ role: "user", content: "My favourite city is Kyoto." }],
        user_id: user,
        infer: false,
      });
      assert.equal(added.status, "SUCCEEDED");
      const id = added.results[0].id;

      const found = await callOk(client, "search_memories", { query: "Which city does the user like?", user_id: user, threshold: 0 });
      assert.ok(found.results.some((m) => m.id === id), JSON.stringify(found));
      assert.ok(found.results.every((m) => m.user_id === user));

      const deleted = await callOk(client, "delete_memory", { memory_id: id });
      assert.equal(deleted.memory_id, id);
      const gone = await client.callTool({ name: "get_memory", arguments: { memory_id: id } });
      assert.equal(gone.isError, true);
    } finally {
      await client.close();
    }
  });

  it("reports a bad argument as a tool error that names it", async () => {
    const client = await connect();
    try {
      const result = await client.callTool({ name: "search_memories", arguments: { query: "x", user_id: "u", top_k: "ten" } });
      assert.equal(result.isError, true);
      assert.match(result.content[0].text, /'top_k'/);
      assert.equal(result.structuredContent.argument, "top_k");
    } finally {
      await client.close();
    }
  });

  it("pins the default user from the X-Mem0-User-Id header", async () => {
    const user = uniqueId("mcp-pinned");
    const client = await connect({ headers: { "X-Mem0-User-Id": user } });
    try {
      const added = await callOk(client, "add_memories", { text: "I take my tea without sugar.", infer: false });
      assert.equal(added.results[0].user_id, user);
      const listed = await callOk(client, "list_memories", {});
      assert.equal(listed.count, 1);
    } finally {
      await client.close();
    }
  });

  it("refuses a wrong API key with 401 before the handshake", async () => {
    await assert.rejects(connect({ key: "m0-not-a-real-key" }), (error) => {
      assert.match(String(error?.message ?? error), /401|Unauthorized|API key/i);
      return true;
    });
  });
});
