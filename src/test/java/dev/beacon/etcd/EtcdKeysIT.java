package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd v2 keys API on three servers, over real HTTP: the classic tutorial's requests, etcd's errors and
 * statuses, compare-and-swap races, watches woken by writes on another server, times to live, and the same keys
 * through the Consul API; and Debian's etcdctl against them ({@link Etcdctl}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdKeysIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestCluster cluster;
    private int etcdPort;
    private BeaconNode leader;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = new TestCluster(dir);
        etcdPort = TestCluster.freePort();
        for (BeaconNode node : cluster.nodes()) {
            node.with("beacon.ports.etcd", Integer.toString(etcdPort))
                    .with("beacon.client-address", address(node));
        }
        cluster.startAll();
        leader = cluster.awaitLeader();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private static String address(BeaconNode node) {
        return "127.0.0." + node.name().substring("node".length());
    }

    @Test
    void theTutorialsSetAndGetWorkAsWrittenOnEveryServer() throws Exception {
        HttpResponse<String> set = etcd(0, "PUT", "/v2/keys/test", "value=test value");
        assertThat(set.statusCode()).isEqualTo(201);
        JsonNode written = JSON.readTree(set.body());
        assertThat(written.get("action").asText()).isEqualTo("set");
        assertThat(written.at("/node/key").asText()).isEqualTo("/test");
        assertThat(written.at("/node/value").asText()).isEqualTo("test value");
        long index = written.at("/node/modifiedIndex").asLong();
        assertThat(written.at("/node/createdIndex").asLong()).isEqualTo(index);
        assertThat(set.headers().firstValue("X-Etcd-Index")).hasValue(Long.toString(index));
        assertThat(set.headers().firstValue("X-Raft-Term")).isPresent();
        assertThat(set.headers().firstValue("X-Etcd-Cluster-Id")).get().asString().hasSize(16);

        for (int server = 0; server < 3; server++) {
            HttpResponse<String> get = etcd(server, "GET", "/v2/keys/test?quorum=true", null);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("{\"action\":\"get\",\"node\":{\"key\":\"/test\",\"value\":\"test value\","
                    + "\"modifiedIndex\":" + index + ",\"createdIndex\":" + index + "}}");
        }
        HttpResponse<String> again = etcd(1, "PUT", "/v2/keys/test", "value=second");
        assertThat(again.statusCode()).as("a set of an existing key").isEqualTo(200);
        assertThat(JSON.readTree(again.body()).at("/prevNode/value").asText()).isEqualTo("test value");
    }

    @Test
    void oneStoreTwoFrontDoors() throws Exception {
        assertThat(cluster.node(0).send("PUT", "/v1/kv/shared/from-consul", "", "c").body()).isEqualTo("true");
        JsonNode viaEtcd = JSON.readTree(etcd(1, "GET", "/v2/keys/shared/from-consul?quorum=true", null).body());
        assertThat(viaEtcd.at("/node/value").asText()).isEqualTo("c");

        assertThat(etcd(2, "PUT", "/v2/keys/shared/from-etcd", "value=e").statusCode()).isEqualTo(201);
        assertThat(cluster.node(0).send("GET", "/v1/kv/shared/from-etcd?raw&consistent", "", null).body())
                .isEqualTo("e");
        assertThat(etcd(0, "PUT", "/v2/keys/shared/dir?dir=true", null).statusCode()).isEqualTo(201);
        assertThat(cluster.node(0).send("GET", "/v1/kv/shared/?keys&consistent", "", null).body())
                .as("an etcd directory is Consul's folder key")
                .isEqualTo("[\"shared/dir/\",\"shared/from-consul\",\"shared/from-etcd\"]");

        JsonNode listing = JSON.readTree(etcd(0, "GET", "/v2/keys/shared?quorum=true", null).body());
        assertThat(listing.at("/node/dir").asBoolean()).isTrue();
        assertThat(listing.at("/node/nodes").findValuesAsText("key"))
                .containsExactly("/shared/dir", "/shared/from-consul", "/shared/from-etcd");
    }

    @Test
    void eachSideSeesWhatItCanOfTheOthersMetadata() throws Exception {
        BeaconNode consul = cluster.node(0);
        assertThat(consul.send("PUT", "/v1/kv/meta/lease?ttl=1s&flags=42", "", "held").body()).isEqualTo("true");
        JsonNode lease = JSON.readTree(etcd(0, "GET", "/v2/keys/meta/lease?quorum=true", null).body());
        assertThat(lease.at("/node/value").asText()).isEqualTo("held");
        assertThat(lease.at("/node/ttl").asLong()).as("Beacon's ?ttl= is an etcd TTL").isBetween(0L, 1L);
        assertThat(lease.at("/node/flags").isMissingNode()).as("etcd has no flags").isTrue();
        long written = lease.at("/node/modifiedIndex").asLong();
        JsonNode expired = JSON.readTree(etcdAsync(0, "GET", "/v2/keys/meta/lease?wait=true&waitIndex="
                + (written + 1), null).get(60, TimeUnit.SECONDS).body());
        assertThat(expired.get("action").asText()).isEqualTo("expire");
        assertThat(consul.send("GET", "/v1/kv/meta/lease?consistent", "", null).statusCode()).isEqualTo(404);
        assertThat(consul.send("PUT", "/v1/kv/meta/x?ttl=soon", "", "v").statusCode()).isEqualTo(400);

        etcd(0, "PUT", "/v2/keys/meta/plain?ttl=600", "value=e");
        JsonNode plain = JSON.readTree(consul.send("GET", "/v1/kv/meta/plain?consistent", "", null).body()).get(0);
        assertThat(plain.get("Flags").asLong()).as("an etcd write leaves Consul's flags at 0").isZero();
        assertThat(plain.get("Session")).isNull();

        String session = JSON.readTree(consul.send("PUT", "/v1/session/create", "", "{\"Name\": \"lock\"}").body())
                .get("ID").asText();
        assertThat(consul.send("PUT", "/v1/kv/meta/locked?acquire=" + session, "", "mine").body()).isEqualTo("true");
        assertThat(etcd(1, "PUT", "/v2/keys/meta/locked", "value=etcd").statusCode()).isEqualTo(200);
        JsonNode locked = JSON.readTree(consul.send("GET", "/v1/kv/meta/locked?consistent", "", null).body()).get(0);
        assertThat(locked.get("Value").asText()).isEqualTo("ZXRjZA==");
        assertThat(locked.get("Session").asText()).as("an etcd write does not release a Consul lock")
                .isEqualTo(session);

        etcd(0, "PUT", "/v2/keys/meta/empty?dir=true", null);
        JsonNode folder = JSON.readTree(consul.send("GET", "/v1/kv/meta/empty/?consistent", "", null).body()).get(0);
        assertThat(folder.get("Key").asText()).isEqualTo("meta/empty/");
        assertThat(folder.get("Value").isNull()).as("an empty etcd directory is a Consul folder key").isTrue();
    }

    @Test
    void refusalsAreEtcdsErrorsWithEtcdsStatusesAndChangeNothing() throws Exception {
        HttpResponse<String> missing = etcd(0, "GET", "/v2/keys/no/such/key", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(missing.body());
        assertThat(error.get("errorCode").asInt()).isEqualTo(100);
        assertThat(error.get("message").asText()).isEqualTo("Key not found");
        assertThat(error.get("cause").asText()).as("where etcd's walk stops").isEqualTo("/no");
        assertThat(error.get("index").asLong()).isPositive();

        etcd(0, "PUT", "/v2/keys/err/file", "value=one");
        HttpResponse<String> cas = etcd(0, "PUT", "/v2/keys/err/file?prevValue=two", "value=three");
        assertThat(cas.statusCode()).isEqualTo(412);
        assertThat(JSON.readTree(cas.body()).get("cause").asText()).isEqualTo("[two != one]");
        assertThat(etcd(0, "PUT", "/v2/keys/err/file?prevExist=false", "value=x").statusCode()).isEqualTo(412);
        assertThat(etcd(0, "PUT", "/v2/keys/err", "value=x").statusCode()).as("a value on a directory")
                .isEqualTo(403);
        assertThat(etcd(0, "PUT", "/v2/keys/err/file/below", "value=x").statusCode()).as("a key under a file")
                .isEqualTo(400);
        assertThat(etcd(0, "DELETE", "/v2/keys/err?dir=true", null).statusCode()).isEqualTo(403);
        HttpResponse<String> ttl = etcd(0, "PUT", "/v2/keys/err/file?ttl=soon", "value=x");
        assertThat(ttl.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(ttl.body()).get("cause").asText()).as("etcd's cause").isEqualTo(
                "invalid value for \"ttl\"");
        JsonNode flag = JSON.readTree(etcd(0, "PUT", "/v2/keys/err/file?prevExist=maybe", "value=x").body());
        assertThat(flag.get("errorCode").asInt()).isEqualTo(209);
        assertThat(flag.get("cause").asText()).isEqualTo("invalid value for prevExist");
        assertThat(flag.get("index").asLong()).as("a request etcd refuses to read has index 0").isZero();
        HttpResponse<String> waitOnPut = etcd(0, "PUT", "/v2/keys/err/file?wait=true", "value=waited");
        assertThat(waitOnPut.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(waitOnPut.body()).get("cause").asText())
                .isEqualTo("\"wait\" can only be used with GET requests");
        assertThat(etcd(0, "GET", "/v2/keys/err/file?prevExist=maybe", null).statusCode())
                .as("every parameter is checked, whatever the method").isEqualTo(400);
        HttpResponse<String> throughFile = etcd(0, "GET", "/v2/keys/err/file/below", null);
        assertThat(throughFile.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(throughFile.body()).get("errorCode").asInt()).as("Not a directory").isEqualTo(104);
        assertThat(JSON.readTree(throughFile.body()).get("cause").asText()).isEqualTo("/err/file");
        assertThat(etcd(0, "PUT", "/v2/keys/err/big", "value=" + "x".repeat(512 * 1024 + 1)).statusCode())
                .isEqualTo(400);
        assertThat(JSON.readTree(etcd(0, "GET", "/v2/keys/err/file?quorum=true", null).body()).at("/node/value")
                .asText()).as("nothing refused was written").isEqualTo("one");
        assertThat(etcd(0, "GET", "/v2/keys/err/big", null).statusCode()).isEqualTo(404);
    }

    @Test
    void ofConcurrentCompareAndSwapsExactlyOneWins() throws Exception {
        JsonNode made = JSON.readTree(etcd(0, "PUT", "/v2/keys/race", "value=start").body());
        long index = made.at("/node/modifiedIndex").asLong();
        List<CompletableFuture<HttpResponse<String>>> racers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            racers.add(etcdAsync(i % 3, "PUT", "/v2/keys/race?prevIndex=" + index, "value=racer" + i));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> racer : racers) {
            statuses.add(racer.get(60, TimeUnit.SECONDS).statusCode());
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 412).hasSize(8);
    }

    /**
     * As on an etcd member, a plain get reads this server's state and a write is answered once this server has
     * applied it: a client reads its own writes through any one server, followers included.
     */
    @Test
    void aClientReadsItsOwnWritesThroughTheServerItWroteThrough() throws Exception {
        for (int server = 0; server < 3; server++) {
            for (int round = 0; round < 20; round++) {
                String value = "s" + server + "r" + round;
                assertThat(etcd(server, "PUT", "/v2/keys/own/writes", "value=" + value).statusCode()).isIn(200, 201);
                HttpResponse<String> read = etcd(server, "GET", "/v2/keys/own/writes", null);
                assertThat(JSON.readTree(read.body()).at("/node/value").asText()).as("server %d", server)
                        .isEqualTo(value);
            }
        }
    }

    @Test
    void aWatchOnAFollowerWakesForAWriteOnAnotherServer() throws Exception {
        List<BeaconNode> followers = cluster.followers(leader);
        int watcher = cluster.nodes().indexOf(followers.get(0));
        int writer = cluster.nodes().indexOf(followers.get(1));
        CompletableFuture<HttpResponse<String>> watch = etcdAsync(watcher, "GET",
                "/v2/keys/watched?wait=true&recursive=true", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> storeWatchers(watcher) > 0);
        assertThat(watch).isNotDone();

        etcd(writer, "PUT", "/v2/keys/watched/child", "value=woke");
        JsonNode event = JSON.readTree(watch.get(30, TimeUnit.SECONDS).body());
        assertThat(event.get("action").asText()).isEqualTo("set");
        assertThat(event.at("/node/key").asText()).isEqualTo("/watched/child");
        assertThat(event.at("/node/value").asText()).isEqualTo("woke");
    }

    @Test
    void noValueOnSuccessAnswersAWriteWithItsActionAlone() throws Exception {
        HttpResponse<String> set = etcd(0, "PUT", "/v2/keys/quiet?noValueOnSuccess=true", "value=v");
        assertThat(set.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(set.body())).isEqualTo(JSON.readTree("{\"action\":\"set\"}"));
        assertThat(JSON.readTree(etcd(0, "DELETE", "/v2/keys/quiet?noValueOnSuccess=true", null).body())
                .at("/prevNode/value").asText()).as("a delete still shows what it deleted").isEqualTo("v");
    }

    /** etcd's refresh restarts a key's time to live without waking a watcher: heartbeats do not look like changes. */
    @Test
    void aRefreshWakesNoWatcher() throws Exception {
        etcd(0, "PUT", "/v2/keys/lease", "value=held&ttl=60");
        int watcher = cluster.nodes().indexOf(cluster.followers(leader).get(0));
        CompletableFuture<HttpResponse<String>> watch = etcdAsync(watcher, "GET", "/v2/keys/lease?wait=true", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> storeWatchers(watcher) > 0);

        HttpResponse<String> refresh = etcd(watcher, "PUT", "/v2/keys/lease?refresh=true&ttl=60&prevExist=true", null);
        assertThat(refresh.statusCode()).isEqualTo(200);
        long refreshed = JSON.readTree(refresh.body()).at("/node/modifiedIndex").asLong();
        etcd(0, "PUT", "/v2/keys/lease", "value=changed");

        JsonNode event = JSON.readTree(watch.get(30, TimeUnit.SECONDS).body());
        assertThat(event.at("/node/value").asText()).as("the change after the refresh").isEqualTo("changed");
        JsonNode fromHistory = JSON.readTree(etcd(watcher, "GET", "/v2/keys/lease?wait=true&waitIndex=" + refreshed,
                null).body());
        assertThat(fromHistory.at("/node/value").asText()).as("the history skips it too").isEqualTo("changed");
    }

    @Test
    void aStreamedWatchSendsEveryEventUntilTheClientHangsUp() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + etcdPort
                + "/v2/keys/streamed?wait=true&stream=true&recursive=true")).build();
        HttpResponse<java.util.stream.Stream<String>> response = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        try (java.util.stream.Stream<String> lines = response.body()) {
            java.util.Iterator<String> events = lines.iterator();
            CompletableFuture<List<String>> firstTwo = CompletableFuture.supplyAsync(() -> List.of(events.next(),
                    events.next()));
            etcd(0, "PUT", "/v2/keys/streamed/a", "value=1");
            etcd(2, "PUT", "/v2/keys/streamed/b", "value=2");
            List<String> received = firstTwo.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(received.get(0)).at("/node/key").asText()).isEqualTo("/streamed/a");
            assertThat(response.headers().firstValueAsLong("X-Etcd-Index").orElseThrow())
                    .as("the index when the watch started, sent with the headers").isLessThan(
                            JSON.readTree(received.get(0)).at("/node/modifiedIndex").asLong());
            assertThat(JSON.readTree(received.get(1)).at("/node/value").asText()).isEqualTo("2");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> storeWatchers(1) == 0);
    }

    /** As etcd: clients such as Patroni time the wait for a watch's headers apart from the wait for its event. */
    @Test
    void aWaitingWatchSendsItsHeadersAtOnceAndItsEventWhenItComes() throws Exception {
        long written = JSON.readTree(etcd(0, "PUT", "/v2/keys/early", "value=1").body()).at("/node/modifiedIndex")
                .asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> etcd(1, "GET", "/v2/keys/early", null).statusCode() == 200);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + etcdPort
                + "/v2/keys/early?wait=true")).build();

        HttpResponse<java.io.InputStream> headers = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .get(60, TimeUnit.SECONDS);
        assertThat(headers.statusCode()).isEqualTo(200);
        assertThat(headers.headers().firstValue("Content-Type")).hasValue("application/json");
        long started = headers.headers().firstValueAsLong("X-Etcd-Index").orElseThrow();
        assertThat(started).as("the index when the watch started").isGreaterThanOrEqualTo(written);
        assertThat(headers.headers().firstValue("X-Raft-Term")).isPresent();

        etcd(0, "PUT", "/v2/keys/early", "value=2");
        try (java.io.InputStream body = headers.body()) {
            JsonNode event = JSON.readTree(body);
            assertThat(event.get("action").asText()).isEqualTo("set");
            assertThat(event.at("/node/value").asText()).isEqualTo("2");
            assertThat(event.at("/prevNode/value").asText()).isEqualTo("1");
            assertThat(event.at("/node/modifiedIndex").asLong()).isGreaterThan(started);
        }
    }

    @Test
    void aParkedWatchWhoseClientHangsUpIsDropped() throws Exception {
        try (Socket client = new Socket("127.0.0.2", etcdPort)) {
            client.getOutputStream().write(("GET /v2/keys/abandoned?wait=true HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> storeWatchers(1) > 0);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> storeWatchers(1) == 0);
    }

    @Test
    void aWatchFromAnIndexAnswersFromTheHistoryOnEveryServer() throws Exception {
        long first = JSON.readTree(etcd(0, "PUT", "/v2/keys/hist", "value=1").body()).at("/node/modifiedIndex")
                .asLong();
        etcd(0, "PUT", "/v2/keys/hist", "value=2");
        etcd(0, "DELETE", "/v2/keys/hist", null);
        for (int server = 0; server < 3; server++) {
            int s = server;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode second = JSON.readTree(etcd(s, "GET", "/v2/keys/hist?wait=true&waitIndex=" + (first + 1),
                        null).body());
                assertThat(second.at("/node/value").asText()).isEqualTo("2");
                assertThat(second.at("/prevNode/value").asText()).isEqualTo("1");
            });
        }
    }

    @Test
    void aKeyWithATimeToLiveExpiresAtTheSameIndexOnEveryServer() throws Exception {
        JsonNode set = JSON.readTree(etcd(0, "PUT", "/v2/keys/short-lived?ttl=1", "value=v").body());
        assertThat(set.at("/node/ttl").asLong()).isBetween(0L, 1L);
        assertThat(set.at("/node/expiration").asText()).endsWith("Z");
        long written = set.at("/node/modifiedIndex").asLong();
        List<Long> expiredAt = new ArrayList<>();
        for (int server = 0; server < 3; server++) {
            JsonNode event = JSON.readTree(etcdAsync(server, "GET", "/v2/keys/short-lived?wait=true&waitIndex="
                    + (written + 1), null).get(60, TimeUnit.SECONDS).body());
            assertThat(event.get("action").asText()).isEqualTo("expire");
            assertThat(event.at("/prevNode/value").asText()).isEqualTo("v");
            expiredAt.add(event.at("/node/modifiedIndex").asLong());
        }
        assertThat(expiredAt).containsOnly(expiredAt.get(0));
        assertThat(etcd(1, "GET", "/v2/keys/short-lived", null).statusCode()).isEqualTo(404);
        for (int server = 0; server < 3; server++) {
            assertThat(JSON.readTree(etcd(server, "GET", "/v2/stats/store", null).body()).get("expireCount")
                    .asLong()).as("expireCount on server %d, which applied the expiry", server).isPositive();
        }

        JsonNode zero = JSON.readTree(etcd(0, "PUT", "/v2/keys/gone?ttl=0", "value=v").body());
        assertThat(zero.at("/node/expiration").asText()).as("ttl=0 expires at once, as in etcd").endsWith("Z");
        await().atMost(Duration.ofSeconds(30)).until(() -> etcd(2, "GET", "/v2/keys/gone", null).statusCode() == 404);
    }

    @Test
    void directoriesInOrderKeysAndHiddenKeys() throws Exception {
        assertThat(etcd(0, "PUT", "/v2/keys/d?dir=true", null).statusCode()).isEqualTo(201);
        assertThat(etcd(0, "PUT", "/v2/keys/d?dir=true&prevExist=false", null).statusCode()).isEqualTo(412);
        JsonNode queued = JSON.readTree(etcd(0, "POST", "/v2/keys/d/queue", "value=job1").body());
        assertThat(queued.get("action").asText()).isEqualTo("create");
        assertThat(queued.at("/node/key").asText()).matches("/d/queue/\\d{20}");
        etcd(0, "POST", "/v2/keys/d/queue", "value=job2");
        etcd(0, "PUT", "/v2/keys/d/_hidden", "value=h");
        etcd(0, "PUT", "/v2/keys/d/sub/deep", "value=x");

        JsonNode flat = JSON.readTree(etcd(0, "GET", "/v2/keys/d?quorum=true", null).body());
        assertThat(flat.at("/node/nodes").findValuesAsText("key")).containsExactly("/d/queue", "/d/sub");
        assertThat(flat.at("/node/nodes/0/nodes").isMissingNode()).isTrue();
        JsonNode deep = JSON.readTree(etcd(0, "GET", "/v2/keys/d?recursive=true&sorted=true&quorum=true", null)
                .body());
        assertThat(deep.at("/node/nodes/0/nodes").findValuesAsText("value")).containsExactly("job1", "job2");
        assertThat(JSON.readTree(etcd(0, "GET", "/v2/keys/d/_hidden?quorum=true", null).body()).at("/node/value")
                .asText()).as("a hidden key read by name").isEqualTo("h");

        assertThat(etcd(0, "DELETE", "/v2/keys/d?dir=true", null).statusCode()).isEqualTo(403);
        HttpResponse<String> removed = etcd(0, "DELETE", "/v2/keys/d?recursive=true", null);
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(etcd(0, "GET", "/v2/keys/d/sub/deep?quorum=true", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theClusterEndpointsDescribeTheThreeServers() throws Exception {
        JsonNode members = JSON.readTree(etcd(1, "GET", "/v2/members", null).body()).get("members");
        assertThat(members).hasSize(3);
        assertThat(members.findValuesAsText("name")).containsExactlyInAnyOrder("node1", "node2", "node3");
        assertThat(members.get(0).get("clientURLs").get(0).asText()).matches("http://127\\.0\\.0\\.[123]:"
                + etcdPort);
        assertThat(JSON.readTree(etcd(0, "GET", "/version", null).body()).get("etcdserver").asText())
                .startsWith("3.4.");
        assertThat(etcd(2, "GET", "/health", null).body()).contains("\"health\":\"true\"");
        int leaderIndex = cluster.nodes().indexOf(leader);
        assertThat(etcd(leaderIndex, "GET", "/v2/stats/leader", null).statusCode()).isEqualTo(200);
        assertThat(etcd((leaderIndex + 1) % 3, "GET", "/v2/stats/leader", null).statusCode()).isEqualTo(403);
        assertThat(etcd(0, "GET", "/v2/nothing", null).statusCode()).isEqualTo(404);
        HttpResponse<String> auth = etcd(1, "GET", "/v2/auth/users", null);
        assertThat(auth.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(auth.body()).get("message").asText())
                .startsWith("auth: etcd's v2 auth is not provided");

        HttpResponse<String> add = etcd(0, "POST", "/v2/members", "{\"peerURLs\":[\"http://127.0.0.9:2380\"]}");
        assertThat(add.statusCode()).as("adding a member is not done through etcd's API").isEqualTo(405);
        assertThat(add.headers().firstValue("Allow")).hasValue("GET,HEAD");
        String someone = members.get(0).get("id").asText();
        assertThat(etcd(0, "DELETE", "/v2/members/" + someone, null).statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(etcd(1, "GET", "/v2/members", null).body()).get("members")).hasSize(3);
        assertThat(JSON.readTree(etcd(1, "GET", "/v2/members/", null).body()).get("members")).hasSize(3);
        HttpResponse<String> unknownMember = etcd(1, "GET", "/v2/members/abc", null);
        assertThat(unknownMember.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownMember.body()).get("message").asText()).isEqualTo("Not found");
    }

    private long storeWatchers(int server) throws Exception {
        return JSON.readTree(etcd(server, "GET", "/v2/stats/store", null).body()).get("watchers").asLong();
    }

    private HttpResponse<String> etcd(int server, String method, String path, String form) throws Exception {
        return etcdAsync(server, method, path, form).get(60, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> etcdAsync(int server, String method, String path, String form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0." + (server + 1) + ":"
                + etcdPort + path)).timeout(Duration.ofSeconds(60));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form.replace(" ", "%20")));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Debian's {@code etcdctl} in its v2 mode ({@code ETCDCTL_API=2}), unmodified, against the same three servers:
     * the commands the etcd tutorials use, the cluster commands, and watches that wait for a write; and in its default
     * v3 mode, which the servers refuse in words.
     */
    @Nested
    class Etcdctl {
        private Path work;

        record Run(int exit, String out) {
        }

        @BeforeEach
        void workDirectory(@TempDir Path dir) {
            work = dir;
        }

        @Test
        void theTutorialCommandsWork() throws Exception {
            assertThat(etcdctl("set", "/tut/a", "hello")).isEqualTo(new Run(0, "hello\n"));
            assertThat(etcdctl("get", "/tut/a")).isEqualTo(new Run(0, "hello\n"));
            assertThat(etcdctl("mk", "/tut/b", "one")).isEqualTo(new Run(0, "one\n"));
            Run again = etcdctl("mk", "/tut/b", "two");
            assertThat(again.exit()).isNotZero();
            assertThat(again.out()).contains("105: Key already exists (/tut/b)");
            assertThat(etcdctl("mkdir", "/tut/dir").exit()).isZero();
            assertThat(etcdctl("ls", "/tut")).isEqualTo(new Run(0, "/tut/a\n/tut/b\n/tut/dir\n"));
            assertThat(etcdctl("update", "/tut/a", "world")).isEqualTo(new Run(0, "world\n"));
            assertThat(etcdctl("update", "/tut/missing", "x").out()).contains("100: Key not found (/tut/missing)");
            assertThat(etcdctl("rm", "/tut/a").out()).contains("PrevNode.Value: world");
            assertThat(etcdctl("rmdir", "/tut/dir").exit()).isZero();
            assertThat(etcdctl("set", "/tut/deep/er", "x").exit()).isZero();
            assertThat(etcdctl("ls", "--recursive", "/tut")).isEqualTo(new Run(0, "/tut/b\n/tut/deep\n/tut/deep/er\n"));
            assertThat(etcdctl("rm", "--recursive", "/tut").exit()).isZero();
            assertThat(etcdctl("get", "/tut/b").out()).contains("100: Key not found");
        }

        @Test
        void memberListAndClusterHealthSeeTheThreeServers() throws Exception {
            Run members = etcdctl("member", "list");
            assertThat(members.exit()).isZero();
            assertThat(members.out().lines().toList()).hasSize(3).allSatisfy(line -> assertThat(line)
                    .matches("[0-9a-f]{16}: name=node[123] peerURLs=http://127\\.0\\.0\\.[123]:\\d+ clientURLs="
                            + "http://127\\.0\\.0\\.[123]:" + etcdPort + " isLeader=(true|false)"));
            assertThat(members.out()).containsOnlyOnce("isLeader=true");
            Run health = etcdctl("cluster-health");
            assertThat(health.exit()).isZero();
            assertThat(health.out()).contains("cluster is healthy");
        }

        @Test
        void userRoleAndAuthCommandsSayEtcdAuthIsNotProvided() throws Exception {
            for (List<String> args : List.of(List.of("user", "list"), List.of("auth", "enable"),
                    List.of("user", "add", "root:secret"), List.of("user", "get", "root"))) {
                Run run = etcdctl(args.toArray(String[]::new));
                assertThat(run.exit()).as(String.join(" ", args)).isNotZero();
                assertThat(run.out()).as(String.join(" ", args)).contains("etcd's v2 auth is not provided by Beacon");
            }
            // etcdctl's role commands show only the status of an answer other than 200.
            assertThat(etcdctl("role", "list")).isEqualTo(new Run(1, "unexpected status code 404\n"));
        }

        /** etcdctl's default mode speaks etcd's v3 gRPC API, which Beacon does not serve: it says so at once. */
        @Test
        void aV3CommandIsToldThatOnlyTheV2ApiIsServed() throws Exception {
            for (List<String> args : List.of(List.of("put", "/v3/key", "x"), List.of("get", "/v3/key"),
                    List.of("endpoint", "health"))) {
                Run run = etcdctlWithApi("3", args.toArray(String[]::new));
                assertThat(run.exit()).as(String.join(" ", args)).isNotZero();
                assertThat(run.out()).as(String.join(" ", args))
                        .contains("code = Unimplemented desc = Beacon serves etcd's v2 API only", "ETCDCTL_API=2")
                        .doesNotContain("context deadline exceeded");
            }
            assertThat(etcdctl("get", "/v3/key").out()).contains("100: Key not found");
        }

        @Test
        void watchWaitsForTheNextChangeAndExecWatchRunsACommandForEach() throws Exception {
            Process watch = start(List.of("watch", "/ctl-watched/key"), work.resolve("watch.out"));
            Path marks = work.resolve("exec-watch.out");
            // As etcd's documentation writes it: with a flag before the key, etcdctl keeps the "--" that ends it.
            Process execWatch = start(List.of("exec-watch", "--recursive", "/ctl-watched/exec", "--", "sh", "-c",
                    "echo \"$ETCD_WATCH_ACTION $ETCD_WATCH_VALUE\" >> " + marks), work.resolve("exec.out"));
            try {
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> watchers() >= 2);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("etcdctl watch: " + Files.readString(work.resolve("watch.out"))
                            + "\netcdctl exec-watch: " + Files.readString(work.resolve("exec.out")), e);
                }
                assertThat(etcdctl("set", "/ctl-watched/key", "changed").exit()).isZero();
                assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(work.resolve("watch.out"))).isEqualTo("changed\n");

                assertThat(etcdctl("set", "/ctl-watched/exec", "first").exit()).isZero();
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marks)
                            && Files.readString(marks).contains("set first"));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("etcdctl exec-watch: " + Files.readString(work.resolve("exec.out")), e);
                }
                assertThat(etcdctl("set", "/ctl-watched/exec", "second").exit()).isZero();
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(marks).contains("set second"));
            } finally {
                watch.destroyForcibly();
                execWatch.destroyForcibly();
            }
        }

        private long watchers() throws IOException {
            long total = 0;
            for (BeaconNode node : cluster.nodes()) {
                total += node.context().getBean(EtcdStoreCounters.class).watchers();
            }
            return total;
        }

        private List<String> command(List<String> args) {
            List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints",
                    "http://127.0.0.1:" + etcdPort + ",http://127.0.0.2:" + etcdPort));
            command.addAll(args);
            return command;
        }

        private Process start(List<String> args, Path output) throws IOException {
            return start("2", args, output);
        }

        private Process start(String api, List<String> args, Path output) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("ETCDCTL_API", api);
            return builder.start();
        }

        private Run etcdctl(String... args) throws Exception {
            return etcdctlWithApi("2", args);
        }

        private Run etcdctlWithApi(String api, String... args) throws Exception {
            Path output = Files.createTempFile(work, "etcdctl", ".out");
            Process process = start(api, List.of(args), output);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        }
    }
}
