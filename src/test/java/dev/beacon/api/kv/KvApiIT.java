package dev.beacon.api.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The Consul KV and txn HTTP API over real sockets, on a real three-server cluster. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvApiIT {
    private TestCluster cluster;
    private BeaconNode leader;
    private BeaconNode followerA;
    private BeaconNode followerB;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = new TestCluster(dir).startAll();
        leader = cluster.awaitLeader();
        followerA = cluster.followers(leader).get(0);
        followerB = cluster.followers(leader).get(1);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void blockingGetOnAFollowerIsWokenByAPutOnAnotherServer() throws Exception {
        assertThat(put(leader, "block/key", "v1").body()).isEqualTo("true");
        HttpResponse<String> first = get(followerA, "/v1/kv/block/key");
        long index = index(first);

        CompletableFuture<HttpResponse<String>> parked = getAsync(followerA,
                "/v1/kv/block/key?index=" + index + "&wait=60s");
        assertThat(put(followerB, "block/key", "v2").body()).isEqualTo("true");
        HttpResponse<String> woken = parked.get(60, TimeUnit.SECONDS);

        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(index(woken)).isGreaterThan(index);
        assertThat(decodedValue(woken.body())).isEqualTo("v2");
    }

    @Test
    void aPrefixWatchIsNotWokenByAWriteOutsideItsPrefix() throws Exception {
        put(leader, "watched/a", "1");
        HttpResponse<String> first = get(followerA, "/v1/kv/watched/?recurse");
        long index = index(first);

        CompletableFuture<HttpResponse<String>> parked = getAsync(followerA,
                "/v1/kv/watched/?recurse&index=" + index + "&wait=3s");
        put(followerB, "watchedx", "outside");
        put(followerB, "other/key", "outside");
        HttpResponse<String> timedOut = parked.get(60, TimeUnit.SECONDS);

        assertThat(index(timedOut)).isEqualTo(index);
        assertThat(timedOut.body()).isEqualTo(first.body());

        CompletableFuture<HttpResponse<String>> parkedAgain = getAsync(followerA,
                "/v1/kv/watched/?recurse&index=" + index + "&wait=60s");
        put(followerB, "watched/b", "inside");
        assertThat(index(parkedAgain.get(60, TimeUnit.SECONDS))).isGreaterThan(index);
    }

    @Test
    void deletingAKeyRaisesThePrefixIndexAndItNeverGoesBackwards() {
        put(leader, "del/a", "1");
        put(leader, "del/b", "2");
        long beforeDelete = index(get(followerA, "/v1/kv/del/?recurse"));

        assertThat(delete(followerB, "del/b", "").body()).isEqualTo("true");
        HttpResponse<String> after = get(followerA, "/v1/kv/del/?recurse");
        long keyIndex = index(get(followerA, "/v1/kv/del/a"));

        assertThat(index(after)).isGreaterThan(beforeDelete).isGreaterThan(keyIndex);
        assertThat(after.body()).contains("del/a").doesNotContain("del/b");
        assertThat(get(followerA, "/v1/kv/del/b").statusCode()).isEqualTo(404);
        assertThat(index(get(followerA, "/v1/kv/del/b"))).isGreaterThan(0);
    }

    @Test
    void ofTwoConcurrentCasWritesExactlyOneWins() throws Exception {
        put(leader, "cas/counter", "0");
        for (int round = 0; round < 10; round++) {
            long modifyIndex = index(get(leader, "/v1/kv/cas/counter?consistent"));
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<String>> racers = new ArrayList<>();
            for (BeaconNode node : List.of(followerA, followerB)) {
                String value = node.name() + "-" + round;
                racers.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return put(node, "cas/counter?cas=" + modifyIndex, value).body();
                }));
            }
            go.countDown();
            List<String> answers = racers.stream().map(CompletableFuture::join).toList();

            assertThat(answers).as("round " + round).containsExactlyInAnyOrder("true", "false");
            String winner = answers.get(0).equals("true") ? followerA.name() : followerB.name();
            assertThat(decodedValue(get(leader, "/v1/kv/cas/counter").body())).isEqualTo(winner + "-" + round);
        }
    }

    @Test
    void aValueOverTheLimitIsRefusedAndTheOldValueStays() {
        put(leader, "big/key", "small");
        long index = index(get(leader, "/v1/kv/big/key"));

        HttpResponse<String> refused = send(followerA, HttpRequest.newBuilder(followerA.uri("/v1/kv/big/key"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[513 * 1024])));

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("524288").doesNotContain("Exception").hasLineCount(1);
        HttpResponse<String> after = get(leader, "/v1/kv/big/key");
        assertThat(decodedValue(after.body())).isEqualTo("small");
        assertThat(index(after)).isEqualTo(index);
    }

    @Test
    void aStreamedValueIsBoundedWhileItArrivesAndALargeOneWaitsForContinue() {
        put(leader, "streamed/key", "small");
        long index = index(get(leader, "/v1/kv/streamed/key"));

        // No Content-Length: the body arrives chunked and is refused once it passes the limit.
        HttpResponse<String> refused = send(followerA, HttpRequest.newBuilder(followerA.uri("/v1/kv/streamed/key"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[600 * 1024]))));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("524288").hasLineCount(1);
        assertThat(index(get(leader, "/v1/kv/streamed/key"))).isEqualTo(index);

        // curl sends "Expect: 100-continue" for bodies over 1 KiB and waits for the server's go-ahead.
        String value = "v".repeat(400 * 1024);
        HttpResponse<String> stored = send(followerB, HttpRequest.newBuilder(followerB.uri("/v1/kv/streamed/key"))
                .expectContinue(true).PUT(HttpRequest.BodyPublishers.ofString(value)));
        assertThat(stored.body()).isEqualTo("true");
        assertThat(get(leader, "/v1/kv/streamed/key?raw").body()).isEqualTo(value);
    }

    @Test
    void aTransactionAppliesAllItsOperationsAtOneIndex() {
        String body = "[" + op("set", "txn/a", "1") + "," + op("set", "txn/b", "2") + ","
                + "{\"KV\":{\"Verb\":\"get\",\"Key\":\"txn/a\"}}]";

        HttpResponse<String> response = txn(followerA, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"Results\":[{\"KV\":{").endsWith("\"Errors\":null}");
        long a = index(get(leader, "/v1/kv/txn/a"));
        long b = index(get(leader, "/v1/kv/txn/b"));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aFailedTransactionLeavesNoTrace() {
        put(leader, "txnfail/existing", "v");
        long kvIndex = index(get(leader, "/v1/kv/?recurse"));
        String body = "[" + op("set", "txnfail/new", "x") + "," + op("delete", "txnfail/existing", null) + ","
                + "{\"KV\":{\"Verb\":\"check-index\",\"Key\":\"txnfail/existing\",\"Index\":1}}]";

        HttpResponse<String> response = txn(followerB, body);

        assertThat(response.statusCode()).isEqualTo(409);
        // Op 1 deleted the key inside the transaction, so op 2 finds nothing to check.
        assertThat(response.body()).contains("\"Results\":null", "\"OpIndex\":2",
                "key \\\"txnfail/existing\\\" doesn't exist");
        assertThat(get(leader, "/v1/kv/txnfail/new").statusCode()).isEqualTo(404);
        assertThat(get(leader, "/v1/kv/txnfail/existing").statusCode()).isEqualTo(200);
        assertThat(index(get(leader, "/v1/kv/?recurse"))).isEqualTo(kvIndex);
    }

    @Test
    void aTransactionOf129OperationsIsRefusedBeforeAnythingIsWritten() {
        List<String> ops = new ArrayList<>();
        for (int i = 0; i < 129; i++) {
            ops.add(op("set", "txnbig/" + i, "v"));
        }

        HttpResponse<String> response = txn(leader, "[" + String.join(",", ops) + "]");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("129 > 128");
        assertThat(get(leader, "/v1/kv/txnbig/?keys").statusCode()).isEqualTo(404);
    }

    @Test
    void writingTheSameValueAgainIsNoWriteAsInConsul() {
        assertThat(put(leader, "same/config?flags=3", "x=1").body()).isEqualTo("true");
        HttpResponse<String> first = get(followerA, "/v1/kv/same/config");
        long modifyIndex = index(first);

        // A config tool re-writing what it owns: answered true, but no new index for watchers to wake on.
        assertThat(put(followerB, "same/config?flags=3", "x=1").body()).isEqualTo("true");
        assertThat(put(leader, "same/config?flags=3&cas=" + modifyIndex, "x=1").body()).isEqualTo("true");
        put(leader, "same/other", "y");
        HttpResponse<String> again = get(followerA, "/v1/kv/same/config?consistent");
        assertThat(index(again)).isEqualTo(modifyIndex);
        assertThat(again.body()).isEqualTo(first.body());

        assertThat(put(leader, "same/config?flags=4", "x=1").body()).isEqualTo("true");
        assertThat(index(get(followerA, "/v1/kv/same/config?consistent"))).isGreaterThan(modifyIndex);
    }

    @Test
    void aRawValueIsServedSoThatABrowserNeitherSniffsNorRunsIt() {
        put(leader, "page/evil", "<script>alert(1)</script>");

        HttpResponse<String> raw = get(leader, "/v1/kv/page/evil?raw");
        assertThat(raw.body()).isEqualTo("<script>alert(1)</script>");
        assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(raw.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(raw.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
        assertThat(get(leader, "/v1/kv/page/evil").headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    @Test
    void malformedRequestsGetAOneLineClientError() {
        assertThat(txn(leader, "{not json").statusCode()).isEqualTo(400);
        assertThat(txn(leader, "[{\"KV\":{\"Verb\":\"explode\",\"Key\":\"k\"}}]").statusCode()).isEqualTo(400);
        assertThat(get(leader, "/v1/kv/x?index=abc").statusCode()).isEqualTo(400);
        assertThat(get(leader, "/v1/kv/x?wait=10").statusCode()).isEqualTo(400);
        // Unknown parameters are ignored, as Consul ignores them: newer clients send ones Beacon does not know.
        assertThat(put(leader, "known?bogus=1", "v").body()).isEqualTo("true");
        assertThat(get(leader, "/v1/kv/known?bogus=1&raw").body()).isEqualTo("v");
        assertThat(put(leader, "x?flags=-1", "v").statusCode()).isEqualTo(400);
        assertThat(put(leader, "x?cas=1&acquire=s", "v").statusCode()).isEqualTo(400);
        HttpResponse<String> conflicting = send(leader,
                HttpRequest.newBuilder(leader.uri("/v1/kv/known?recurse&cas=1")).DELETE());
        assertThat(conflicting.statusCode()).isEqualTo(400);
        assertThat(conflicting.body()).startsWith("Conflicting flags");
        assertThat(get(leader, "/v1/kv/known?raw").body()).isEqualTo("v");
        assertThat(get(leader, "/v1/kv/?keys&seperator=/").body()).contains("\"known\"").doesNotContain("page/evil");
        HttpResponse<String> unclean = send(leader, HttpRequest.newBuilder(leader.uri("/v1/kv//lead?flags=1"))
                .PUT(HttpRequest.BodyPublishers.ofString("v")));
        assertThat(unclean.statusCode()).as("Go's mux, Consul's, redirects an unclean path").isEqualTo(301);
        assertThat(unclean.headers().firstValue("Location")).hasValue("/v1/kv/lead?flags=1");
        assertThat(get(leader, "/v1/kv/lead").statusCode()).as("nothing written").isEqualTo(404);
        assertThat(send(leader, HttpRequest.newBuilder(leader.uri("/v1/kv/x"))
                .POST(HttpRequest.BodyPublishers.ofString("v"))).statusCode()).isEqualTo(405);
        assertThat(get(leader, "/v1/kv/x?stale&consistent").statusCode()).isEqualTo(400);
        BeaconNode.RawResponse badPath = leader.rawGet("/v1/kv/bad%zzpath");
        assertThat(badPath.status()).isEqualTo(400);
        assertThat(badPath.body()).contains("Invalid URL path encoding").hasLineCount(1);
        // A query pair that does not decode is dropped, as Go's parser (Consul's) drops it.
        assertThat(leader.rawGet("/v1/kv/known?raw&junk=%zz").body()).isEqualTo("v");
    }

    /** python-consul, the Go API and crypt build {@code /v1/kv//key} for a key written with a leading slash. */
    @Test
    void aReadOfAKeyWithALeadingSlashFindsTheKeyOnceTheRedirectIsFollowed() throws Exception {
        put(leader, "app/config", "{\"db\":1}");
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        HttpResponse<String> read = following.send(HttpRequest.newBuilder(followerA.uri("/v1/kv//app/config?raw"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("{\"db\":1}");
        assertThat(read.uri().getPath()).isEqualTo("/v1/kv/app/config");
        BeaconNode.RawResponse redirect = followerA.rawGet("/v1/kv/app/./config");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.body()).isEqualTo("<a href=\"/v1/kv/app/config\">Moved Permanently</a>.\n\n");
    }

    @Test
    void flagsAreAcceptedInEveryConsulSpellingAndFalseMeansFalse() {
        put(leader, "flags/a", "1");
        put(leader, "flags/b", "2");
        for (String spelling : List.of("recurse", "recurse=", "recurse=true", "recurse=1")) {
            assertThat(get(followerA, "/v1/kv/flags/?" + spelling).body()).as(spelling)
                    .contains("flags/a", "flags/b");
        }
        assertThat(get(followerA, "/v1/kv/flags/a?recurse=false").body()).contains("flags/a")
                .doesNotContain("flags/b");
    }

    @Test
    void keysWithCommasAndUnicodeRoundTripAndKeysFoldOnTheSeparator() {
        String key = "config/app,dev/日本 key";
        assertThat(put(followerA, URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%2F", "/").replace("%2C", ","), "v").body()).isEqualTo("true");
        put(followerA, "config/app,dev/sub/deep", "v");

        assertThat(get(leader, "/v1/kv/config/app,dev/?keys&separator=/").body())
                .isEqualTo("[\"config/app,dev/sub/\",\"config/app,dev/日本 key\"]");
        assertThat(get(leader, "/v1/kv/config/app,dev/?recurse").body()).contains("\"Key\":\"" + key + "\"");
    }

    @Test
    void everyConsistencyModeServesFromAFollowerWithConsulsHeaders() {
        put(leader, "modes/k", "v");
        // Default and consistent reads see the write at once (the leader answers them); a stale read is this
        // follower's copy, which has the write once the leader's next append or heartbeat reaches it.
        assertThat(get(followerB, "/v1/kv/modes/k").statusCode()).isEqualTo(200);
        assertThat(get(followerB, "/v1/kv/modes/k?consistent").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(followerB, "/v1/kv/modes/k?stale").statusCode() == 200);
        for (String mode : List.of("", "?consistent", "?stale")) {
            HttpResponse<String> r = get(followerB, "/v1/kv/modes/k" + mode);
            assertThat(r.statusCode()).as(mode).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Consul-KnownLeader")).as(mode).contains("true");
            assertThat(r.headers().firstValue("X-Consul-LastContact")).as(mode).isPresent();
            assertThat(index(r)).as(mode).isPositive();
        }
        HttpResponse<String> missing = get(followerB, "/v1/kv/modes/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
        assertThat(index(missing)).isPositive();
    }

    // ---- helpers ----

    private static String op(String verb, String key, String value) {
        String v = value == null ? "" : ",\"Value\":\"" + Base64.getEncoder()
                .encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\"";
        return "{\"KV\":{\"Verb\":\"" + verb + "\",\"Key\":\"" + key + "\"" + v + "}}";
    }

    private static String decodedValue(String body) {
        int at = body.indexOf("\"Value\":\"") + 9;
        return new String(Base64.getDecoder().decode(body.substring(at, body.indexOf('"', at))),
                StandardCharsets.UTF_8);
    }

    private static long index(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
    }

    private static HttpResponse<String> get(BeaconNode node, String path) {
        return node.get(path);
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(BeaconNode node, String path) {
        return CompletableFuture.supplyAsync(() -> node.get(path));
    }

    private static HttpResponse<String> put(BeaconNode node, String keyAndQuery, String value) {
        return send(node, HttpRequest.newBuilder(node.uri("/v1/kv/" + keyAndQuery))
                .PUT(HttpRequest.BodyPublishers.ofString(value)));
    }

    private static HttpResponse<String> delete(BeaconNode node, String key, String query) {
        return send(node, HttpRequest.newBuilder(node.uri("/v1/kv/" + key + query)).DELETE());
    }

    private static HttpResponse<String> txn(BeaconNode node, String body) {
        return send(node, HttpRequest.newBuilder(node.uri("/v1/txn"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(BeaconNode node, HttpRequest.Builder request) {
        return node.send(request.timeout(Duration.ofSeconds(90)).build());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
