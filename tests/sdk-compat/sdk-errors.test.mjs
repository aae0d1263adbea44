// Error paths: the SDK maps our status codes onto its own error classes (createExceptionFromResponse).
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";
import { mem0, newClient, uniqueId, createProject, revokeKey } from "./lib/server.mjs";

const missingId = "00000000-0000-4000-8000-000000000000";

describe("MemoryClient: errors", () => {
  let client;
  let memoryId;
  let userId;

  before(async () => {
    client = newClient();
    userId = uniqueId("frank");
    const answer = await client.add([{ role: "user", content: "Frank collects vinyl records." }], {
      user_id: userId, infer: false,
    });
    memoryId = answer.results[0].id;
  });

  it("a wrong API key is an AuthenticationError (HTTP_401) on ping and on every call", async () => {
    const wrong = newClient("m0-this-key-does-not-exist");
    await assert.rejects(wrong.ping(), (error) => {
      assert.ok(error instanceof mem0.AuthenticationError);
      assert.equal(error.errorCode, "HTTP_401");
      assert.match(JSON.parse(error.message).detail, /API key/);
      return true;
    });
    await assert.rejects(wrong.get(memoryId), mem0.AuthenticationError);
    await assert.rejects(wrong.search("vinyl", { filters: { user_id: userId } }), mem0.AuthenticationError);
    await assert.rejects(wrong.add([{ role: "user", content: "x" }], { user_id: userId }), mem0.AuthenticationError);
    await assert.rejects(wrong.getAll({ filters: { user_id: userId } }), mem0.AuthenticationError);
  });

  it("a revoked key stops working", async () => {
    const project = await createProject("sdk-compat revoked");
    const scoped = newClient(project.apiKey);
    await scoped.ping();
    await revokeKey(project.projectId, project.keyId);
    await assert.rejects(newClient(project.apiKey).getAll({ filters: { user_id: "*" } }), mem0.AuthenticationError);
  });

  it("an unknown memory id is a MemoryNotFoundError (HTTP_404) for get, update and delete", async () => {
    for (const call of [
      () => client.get(missingId),
      () => client.update(missingId, { text: "x" }),
      () => client.delete(missingId),
    ]) {
      await assert.rejects(call(), (error) => {
        assert.ok(error instanceof mem0.MemoryNotFoundError, `${error.name}: ${error.message}`);
        assert.equal(error.errorCode, "HTTP_404");
        return true;
      });
    }
  });

  it("the history of an unknown memory id is an empty list (history, like a filter, never reveals other projects)", async () => {
    assert.deepEqual(await client.history(missingId), []);
  });

  it("another project's memory is not found, not forbidden", async () => {
    const project = await createProject("sdk-compat isolation");
    await assert.rejects(newClient(project.apiKey).get(memoryId), mem0.MemoryNotFoundError);
    // ...and the memory is untouched for its owner.
    assert.equal((await client.get(memoryId)).memory, "Frank collects vinyl records.");
  });

  it("a memory id that is not a UUID is a ValidationError (HTTP_400), as on the platform", async () => {
    for (const call of [
      () => client.get("not-a-uuid"),
      () => client.update("not-a-uuid", { text: "x" }),
      () => client.delete("not/a/uuid"),
      () => client.history("not-a-uuid"),
    ]) {
      await assert.rejects(call(), (error) => {
        assert.ok(error instanceof mem0.ValidationError, `${error.name}: ${error.message}`);
        assert.equal(error.errorCode, "HTTP_400");
        assert.equal(JSON.parse(error.message).error, "memory_id should be a valid UUID");
        return true;
      });
    }
  });

  it("an add without any entity id is a ValidationError carrying the platform's add error shape", async () => {
    await assert.rejects(client.add([{ role: "user", content: "no scope" }], {}), (error) => {
      assert.ok(error instanceof mem0.ValidationError);
      const body = JSON.parse(error.message);
      assert.equal(body.error, "400 Bad Request");
      assert.equal(typeof body.details.message, "string");
      assert.equal(typeof body.detail, "string");
      return true;
    });
  });

  it("the deprecated deleteUser with a non-numeric id is a ValidationError", async () => {
    await assert.rejects(client.deleteUser({ entity_id: "abc", entity_type: "user" }), (error) => {
      assert.ok(error instanceof mem0.ValidationError);
      assert.match(error.message, /Must be an integer/);
      return true;
    });
  });

  it("errors are subclasses of MemoryError, so one catch handles them all", async () => {
    await assert.rejects(client.get(missingId), mem0.MemoryError);
  });
});
