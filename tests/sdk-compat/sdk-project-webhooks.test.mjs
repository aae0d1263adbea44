// Project settings and webhooks through the official SDK. Both run in a project of their own (created with the
// server's admin API), so no other test's memory changes can reach the webhook registered here.
import assert from "node:assert/strict";
import { describe, it, before, after } from "node:test";
import { newClient, createProject, call } from "./lib/server.mjs";

describe("MemoryClient: project settings", () => {
  let client;
  let project;

  before(async () => {
    project = await createProject("sdk-compat settings");
    client = newClient(project.apiKey);
  });

  it("getProject uses the ids from ping and returns the project object", async () => {
    const settings = await client.getProject({ fields: ["custom_instructions", "custom_categories"] });
    assert.equal(client.organizationId, project.orgId);
    assert.equal(client.projectId, project.projectId);
    assert.equal(settings.projectId, project.projectId);
    assert.equal(settings.name, "sdk-compat settings");
    assert.equal(settings.customInstructions, null);
  });

  it("updateProject stores custom instructions and categories; getProject returns them verbatim", async () => {
    const answer = await client.updateProject({
      custom_instructions: "Only remember the user's hobbies and food preferences.",
      custom_categories: [{ hobbies: "Sports, games and pastimes" }, { food_preferences: "What the user likes to eat" }],
    });
    assert.equal(typeof answer.message, "string");

    const settings = await client.getProject({ fields: ["custom_instructions", "custom_categories"] });
    assert.equal(settings.customInstructions, "Only remember the user's hobbies and food preferences.");
    // Category names are the user's own keys: the SDK keeps them verbatim (food_preferences stays snake_case).
    assert.deepEqual(settings.customCategories, [
      { hobbies: "Sports, games and pastimes" },
      { food_preferences: "What the user likes to eat" },
    ]);
  });

  it("camelCase option names are converted by the SDK and accepted", async () => {
    await client.updateProject({ customInstructions: "Remember everything." });
    const settings = await client.getProject({ fields: ["customInstructions"] });
    assert.equal(settings.customInstructions, "Remember everything.");
  });
});

describe("MemoryClient: webhooks", () => {
  let client;
  let project;
  const created = [];

  before(async () => {
    project = await createProject("sdk-compat webhooks");
    client = newClient(project.apiKey);
  });

  after(async () => {
    // Belt and braces: never leave a webhook with an outside URL registered, even when an assertion failed.
    for (const id of created) {
      await call("DELETE", `/api/v1/webhooks/${id}/`, { key: project.apiKey });
    }
    const left = await call("GET", `/api/v1/webhooks/projects/${project.projectId}/`, { key: project.apiKey });
    assert.deepEqual(left.json, []);
    // No memory exists in this project, so no delivery was ever due.
    const memories = await call("POST", "/v3/memories/", { key: project.apiKey, body: { filters: { user_id: "*" } } });
    assert.equal(memories.json.count, 0);
  });

  it("a new project has no webhooks", async () => {
    assert.deepEqual(await client.getWebhooks(), []);
  });

  it("create (TEST-NET-3 IP literal, accepted as public), list, update and delete a webhook", async () => {
    // 203.0.113.10 is a documentation address: the guard sees a public https URL and accepts it without any lookup.
    // Nothing is delivered: this project holds no memories and the webhook is deleted before the test ends.
    const webhook = await client.createWebhook({
      name: "sdk-compat hook",
      url: "https://203.0.113.10/hook",
      eventTypes: ["memory_add", "memory_update"],
    });
    created.push(webhook.webhookId);
    assert.equal(typeof webhook.webhookId, "string");
    assert.equal(webhook.name, "sdk-compat hook");
    assert.equal(webhook.url, "https://203.0.113.10/hook");
    assert.deepEqual(webhook.eventTypes, ["memory_add", "memory_update"]);
    assert.equal(webhook.isActive, true);
    assert.equal(webhook.project, project.projectId);

    const listed = await client.getWebhooks();
    assert.deepEqual(listed.map((w) => w.webhookId), [webhook.webhookId]);
    assert.equal(listed[0].secret, undefined, "the signing secret is shown only at creation");

    const updated = await client.updateWebhook({
      webhookId: webhook.webhookId, name: "renamed hook", eventTypes: ["memory_delete"],
    });
    assert.equal(typeof updated.message, "string");
    const [afterUpdate] = await client.getWebhooks({ projectId: project.projectId });
    assert.equal(afterUpdate.name, "renamed hook");
    assert.deepEqual(afterUpdate.eventTypes, ["memory_delete"]);
    assert.equal(afterUpdate.url, "https://203.0.113.10/hook");

    const deleted = await client.deleteWebhook({ webhookId: webhook.webhookId });
    assert.equal(typeof deleted.message, "string");
    created.pop();
    assert.deepEqual(await client.getWebhooks(), []);
  });

  for (const [label, url] of [
    ["a private address", "https://10.0.0.5/hook"],
    ["the cloud metadata address", "https://169.254.169.254/latest"],
    ["plain http", "http://203.0.113.10/hook"],
    ["not a URL", "not a url"],
  ]) {
    it(`the SSRF guard refuses ${label}; the SDK surfaces the 400 as a ValidationError naming the url`, async () => {
      await assert.rejects(
        client.createWebhook({ name: "refused", url, eventTypes: ["memory_add"] }),
        (error) => {
          assert.equal(error.name, "ValidationError");
          assert.equal(error.errorCode, "HTTP_400");
          const body = JSON.parse(error.message);
          assert.ok(Array.isArray(body.url), error.message);
          return true;
        },
      );
      assert.deepEqual(await client.getWebhooks(), []);
    });
  }

  it("updating or deleting an unknown webhook is MemoryNotFoundError (404)", async () => {
    await assert.rejects(
      client.updateWebhook({ webhookId: "00000000-0000-4000-8000-000000000000", name: "x" }),
      (error) => error.name === "MemoryNotFoundError",
    );
    await assert.rejects(
      client.deleteWebhook({ webhookId: "00000000-0000-4000-8000-000000000000" }),
      (error) => error.name === "MemoryNotFoundError",
    );
  });

  it("another project's webhooks are not visible", async () => {
    const other = newClient();
    await assert.rejects(
      other.getWebhooks({ projectId: project.projectId }),
      (error) => ["AuthenticationError", "MemoryNotFoundError"].includes(error.name),
    );
  });
});
