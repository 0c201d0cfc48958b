// Drives the npm `consul` client (silas/node-consul) against one Beacon server, as an application would, and
// prints one JSON object: each step's result, or its error message. NpmConsulClientIT asserts on it.
// Usage: node scenario.mjs <port>
import Consul from "consul";

const consul = new Consul({ host: "127.0.0.1", port: Number(process.argv[2]) });
const results = {};

async function step(name, action) {
  try {
    const result = await action();
    // JSON.stringify leaves out undefined, which several calls answer (no body): keep the step visible.
    results[name] = result === undefined ? "undefined" : result;
  } catch (error) {
    results[name] = { error: String(error && error.message ? error.message : error) };
  }
}

await step("leader", () => consul.status.leader());
await step("kvSet", () => consul.kv.set("npm/config/db", "postgres://db:5432"));
await step("kvSetFlags", () => consul.kv.set({ key: "npm/config/flagged", value: "x", flags: 42 }));
await step("kvGet", () => consul.kv.get("npm/config/db"));
await step("kvKeys", () => consul.kv.keys("npm/"));
await step("kvRecurse", () => consul.kv.get({ key: "npm/", recurse: true }));
await step("kvCasWrong", async () => {
  const current = await consul.kv.get("npm/config/db");
  return consul.kv.set({ key: "npm/config/db", value: "stale", cas: current.ModifyIndex - 1 });
});
await step("kvDel", () => consul.kv.del("npm/config/flagged"));
await step("kvGone", () => consul.kv.get("npm/config/flagged"));
await step("register", () => consul.agent.service.register({
  name: "web", id: "web-npm", port: 8080, tags: ["npm", "blue"], meta: { version: "2" },
  check: { ttl: "30s" },
}));
await step("pass", () => consul.agent.check.pass("service:web-npm"));
await step("agentServices", () => consul.agent.service.list());
await step("catalogServices", () => consul.catalog.service.list());
await step("catalogNodes", () => consul.catalog.service.nodes("web"));
await step("healthPassing", () => consul.health.service({ service: "web", passing: true }));
await step("healthFiltered", () => consul.health.service({ service: "web", filter: "Service.Meta.version == \"2\"" }));
await step("healthFilteredOut", () => consul.health.service({ service: "web", filter: "\"green\" in Service.Tags" }));
await step("agentSelf", () => consul.agent.self());
await step("agentMembers", () => consul.agent.members());
await step("session", async () => {
  const created = await consul.session.create({ name: "npm-lock", ttl: "15s" });
  const acquired = await consul.kv.set({ key: "npm/lock", value: "me", acquire: created.ID });
  const released = await consul.kv.set({ key: "npm/lock", value: "me", release: created.ID });
  await consul.session.destroy(created.ID);
  return { acquired, released };
});
await step("deregister", () => consul.agent.service.deregister("web-npm"));
await step("afterDeregister", () => consul.agent.service.list());

process.stdout.write(JSON.stringify(results) + "\n");
