// The official TypeScript SDK (mem0ai) driving the memory lifecycle against our server, exactly as a user would.
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";
import { newClient, uniqueId, call, waitForEvent, addAndWait } from "./lib/server.mjs";

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe("MemoryClient: identity", () => {
  it("ping resolves the organisation and project from /v1/ping/", async () => {
    const client = newClient();
    await client.ping();
    assert.equal(typeof client.organizationId, "string");
    assert.ok(client.organizationId.length > 0);
    assert.equal(typeof client.projectId, "string");
    assert.ok(client.projectId.length > 0);
  });
});

describe("MemoryClient: add", () => {
  it("add with inference queues an event that reaches SUCCEEDED with the memory in its results", async () => {
    const client = newClient();
    const userId = uniqueId("alice");
    const queued = await client.add([{ role: "user", content: "I live in Lisbon and play badminton on Tuesdays." }], {
      user_id: userId,
      metadata: { source: "sdk-compat", priority: 3 },
    });
    assert.equal(queued.status, "PENDING");
    assert.equal(typeof queued.eventId, "string");

    const event = await waitForEvent(queued.eventId);
    assert.equal(event.status, "SUCCEEDED", JSON.stringify(event));
    assert.equal(event.id, queued.eventId);
    assert.equal(event.event_type, "ADD");
    assert.ok(event.results.length >= 1);
    for (const result of event.results) {
      assert.equal(result.event, "ADD");
      assert.equal(result.user_id, userId);
      assert.match(result.data.memory, /\S/);
    }
    assert.match(event.created_at, isoDate);
    assert.equal(typeof event.latency, "number");

    const stored = await client.getAll({ filters: { user_id: userId } });
    assert.equal(stored.count, event.results.length);
    assert.deepEqual(stored.results[0].metadata, { source: "sdk-compat", priority: 3 });
    assert.ok(stored.results.some((m) => /Lisbon/.test(m.memory)));
  });

  it("add with infer:false stores each message verbatim and answers synchronously", async () => {
    const client = newClient();
    const userId = uniqueId("bea");
    const answer = await client.add(
      [
        { role: "user", content: "My favourite colour is teal." },
        { role: "user", content: "I am allergic to peanuts." },
      ],
      { user_id: userId, infer: false, metadata: { kind: "preference" } },
    );
    assert.equal(answer.status, "SUCCEEDED");
    assert.equal(typeof answer.message, "string");
    assert.deepEqual(
      answer.results.map((r) => r.data.memory).sort(),
      ["I am allergic to peanuts.", "My favourite colour is teal."],
    );
    for (const result of answer.results) {
      assert.equal(result.event, "ADD");
      assert.equal(typeof result.id, "string");
    }

    const memory = await client.get(answer.results[0].id);
    assert.equal(memory.id, answer.results[0].id);
    assert.equal(memory.memory, answer.results[0].data.memory);
    assert.equal(memory.userId, userId);
    assert.deepEqual(memory.metadata, { kind: "preference" });
    assert.ok(Array.isArray(memory.categories) || memory.categories === null);
    assert.match(memory.createdAt, isoDate);
    assert.match(memory.updatedAt, isoDate);
  });

  it("the same conversation added twice is stored once (the second add changes nothing)", async () => {
    const client = newClient();
    const userId = uniqueId("dup");
    const messages = [{ role: "user", content: "I work as a marine biologist in Galway." }];
    const first = await addAndWait(client, messages, { user_id: userId });
    assert.equal(first.status, "SUCCEEDED");
    const second = await addAndWait(client, messages, { user_id: userId });
    assert.equal(second.status, "SUCCEEDED");
    const stored = await client.getAll({ filters: { user_id: userId } });
    assert.equal(stored.count, first.results.length);
  });
});

describe("MemoryClient: read, update, history, delete", () => {
  let client;
  let userId;
  let ids;

  before(async () => {
    client = newClient();
    userId = uniqueId("carol");
    const texts = ["Carol owns a grey cat named Pixel.", "Carol is learning Portuguese.", "Carol drinks oat milk.",
      "Carol cycles to work.", "Carol's birthday is in March."];
    const answer = await client.add(texts.map((content) => ({ role: "user", content })), { user_id: userId, infer: false });
    ids = answer.results.map((r) => r.id);
    assert.equal(ids.length, 5);
  });

  it("getAll pages with page/pageSize: count, next/previous and disjoint pages that cover everything", async () => {
    const seen = [];
    for (let page = 1; page <= 3; page++) {
      const result = await client.getAll({ filters: { user_id: userId }, page, pageSize: 2 });
      assert.equal(result.count, 5);
      assert.equal(result.results.length, page < 3 ? 2 : 1);
      if (page < 3) assert.equal(typeof result.next, "string");
      else assert.equal(result.next, null);
      if (page === 1) assert.equal(result.previous, null);
      else assert.equal(typeof result.previous, "string");
      seen.push(...result.results.map((m) => m.id));
    }
    assert.equal(new Set(seen).size, 5);
    assert.deepEqual([...seen].sort(), [...ids].sort());
  });

  it("getAll for an unknown user is an empty page", async () => {
    const result = await client.getAll({ filters: { user_id: uniqueId("nobody") } });
    assert.deepEqual(result, { count: 0, next: null, previous: null, results: [] });
  });

  it("update changes the text and merges metadata; history records ADD then UPDATE", async () => {
    const id = ids[0];
    const updated = await client.update(id, { text: "Carol owns two grey cats.", metadata: { pets: 2 } });
    assert.equal(updated.id, id);
    assert.equal(updated.memory, "Carol owns two grey cats.");
    assert.equal(updated.metadata.pets, 2);

    const fetched = await client.get(id);
    assert.equal(fetched.memory, "Carol owns two grey cats.");

    const history = await client.history(id);
    assert.ok(Array.isArray(history));
    assert.deepEqual(history.map((h) => h.event), ["ADD", "UPDATE"]);
    assert.equal(history[0].memoryId, id);
    assert.equal(history[0].oldMemory, null);
    assert.equal(history[0].newMemory, "Carol owns a grey cat named Pixel.");
    assert.equal(history[1].oldMemory, "Carol owns a grey cat named Pixel.");
    assert.equal(history[1].newMemory, "Carol owns two grey cats.");
    assert.equal(history[0].userId, userId);
    assert.ok(Array.isArray(history[0].input));
  });

  it("feedback on a memory is accepted", async () => {
    const answer = await client.feedback({ memoryId: ids[1], feedback: "POSITIVE", feedbackReason: "accurate" });
    assert.equal(answer.feedback, "POSITIVE");
  });

  it("batchUpdate and batchDelete change several memories in one call", async () => {
    const updated = await client.batchUpdate([
      { memoryId: ids[1], text: "Carol speaks some Portuguese." },
      { memoryId: ids[2], text: "Carol drinks soy milk." },
    ]);
    assert.match(updated.message, /2/);
    assert.equal((await client.get(ids[1])).memory, "Carol speaks some Portuguese.");
    assert.equal((await client.get(ids[2])).memory, "Carol drinks soy milk.");

    const deleted = await client.batchDelete([ids[3], ids[4]]);
    assert.match(deleted.message, /2/);
    const remaining = await client.getAll({ filters: { user_id: userId } });
    assert.deepEqual(remaining.results.map((m) => m.id).sort(), [ids[0], ids[1], ids[2]].sort());
  });

  it("delete removes one memory; getting it afterwards is MemoryNotFoundError", async () => {
    const answer = await client.delete(ids[2]);
    assert.equal(typeof answer.message, "string");
    await assert.rejects(client.get(ids[2]), (error) => error.name === "MemoryNotFoundError");
  });

  it("deleteAll by user queues a delete event; afterwards the user has no memories", async () => {
    const answer = await client.deleteAll({ user_id: userId });
    assert.equal(typeof answer.message, "string");
    assert.equal(typeof answer.eventId, "string");
    const event = await waitForEvent(answer.eventId);
    assert.equal(event.status, "SUCCEEDED", JSON.stringify(event));
    const remaining = await client.getAll({ filters: { user_id: userId } });
    assert.equal(remaining.count, 0);
  });
});

describe("MemoryClient: entities", () => {
  it("users() lists users and agents with memory counts; deleteUsers removes one entity and its memories", async () => {
    const client = newClient();
    const userId = uniqueId("dave");
    const agentId = uniqueId("helper");
    await client.add([{ role: "user", content: "Dave plays chess." }, { role: "user", content: "Dave likes tea." }],
      { user_id: userId, infer: false });
    await client.add([{ role: "assistant", content: "I answer in French." }], { agent_id: agentId, infer: false });

    const entities = await client.users();
    assert.equal(typeof entities.count, "number");
    const user = entities.results.find((e) => e.type === "user" && e.name === userId);
    const agent = entities.results.find((e) => e.type === "agent" && e.name === agentId);
    assert.ok(user, `user ${userId} missing from ${JSON.stringify(entities.results)}`);
    assert.ok(agent, `agent ${agentId} missing`);
    assert.equal(user.totalMemories, 2);
    assert.equal(agent.totalMemories, 1);
    assert.ok(entities.totalUsers >= 1);
    assert.ok(entities.totalAgents >= 1);

    const paged = await client.users({ page: 1, pageSize: 1 });
    assert.equal(paged.results.length, 1);

    const deleted = await client.deleteUsers({ userId });
    assert.equal(deleted.message, "Entity deleted successfully.");
    // The platform deletes an entity in the background; the listing converges within a bounded number of reads.
    let after;
    for (let i = 0; i < 200; i++) {
      after = await client.getAll({ filters: { user_id: userId } });
      if (after.count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(after.count, 0);
    const remaining = await client.users();
    assert.equal(remaining.results.some((e) => e.type === "user" && e.name === userId), false);
    assert.ok(remaining.results.some((e) => e.type === "agent" && e.name === agentId));

    await client.deleteUsers({ agentId });
  });

  it("the deprecated deleteUser takes the id that users() lists", async () => {
    const client = newClient();
    const userId = uniqueId("frank");
    await client.add([{ role: "user", content: "Frank sails on Sundays." }], { user_id: userId, infer: false });
    const user = (await client.users()).results.find((e) => e.type === "user" && e.name === userId);
    assert.ok(user, `user ${userId} missing`);
    assert.match(String(user.id), /^[1-9][0-9]*$/);

    await client.deleteUser({ entity_id: user.id, entity_type: "user" });

    assert.equal((await client.getAll({ filters: { user_id: userId } })).count, 0);
    assert.equal((await client.users()).results.some((e) => e.type === "user" && e.name === userId), false);
  });

  it("entity names with a slash survive the SDK's path encoding", async () => {
    const client = newClient();
    const userId = `team/${uniqueId("erin")}`;
    await client.add([{ role: "user", content: "Erin leads the platform team." }], { user_id: userId, infer: false });
    const entities = await client.users();
    assert.ok(entities.results.some((e) => e.type === "user" && e.name === userId));
    await client.deleteUsers({ userId });
    let after;
    for (let i = 0; i < 200; i++) {
      after = await client.getAll({ filters: { user_id: userId } });
      if (after.count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(after.count, 0);
  });
});

describe("raw events API next to the SDK", () => {
  it("GET /v1/events/ lists this project's jobs in the paginated envelope", async () => {
    const { status, json } = await call("GET", "/v1/events/");
    assert.equal(status, 200);
    assert.equal(typeof json.count, "number");
    assert.ok(Array.isArray(json.results));
    assert.ok(json.results.length > 0);
    for (const event of json.results) {
      assert.ok(["PENDING", "RUNNING", "SUCCEEDED", "FAILED"].includes(event.status));
      assert.equal(typeof event.id, "string");
    }
  });
});
