// Search and list filters through the official SDK: the filter grammar of the v3 API as the SDK sends it (verbatim).
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";
import { newClient, uniqueId } from "./lib/server.mjs";

describe("MemoryClient.search and getAll with filters", () => {
  let client;
  let alice;
  let bob;
  const mem = {};

  before(async () => {
    client = newClient();
    alice = uniqueId("alice");
    bob = uniqueId("bob");
    const add = async (key, content, options) => {
      const answer = await client.add([{ role: "user", content }], { infer: false, ...options });
      mem[key] = answer.results[0].id;
    };
    await add("tennis", "I play tennis every Saturday morning.", { user_id: alice, metadata: { topic: "sport", level: 2 } });
    await add("sushi", "My favourite food is salmon sushi.", { user_id: alice, metadata: { topic: "food", level: 1 } });
    // Backdated with the add's Unix `timestamp`, for the created_at range filters.
    await add("paris", "I lived in Paris in 2021.", {
      user_id: alice, metadata: { topic: "travel" }, timestamp: Date.UTC(2021, 5, 1) / 1000,
    });
    await add("football", "I follow football on weekends.", { user_id: bob, metadata: { topic: "sport" } });
    await add("agentNote", "Answer the user in short sentences.", { agent_id: `${alice}-agent` });
  });

  const ids = (result) => result.results.map((m) => m.id).sort();

  it("a bare user_id filter finds the closest memory first and never another user's", async () => {
    const result = await client.search("which sport does she play?", { filters: { user_id: alice }, threshold: 0 });
    assert.ok(result.results.length >= 1);
    assert.equal(result.results[0].id, mem.tennis);
    assert.ok(result.results.every((m) => m.userId === alice));
    for (const item of result.results) {
      assert.equal(typeof item.score, "number");
      assert.ok(item.score >= 0 && item.score <= 1, `score ${item.score}`);
      assert.equal(typeof item.memory, "string");
      assert.equal(typeof item.createdAt, "string");
    }
  });

  it("topK limits the results", async () => {
    const result = await client.search("anything", { filters: { user_id: alice }, threshold: 0, topK: 1 });
    assert.equal(result.results.length, 1);
  });

  it("AND of user_id and a metadata condition", async () => {
    const result = await client.search("hobbies", {
      filters: { AND: [{ user_id: alice }, { metadata: { topic: "sport" } }] }, threshold: 0,
    });
    assert.deepEqual(ids(result), [mem.tennis]);
  });

  it("OR across two users", async () => {
    const result = await client.search("sport", {
      filters: { OR: [{ user_id: alice }, { user_id: bob }] }, threshold: 0, topK: 50,
    });
    assert.deepEqual(ids(result), [mem.tennis, mem.sushi, mem.paris, mem.football].sort());
  });

  it("OR nested in AND, with metadata conditions on both branches", async () => {
    const result = await client.search("what do I like", {
      filters: { AND: [{ user_id: alice }, { OR: [{ metadata: { topic: "food" } }, { metadata: { topic: "travel" } }] }] },
      threshold: 0,
    });
    assert.deepEqual(ids(result), [mem.sushi, mem.paris].sort());
  });

  it("in and ne operators on an entity id", async () => {
    const inResult = await client.search("sport", { filters: { user_id: { in: [alice, bob] } }, threshold: 0, topK: 50 });
    assert.equal(inResult.results.length, 4);
    const neResult = await client.search("sport", {
      filters: { AND: [{ user_id: { in: [alice, bob] } }, { user_id: { ne: bob } }] }, threshold: 0, topK: 50,
    });
    assert.ok(neResult.results.every((m) => m.userId === alice));
    assert.equal(neResult.results.length, 3);
  });

  it("NOT excludes a metadata value", async () => {
    const result = await client.search("anything", {
      filters: { AND: [{ user_id: alice }, { NOT: [{ metadata: { topic: "sport" } }] }] }, threshold: 0,
    });
    assert.deepEqual(ids(result), [mem.sushi, mem.paris].sort());
  });

  it("created_at ranges: the backdated memory alone falls in 2021", async () => {
    const in2021 = await client.search("where did I live?", {
      filters: { AND: [{ user_id: alice }, { created_at: { gte: "2021-01-01", lt: "2022-01-01" } }] }, threshold: 0,
    });
    assert.deepEqual(ids(in2021), [mem.paris]);
    const since2022 = await client.getAll({
      filters: { AND: [{ user_id: alice }, { created_at: { gte: "2022-01-01T00:00:00Z" } }] },
    });
    assert.deepEqual(ids(since2022), [mem.tennis, mem.sushi].sort());
    const paris = await client.get(mem.paris);
    assert.ok(paris.createdAt.startsWith("2021-06-01"), paris.createdAt);
  });

  it("getAll with a metadata filter and the agent scope", async () => {
    const sport = await client.getAll({ filters: { AND: [{ user_id: alice }, { metadata: { topic: "sport" } }] } });
    assert.equal(sport.count, 1);
    assert.deepEqual(ids(sport), [mem.tennis]);
    const agent = await client.getAll({ filters: { agent_id: `${alice}-agent` } });
    assert.deepEqual(ids(agent), [mem.agentNote]);
  });

  it("a high threshold drops weak matches", async () => {
    const result = await client.search("salmon sushi", { filters: { user_id: alice }, threshold: 0.99 });
    assert.ok(result.results.every((m) => m.score >= 0.99));
    const loose = await client.search("salmon sushi", { filters: { user_id: alice }, threshold: 0 });
    assert.ok(loose.results.length > result.results.length);
  });

  it("an unknown filter operator is a ValidationError from the SDK (400), naming the operator", async () => {
    await assert.rejects(
      client.search("x", { filters: { AND: [{ user_id: alice }, { created_at: { between: ["2020", "2021"] } }] } }),
      (error) => error.name === "ValidationError" && /between/.test(error.message),
    );
  });

  it("a search without any entity id is a ValidationError", async () => {
    await assert.rejects(
      client.search("x", { filters: { metadata: { topic: "sport" } } }),
      (error) => error.name === "ValidationError",
    );
  });
});
