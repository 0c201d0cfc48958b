"""python-etcd (Debian's python3-etcd), an etcd v2 client, as an application uses it against three Beacon servers.

Usage: scenario.py main <etcd-port>       the keys API, watches, TTLs, a lock, the cluster's members
       scenario.py failover <etcd-port> <stopped-address>
                                          a client whose first server is down finds another and carries on
Prints one JSON object: each step's result, or {"error": ...} for a step that raised, so the Java test can say
which step failed and why.
"""
import json
import sys
import threading

import etcd

ADDRESSES = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
phase = sys.argv[1]
port = int(sys.argv[2])
results = {}


def step(name, action):
    try:
        results[name] = action()
    except Exception as e:  # the test wants the step's failure, not a traceback
        results[name] = {"error": type(e).__name__ + ": " + str(e)}


def client(addresses):
    return etcd.Client(host=tuple((a, port) for a in addresses), allow_reconnect=True, read_timeout=30)


def failure(action):
    """The name of the etcd exception an action raises, or None if it succeeds."""
    try:
        action()
        return None
    except etcd.EtcdException as e:
        return type(e).__name__


def node(result):
    prev = getattr(result, "_prev_node", None)  # only there when the answer has a prevNode
    return {"action": result.action, "key": result.key, "value": result.value, "newKey": result.newKey,
            "prevValue": None if prev is None else prev.value}


def update_to(c, key, value):
    current = c.read(key)
    current.value = value
    return node(c.update(current))


def appended(c):
    c.write("/py/queue", "job-1", append=True)
    c.write("/py/queue", "job-2", append=True)
    children = list(c.read("/py/queue", sorted=True).children)
    return {"values": [x.value for x in children], "ordered": [x.key for x in children] == sorted(
        x.key for x in children)}


def expiry(c):
    written = c.write("/py/ttl", "short-lived", ttl=1)
    event = c.watch("/py/ttl", index=written.modifiedIndex + 1, timeout=30)
    return {"ttl": written.ttl, "event": event.action, "afterwards": failure(lambda: c.read("/py/ttl"))}


def watch_across_servers():
    watcher, writer = client(ADDRESSES[1:2]), client(ADDRESSES[2:3])
    # From the index after now, so that a write landing before the watch arrives is still its event.
    start = watcher.read("/py").etcd_index + 1
    seen = {}

    def watch():
        try:
            seen["event"] = node(watcher.watch("/py/watched", index=start, timeout=30))
        except Exception as e:
            seen["event"] = {"error": type(e).__name__ + ": " + str(e)}

    thread = threading.Thread(target=watch)
    thread.start()
    writer.write("/py/watched", "woken")
    thread.join(40)
    return seen.get("event", {"error": "the watch did not return"})


def lock(c):
    held = etcd.Lock(c, "py-lock")
    held.acquire(blocking=True, lock_ttl=30)
    acquired = held.is_acquired
    held.release()
    return {"acquired": acquired, "releasedAfter": not held.is_acquired}


def main():
    c = client(ADDRESSES)
    step("members", lambda: sorted(u for m in c.members.values() for u in m["clientURLs"]))
    step("leader", lambda: c.leader["clientURLs"])
    step("fromConsul", lambda: c.read("/shared/from-consul").value)
    step("write", lambda: node(c.write("/py/a", "one")))
    step("set", lambda: node(c.set("/py/a", "two")))
    step("compareAndSwap", lambda: node(c.test_and_set("/py/a", "three", "two")))
    step("compareFails", lambda: failure(lambda: c.test_and_set("/py/a", "x", "not-the-value")))
    step("createExisting", lambda: failure(lambda: c.write("/py/a", "x", prevExist=False)))
    step("update", lambda: update_to(c, "/py/a", "four"))
    step("mkdir", lambda: c.write("/py/dir", None, dir=True).dir)
    step("hidden", lambda: node(c.write("/py/_hidden", "not listed")))
    step("append", lambda: appended(c))
    step("list", lambda: sorted(x.key for x in c.read("/py").children))
    step("leaves", lambda: sorted(x.key for x in c.read("/py", recursive=True).leaves))
    step("removeNonEmptyDir", lambda: failure(lambda: c.delete("/py/queue", dir=True)))
    step("removeRecursive", lambda: c.delete("/py/queue", recursive=True).action)
    step("expiry", lambda: expiry(c))
    step("watchAcrossServers", watch_across_servers)
    step("lock", lambda: lock(c))
    step("delete", lambda: node(c.delete("/py/a")))
    step("deleteAgain", lambda: failure(lambda: c.delete("/py/a")))
    step("toConsul", lambda: node(c.write("/shared/from-etcd", "hello from etcd")))


def failover(stopped):
    c = client([stopped] + [a for a in ADDRESSES if a != stopped])
    step("write", lambda: node(c.write("/py/after-stop", "written")))
    step("read", lambda: c.read("/py/after-stop").value)
    step("earlier", lambda: c.read("/shared/from-etcd").value)


if phase == "main":
    main()
else:
    failover(sys.argv[3])
print(json.dumps(results))
