package dev.beacon.api.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sessions, locks and Consul's recipes over real HTTP on a real three-server cluster: the session endpoints,
 * TTL expiry, Behavior delete, mutual exclusion over many rounds, leader election surviving the holder's server,
 * a semaphore, a CAS sequence, and user events. The last test stops a server, so it runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionApiIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private TestCluster cluster;
    private BeaconNode leader;
    private List<BeaconNode> followers;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = new TestCluster(dir).startAll();
        leader = cluster.awaitLeader();
        followers = cluster.followers(leader);
        // Every server's own node needs its passing serfHealth check before a default session can be made.
        for (BeaconNode node : cluster.nodes()) {
            await().atMost(WAIT).until(() -> node.get("/v1/health/node/" + node.name()).body()
                    .contains("\"Status\":\"passing\""));
        }
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void sessionsAreCreatedReadRenewedAndDestroyedWithConsulsShapesAndErrors() throws Exception {
        BeaconNode agent = followers.get(0);
        String id = createSession(agent, "{\"Name\":\"api-test\",\"TTL\":\"30s\",\"LockDelay\":\"0s\"}");

        JsonNode info = json(leader.get("/v1/session/info/" + id)).get(0);
        assertThat(info.get("Node").asString()).isEqualTo(agent.name());
        assertThat(info.get("TTL").asString()).isEqualTo("30s");
        assertThat(info.get("LockDelay").asLong()).isZero();
        assertThat(info.get("Behavior").asString()).isEqualTo("release");
        assertThat(info.get("NodeChecks").toString()).isEqualTo("[\"serfHealth\"]");
        assertThat(leader.get("/v1/session/node/" + agent.name()).body()).contains(id);
        HttpResponse<String> list = leader.get("/v1/session/list");
        assertThat(list.body()).contains(id);

        // A blocking list wakes when another session is made.
        long index = Long.parseLong(list.headers().firstValue("X-Consul-Index").orElseThrow());
        CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(() ->
                followers.get(1).get("/v1/session/list?index=" + index + "&wait=60s"));
        String second = createSession(leader, "{\"Behavior\":\"delete\"}");
        assertThat(blocked.get(60, TimeUnit.SECONDS).body()).contains(second);

        HttpResponse<String> renewed = put(agent, "/v1/session/renew/" + id, "");
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(json(renewed).get(0).get("ID").asString()).isEqualTo(id);

        assertThat(put(agent, "/v1/session/destroy/" + id, "").body()).isEqualTo("true");
        assertThat(leader.get("/v1/session/info/" + id).body()).isEqualTo("[]");
        HttpResponse<String> gone = put(agent, "/v1/session/renew/" + id, "");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("not found");

        for (String bad : List.of("{\"TTL\":\"5s\"}", "{\"TTL\":\"25h\"}", "{\"TTL\":\"soon\"}",
                "{\"Behavior\":\"explode\"}", "{\"Node\":\"no-such-node\"}", "{\"NodeChecks\":[\"nope\"]}", "[1]")) {
            HttpResponse<String> refused = put(agent, "/v1/session/create", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).hasLineCount(1);
        }
        assertThat(put(agent, "/v1/session/create", "{\"TTL\":\"5s\"}").body())
                .contains("must be between [10s=24h0m0s]");
        HttpResponse<String> unknownHolder = put(agent, "/v1/kv/lock/x?acquire=not-a-session", "v");
        assertThat(unknownHolder.statusCode()).isEqualTo(400);
        assertThat(unknownHolder.body()).contains("invalid session");
        assertThat(leader.get("/v1/kv/lock/x").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aSessionWhoseTtlLapsesReleasesItsLockAndDeleteBehaviorRemovesKeys() {
        String ttl = createSession(followers.get(0), "{\"TTL\":\"10s\",\"LockDelay\":\"0s\"}");
        String deleting = createSession(followers.get(1), "{\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
        assertThat(put(leader, "/v1/kv/ttl/lock?acquire=" + ttl, "held").body()).isEqualTo("true");
        assertThat(put(leader, "/v1/kv/ephemeral/a?acquire=" + deleting, "x").body()).isEqualTo("true");
        assertThat(json(leader.get("/v1/kv/ttl/lock")).get(0).get("Session").asString()).isEqualTo(ttl);

        // Consul allows up to twice the TTL; nothing renews this session.
        await().atMost(Duration.ofSeconds(40)).until(() -> leader.get("/v1/session/info/" + ttl).body().equals("[]"));
        JsonNode released = json(leader.get("/v1/kv/ttl/lock")).get(0);
        assertThat(released.has("Session")).isFalse();
        assertThat(released.get("LockIndex").asLong()).isEqualTo(1);

        put(leader, "/v1/session/destroy/" + deleting, "");
        assertThat(leader.get("/v1/kv/ephemeral/a").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void twoContendersNeverHoldTheLockAtOnce() throws Exception {
        int rounds = 25;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        List<CompletableFuture<Void>> contenders = new ArrayList<>();
        for (BeaconNode node : followers) {
            String session = createSession(node, "{\"LockDelay\":\"0s\"}");
            contenders.add(CompletableFuture.runAsync(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                for (int won = 0; won < rounds && System.nanoTime() < deadline; ) {
                    if (!put(node, "/v1/kv/mutex?acquire=" + session, session).body().equals("true")) {
                        // As Consul's lock recipe: wait for the key to change before trying again.
                        HttpResponse<String> held = node.get("/v1/kv/mutex");
                        node.get("/v1/kv/mutex?wait=5s&index="
                                + held.headers().firstValue("X-Consul-Index").orElse("0"));
                        continue;
                    }
                    won++;
                    maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                    acquisitions.incrementAndGet();
                    assertThat(json(node.get("/v1/kv/mutex?consistent")).get(0).get("Session").asString())
                            .isEqualTo(session);
                    holders.decrementAndGet();
                    assertThat(put(node, "/v1/kv/mutex?release=" + session, "").body()).isEqualTo("true");
                }
            }));
        }
        CompletableFuture.allOf(contenders.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

        assertThat(maxHolders.get()).isEqualTo(1);
        assertThat(acquisitions.get()).isEqualTo(2 * rounds);
        assertThat(json(leader.get("/v1/kv/mutex")).get(0).get("LockIndex").asLong()).isEqualTo(2L * rounds);
    }

    @Test
    @Order(4)
    void aSemaphoreAdmitsAtMostItsLimit() {
        String prefix = "service/batch/lock/";
        List<String> sessions = new ArrayList<>();
        List<Boolean> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BeaconNode node = cluster.node(i);
            String session = createSession(node, "{\"LockDelay\":\"0s\"}");
            sessions.add(session);
            admitted.add(semaphoreAcquire(node, prefix, session, 2));
        }
        assertThat(admitted).containsExactly(true, true, false);
        assertThat(holders(prefix)).containsExactlyInAnyOrder(sessions.get(0), sessions.get(1));

        // A holder's session ends: its contender key goes, and the waiting contender prunes it and gets in.
        put(leader, "/v1/session/destroy/" + sessions.get(0), "");
        assertThat(semaphoreAcquire(cluster.node(2), prefix, sessions.get(2), 2)).isTrue();
        assertThat(holders(prefix)).containsExactlyInAnyOrder(sessions.get(1), sessions.get(2));
    }

    /** Consul's semaphore recipe: a contender key under the prefix, then a CAS on {@code .lock}. */
    private boolean semaphoreAcquire(BeaconNode node, String prefix, String session, int limit) {
        put(node, "/v1/kv/" + prefix + session + "?acquire=" + session, "");
        for (int attempt = 0; attempt < 20; attempt++) {
            Set<String> live = new HashSet<>();
            for (JsonNode e : json(node.get("/v1/kv/" + prefix + "?recurse"))) {
                if (e.has("Session") && !e.get("Key").asString().endsWith(".lock")) {
                    live.add(e.get("Session").asString());
                }
            }
            HttpResponse<String> lock = node.get("/v1/kv/" + prefix + ".lock");
            long modifyIndex = 0;
            List<String> holders = new ArrayList<>();
            if (lock.statusCode() == 200) {
                JsonNode entry = json(lock).get(0);
                modifyIndex = entry.get("ModifyIndex").asLong();
                JsonNode content = JSON.readTree(Base64.getDecoder().decode(entry.get("Value").asString()));
                content.get("Holders").forEach(h -> holders.add(h.asString()));
            }
            holders.retainAll(live);
            if (holders.contains(session)) {
                return true;
            }
            if (holders.size() >= limit) {
                return false;
            }
            holders.add(session);
            String body = "{\"Limit\":" + limit + ",\"Holders\":" + JSON.writeValueAsString(holders) + "}";
            if (put(node, "/v1/kv/" + prefix + ".lock?cas=" + modifyIndex, body).body().equals("true")) {
                return true;
            }
        }
        return false;
    }

    private List<String> holders(String prefix) {
        JsonNode entry = json(leader.get("/v1/kv/" + prefix + ".lock")).get(0);
        List<String> holders = new ArrayList<>();
        JSON.readTree(Base64.getDecoder().decode(entry.get("Value").asString())).get("Holders")
                .forEach(h -> holders.add(h.asString()));
        return holders;
    }

    @Test
    @Order(5)
    void aCasSequenceHandsOutEveryNumberOnce() throws Exception {
        Set<Long> issued = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (BeaconNode node : cluster.nodes()) {
            clients.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; n < 10; n++) {
                    issued.add(nextSequence(node));
                }
            }));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

        assertThat(issued).hasSize(30).containsAll(java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(leader.get("/v1/kv/seq/orders?raw").body()).isEqualTo("30");
    }

    /** Read the counter with its ModifyIndex, write counter+1 with ?cas, retry when someone else won. */
    private static long nextSequence(BeaconNode node) {
        for (int attempt = 0; attempt < 200; attempt++) {
            HttpResponse<String> current = node.get("/v1/kv/seq/orders?consistent");
            long value = 0;
            long modifyIndex = 0;
            if (current.statusCode() == 200) {
                JsonNode entry = json(current).get(0);
                modifyIndex = entry.get("ModifyIndex").asLong();
                value = Long.parseLong(new String(Base64.getDecoder().decode(entry.get("Value").asString()),
                        StandardCharsets.UTF_8));
            }
            if (put(node, "/v1/kv/seq/orders?cas=" + modifyIndex, Long.toString(value + 1)).body().equals("true")) {
                return value + 1;
            }
        }
        throw new AssertionError("no sequence number after 200 attempts");
    }

    @Test
    @Order(6)
    void eventsAreListedInOrderAndABlockedListWakesOnAFire() throws Exception {
        BeaconNode node = followers.get(0);
        for (String payload : List.of("one", "two", "three")) {
            HttpResponse<String> fired = put(leader, "/v1/event/fire/deploy", payload);
            assertThat(fired.statusCode()).isEqualTo(200);
            assertThat(json(fired).get("Name").asString()).isEqualTo("deploy");
        }
        put(leader, "/v1/event/fire/other", "");
        put(leader, "/v1/event/fire/deploy?node=no-such-node", "hidden");

        HttpResponse<String> list = node.get("/v1/event/list?name=deploy");
        await().atMost(WAIT).until(() -> json(node.get("/v1/event/list?name=deploy")).size() == 3);
        List<String> payloads = new ArrayList<>();
        long lastLTime = 0;
        for (JsonNode e : json(node.get("/v1/event/list?name=deploy"))) {
            payloads.add(new String(Base64.getDecoder().decode(e.get("Payload").asString()), StandardCharsets.UTF_8));
            assertThat(e.get("LTime").asLong()).isGreaterThan(lastLTime);
            lastLTime = e.get("LTime").asLong();
        }
        assertThat(payloads).containsExactly("one", "two", "three");

        // As in Consul, a list's index comes from its last event's ID (1 when empty), and a blocked list waits
        // while it stays the one given: events of other names do not end the wait.
        HttpResponse<String> none = node.get("/v1/event/list?name=late");
        assertThat(none.body()).isEqualTo("[]");
        assertThat(none.headers().firstValue("X-Consul-Index")).hasValue("1");
        CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(() ->
                node.get("/v1/event/list?name=late&index=1&wait=60s"));
        put(leader, "/v1/event/fire/unrelated", "");
        String lateId = json(put(leader, "/v1/event/fire/late", "")).get("ID").asString();
        HttpResponse<String> woken = blocked.get(60, TimeUnit.SECONDS);
        assertThat(json(woken)).hasSize(1);
        String hex = lateId.replace("-", "");
        long expected = Long.parseUnsignedLong(hex.substring(0, 16), 16) ^ Long.parseUnsignedLong(hex.substring(16), 16);
        assertThat(woken.headers().firstValue("X-Consul-Index")).hasValue(Long.toUnsignedString(expected));
        assertThat(put(leader, "/v1/event/fire/x?tag=t", "").statusCode()).isEqualTo(400);
        assertThat(list.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void leadershipMovesToAnotherContenderWhenTheHoldersServerFails() throws Exception {
        String key = "/v1/kv/service/web/leader";
        List<String> sessions = new ArrayList<>();
        for (BeaconNode node : cluster.nodes()) {
            sessions.add(createSession(node, "{\"Name\":\"web-leader\",\"LockDelay\":\"2s\"}"));
        }
        int holderAt = -1;
        for (int i = 0; i < 3 && holderAt < 0; i++) {
            if (put(cluster.node(i), key + "?acquire=" + sessions.get(i), "node" + (i + 1)).body().equals("true")) {
                holderAt = i;
            }
        }
        assertThat(holderAt).isZero();
        for (int i = 1; i < 3; i++) {
            assertThat(put(cluster.node(i), key + "?acquire=" + sessions.get(i), "x").body()).isEqualTo("false");
        }
        BeaconNode watcher = cluster.node(1);
        long index = Long.parseLong(watcher.get(key).headers().firstValue("X-Consul-Index").orElseThrow());

        cluster.node(0).stop();

        // The others block on the key; when the holder's session is invalidated (its serfHealth turns critical),
        // the key comes back without a Session, and after the 2 s lock delay one of them takes it.
        await().atMost(WAIT).until(() -> {
            HttpResponse<String> r = watcher.get(key + "?index=" + index + "&wait=5s");
            return r.statusCode() == 200 && !json(r).get(0).has("Session");
        });
        await().atMost(WAIT).until(() -> put(cluster.node(1), key + "?acquire=" + sessions.get(1), "node2").body()
                .equals("true") || put(cluster.node(2), key + "?acquire=" + sessions.get(2), "node3").body()
                .equals("true"));
        JsonNode now = json(watcher.get(key)).get(0);
        assertThat(now.get("Session").asString()).isIn(sessions.get(1), sessions.get(2));
        assertThat(now.get("LockIndex").asLong()).isEqualTo(2);
        assertThat(watcher.get("/v1/session/info/" + sessions.get(0)).body()).isEqualTo("[]");
    }

    private static String createSession(BeaconNode node, String body) {
        HttpResponse<String> created = put(node, "/v1/session/create", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return json(created).get("ID").asString();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> put(BeaconNode node, String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
