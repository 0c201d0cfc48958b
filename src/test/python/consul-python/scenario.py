"""python-consul (Debian's python3-consul) as an application uses it against a Beacon server.

Usage: scenario.py <http-port>. Prints one JSON object: each step's result, or {"error": ...} for a step
that raised, so the Java test can say which step failed and why.
"""
import json
import sys

import consul

port = int(sys.argv[1])
c = consul.Consul(host="127.0.0.1", port=port)
results = {}


def step(name, action):
    try:
        results[name] = action()
    except Exception as e:  # the test wants the step's failure, not a traceback
        results[name] = {"error": type(e).__name__ + ": " + str(e)}


def text(value):
    return None if value is None else value.decode("utf-8")


step("kvPut", lambda: c.kv.put("py/config/db", "postgres://db:5432", flags=7))
step("kvGet", lambda: (lambda r: {"index": r[0], "value": text(r[1]["Value"]), "flags": r[1]["Flags"]})(
    c.kv.get("py/config/db")))
step("kvCasWrong", lambda: c.kv.put("py/config/db", "other", cas=1))
step("kvKeys", lambda: c.kv.get("py/", keys=True)[1])
step("kvBlocking", lambda: (lambda index: c.kv.get("py/config/db", index=index, wait="1s")[0] >= index)(
    c.kv.get("py/config/db")[0]))
step("kvDelete", lambda: c.kv.delete("py/config/db"))
step("kvGone", lambda: c.kv.get("py/config/db")[1])
# python-consul 0.7.1 sends GET for /v1/agent/check/pass and /v1/agent/service/deregister, which Consul 1.x
# refuses (405) as Beacon does: the scenario keeps to the calls it makes with PUT.
step("register", lambda: c.agent.service.register("web", service_id="web-py", port=8080, tags=["py"]))
step("catalogService", lambda: [s["ServiceID"] for s in c.catalog.service("web")[1]])
step("healthPassing", lambda: [e["Service"]["ID"] for e in c.health.service("web", passing=True)[1]])
step("datacenters", lambda: c.catalog.datacenters())
step("localDc", lambda: [n["Node"] for n in c.catalog.nodes(dc="dc1")[1]])
step("unknownDc", lambda: c.catalog.nodes(dc="dc9"))
step("coordinateDatacenters", lambda: [d["Datacenter"] for d in c.coordinate.datacenters()])
step("coordinateNodes", lambda: [n["Node"] for n in c.coordinate.nodes()[1]])
step("near", lambda: [n["Node"] for n in c.catalog.nodes(near="_agent")[1]])
step("queryCreate", lambda: c.query.create("web", name="web-query", nearestn=1))
step("queryExecute", lambda: (lambda r: {"service": r["Service"],
                                          "nodes": [n["Service"]["ID"] for n in r["Nodes"]]})(
    c.query.execute("web-query")))
step("queryList", lambda: [q["Name"] for q in c.query.list()])
step("session", lambda: (lambda sid: {"acquired": c.kv.put("py/lock", "me", acquire=sid),
                                      "released": c.kv.put("py/lock", "me", release=sid),
                                      "destroyed": c.session.destroy(sid)})(c.session.create(ttl=30)))
step("members", lambda: [m["Name"] for m in c.agent.members()])
step("leader", lambda: c.status.leader())
step("agentServices", lambda: list(c.agent.services().keys()))
step("deregister", lambda: c.catalog.deregister(c.agent.self()["Config"]["NodeName"], service_id="web-py"))
step("afterDeregister", lambda: [s["ServiceID"] for s in c.catalog.service("web")[1]])
print(json.dumps(results))
