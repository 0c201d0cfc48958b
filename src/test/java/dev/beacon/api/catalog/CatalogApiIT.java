package dev.beacon.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Consul's catalog and health endpoints over real HTTP on a real three-server cluster. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogApiIT {
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

    private static String registration(String node, String serviceId, String tag, String status) {
        return "{\"Node\":\"" + node + "\",\"Address\":\"10.1.0.1\",\"NodeMeta\":{\"zone\":\"z1\"},"
                + "\"Service\":{\"ID\":\"" + serviceId + "\",\"Service\":\"api\",\"Tags\":[\"" + tag + "\"],"
                + "\"Port\":8080,\"Meta\":{\"secure\":\"false\"}},"
                + "\"Check\":{\"Name\":\"http\",\"CheckID\":\"" + serviceId + ":http\",\"ServiceID\":\""
                + serviceId + "\",\"Status\":\"" + status + "\"}}";
    }

    @Test
    void everyServerIsInTheCatalogWithAPassingSerfHealthCheck() {
        for (BeaconNode node : cluster.nodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(followerA, "/v1/health/node/" + node.name()).body())
                            .contains("\"CheckID\":\"serfHealth\"", "\"Status\":\"passing\""));
        }
        assertThat(get(followerB, "/v1/catalog/nodes").body()).contains("\"Node\":\"node1\"", "\"Node\":\"node3\"");
    }

    @Test
    void aRegistrationOnOneServerIsDiscoverableOnAnotherWithHealthFilters() {
        assertThat(put(followerA, "/v1/catalog/register", registration("m1", "api-1", "blue", "passing")).body())
                .isEqualTo("true");
        assertThat(put(followerA, "/v1/catalog/register", registration("m2", "api-2", "green", "critical")).body())
                .isEqualTo("true");

        assertThat(get(followerB, "/v1/catalog/services").body()).containsPattern("\"api\":\\[[^]]*\"blue\",\"green\"");
        assertThat(get(followerB, "/v1/catalog/service/api?tag=green").body())
                .contains("\"ServiceID\":\"api-2\"").doesNotContain("api-1");
        assertThat(get(followerB, "/v1/health/service/api?passing=false").body())
                .contains("\"ID\":\"api-1\"", "\"ID\":\"api-2\"");
        assertThat(get(followerB, "/v1/health/service/api?passing=true").body())
                .contains("\"ID\":\"api-1\"").doesNotContain("api-2");
        assertThat(get(followerB, "/v1/health/service/api?passing").body()).doesNotContain("api-2");
        assertThat(get(followerB, "/v1/health/checks/api").body()).contains("api-1:http", "api-2:http");
        assertThat(get(followerB, "/v1/health/state/critical").body()).contains("api-2:http")
                .doesNotContain("api-1:http");
        assertThat(get(followerB, "/v1/catalog/node/m1").body()).contains("\"Services\":{\"api-1\":");
        assertThat(get(followerB, "/v1/catalog/node-services/m2").body()).contains("\"Services\":[{\"ID\":\"api-2\"");
        assertThat(get(followerB, "/v1/catalog/nodes?node-meta=zone:z1").body()).contains("m1", "m2")
                .doesNotContain("node1");
        assertThat(get(followerB, "/v1/health/service/api?node-meta=zone:z1").body()).contains("api-1", "api-2");
        assertThat(get(followerB, "/v1/health/service/api?node-meta=zone:elsewhere").body()).isEqualTo("[]");
        assertThat(get(followerB, "/v1/health/checks/api?node-meta=zone:elsewhere").body()).isEqualTo("[]");
        assertThat(get(followerB, "/v1/health/state/any?node-meta=zone:z1").body()).contains("api-1:http")
                .doesNotContain("\"Node\":\"node1\"");
        // Found by bench/HttpFuzz.java: a bare ?node-meta was a 500 (a null pair).
        HttpResponse<String> bare = get(followerB, "/v1/catalog/services?node-meta");
        assertThat(bare.statusCode()).isEqualTo(400);
        assertThat(bare.body()).startsWith("Invalid node-meta filter");
    }

    @Test
    void aBlockingHealthQueryWakesWhenACheckChangesAndNotForAKvWrite() throws Exception {
        put(leader, "/v1/catalog/register", registration("w1", "watched-1", "t", "passing"));
        long index = index(get(followerA, "/v1/health/service/api"));

        CompletableFuture<HttpResponse<String>> parked = CompletableFuture.supplyAsync(() ->
                get(followerA, "/v1/health/service/api?index=" + index + "&wait=3s"));
        put(followerB, "/v1/kv/unrelated", "x");
        HttpResponse<String> timedOut = parked.get(60, TimeUnit.SECONDS);
        assertThat(index(timedOut)).isEqualTo(index);

        CompletableFuture<HttpResponse<String>> parkedAgain = CompletableFuture.supplyAsync(() ->
                get(followerA, "/v1/health/service/api?index=" + index + "&wait=60s"));
        put(followerB, "/v1/catalog/register", registration("w1", "watched-1", "t", "critical"));
        HttpResponse<String> woken = parkedAgain.get(60, TimeUnit.SECONDS);

        assertThat(index(woken)).isGreaterThan(index);
        assertThat(woken.body()).contains("\"CheckID\":\"watched-1:http\"", "\"Status\":\"critical\"");
    }

    @Test
    void aWatcherOfOneServiceOrNodeSleepsThroughWritesToAnother() throws Exception {
        put(leader, "/v1/catalog/register", registration("s1", "solo-1", "t", "passing")
                .replace("\"Service\":\"api\"", "\"Service\":\"solo\""));
        long serviceIndex = index(get(followerA, "/v1/health/service/solo"));
        long nodeIndex = index(get(followerA, "/v1/catalog/node/s1"));
        CompletableFuture<HttpResponse<String>> serviceWatch = CompletableFuture.supplyAsync(() ->
                get(followerA, "/v1/health/service/solo?index=" + serviceIndex + "&wait=120s"));
        CompletableFuture<HttpResponse<String>> nodeWatch = CompletableFuture.supplyAsync(() ->
                get(followerA, "/v1/catalog/node/s1?index=" + nodeIndex + "&wait=120s"));

        // Another service on another node, registered and then failing: applied on the watchers' server too.
        put(followerB, "/v1/catalog/register", registration("s2", "other-1", "t", "passing")
                .replace("\"Service\":\"api\"", "\"Service\":\"other\""));
        put(followerB, "/v1/catalog/register", registration("s2", "other-1", "t", "critical")
                .replace("\"Service\":\"api\"", "\"Service\":\"other\""));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                get(followerA, "/v1/health/service/other?stale").body().contains("\"Status\":\"critical\""));

        assertThat(serviceWatch).as("a watcher of service solo").isNotDone();
        assertThat(nodeWatch).as("a watcher of node s1").isNotDone();

        put(followerB, "/v1/catalog/register", registration("s1", "solo-1", "t", "warning")
                .replace("\"Service\":\"api\"", "\"Service\":\"solo\""));
        HttpResponse<String> woken = serviceWatch.get(60, TimeUnit.SECONDS);
        assertThat(index(woken)).isGreaterThan(serviceIndex);
        assertThat(woken.body()).contains("\"Status\":\"warning\"");
        assertThat(index(nodeWatch.get(60, TimeUnit.SECONDS))).isGreaterThan(nodeIndex);
    }

    @Test
    void badRegistrationsAreRefusedAndWriteNothing() {
        String noAddress = "{\"Node\":\"bad1\"}";
        String badPort = "{\"Node\":\"bad2\",\"Address\":\"1.2.3.4\",\"Service\":{\"Service\":\"s\",\"Port\":70000}}";
        String unknownService = "{\"Node\":\"bad3\",\"Address\":\"1.2.3.4\",\"Check\":{\"Name\":\"c\","
                + "\"ServiceID\":\"nosuch\"}}";
        String badStatus = "{\"Node\":\"bad4\",\"Address\":\"1.2.3.4\",\"Check\":{\"Name\":\"c\",\"Status\":\"ok\"}}";
        String wrongType = "{\"Node\":\"bad5\",\"Address\":\"1.2.3.4\",\"Service\":{\"Service\":\"s\","
                + "\"Port\":\"eighty\"}}";

        for (String body : new String[] {noAddress, badPort, unknownService, badStatus, wrongType, "{not json"}) {
            HttpResponse<String> response = put(followerA, "/v1/catalog/register", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).hasLineCount(1).doesNotContain("Exception");
        }
        for (String node : new String[] {"bad1", "bad2", "bad3", "bad4", "bad5"}) {
            assertThat(get(leader, "/v1/catalog/node/" + node).body()).as(node).isEqualTo("null");
        }
        assertThat(get(leader, "/v1/health/state/bogus").statusCode()).isEqualTo(400);
    }

    @Test
    void deregisteringAServiceTakesItAndItsChecksOut() {
        put(leader, "/v1/catalog/register", registration("d1", "gone-1", "x", "passing"));
        assertThat(get(followerA, "/v1/catalog/service/api").body()).contains("gone-1");

        assertThat(put(followerA, "/v1/catalog/deregister", "{\"Node\":\"d1\",\"ServiceID\":\"gone-1\"}").body())
                .isEqualTo("true");

        assertThat(get(followerB, "/v1/catalog/service/api").body()).doesNotContain("gone-1");
        assertThat(get(followerB, "/v1/health/node/d1").body()).doesNotContain("gone-1:http");
        assertThat(get(followerB, "/v1/catalog/node/d1").statusCode()).isEqualTo(200);
        put(followerA, "/v1/catalog/deregister", "{\"Node\":\"d1\"}");
        HttpResponse<String> gone = get(followerB, "/v1/catalog/node/d1");
        assertThat(gone.statusCode()).isEqualTo(200);
        assertThat(gone.body()).isEqualTo("null");
        assertThat(gone.headers().firstValue("X-Consul-Index")).isPresent();
        assertThat(get(followerB, "/v1/catalog/node-services/d1").body()).isEqualTo("{\"Node\":null,\"Services\":null}");
    }

    @Test
    void catalogAndKvOperationsOfATransactionLandTogetherOrNotAtAll() {
        String register = "[{\"Node\":{\"Verb\":\"set\",\"Node\":{\"Node\":\"t1\",\"Address\":\"10.2.0.1\"}}},"
                + "{\"Service\":{\"Verb\":\"set\",\"Node\":\"t1\",\"Service\":{\"ID\":\"txn-1\","
                + "\"Service\":\"txnsvc\",\"Port\":9000,\"Tags\":[\"t\"]}}},"
                + "{\"Check\":{\"Verb\":\"set\",\"Check\":{\"Node\":\"t1\",\"CheckID\":\"txn-1:alive\","
                + "\"Name\":\"alive\",\"ServiceID\":\"txn-1\",\"Status\":\"passing\"}}},"
                + "{\"KV\":{\"Verb\":\"set\",\"Key\":\"txn/t1\",\"Value\":\"dXA=\"}}]";

        HttpResponse<String> done = put(followerA, "/v1/txn", register);

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("{\"Node\":{", "\"Node\":\"t1\"", "{\"Service\":{\"ID\":\"txn-1\"",
                "{\"Check\":{\"Node\":\"t1\",\"CheckID\":\"txn-1:alive\"", "{\"KV\":{", "\"Errors\":null");
        assertThat(get(followerB, "/v1/health/service/txnsvc?passing").body())
                .contains("\"ID\":\"txn-1\"", "txn-1:alive");

        String staleThenDelete = "[{\"Service\":{\"Verb\":\"delete\",\"Node\":\"t1\",\"Service\":{\"ID\":\"txn-1\"}}},"
                + "{\"KV\":{\"Verb\":\"delete\",\"Key\":\"txn/t1\"}},"
                + "{\"Node\":{\"Verb\":\"cas\",\"Node\":{\"Node\":\"t1\",\"ModifyIndex\":1}}}]";
        HttpResponse<String> refused = put(followerB, "/v1/txn", staleThenDelete);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("\"OpIndex\":2", "failed to set node \\\"t1\\\", index is stale");
        assertThat(get(leader, "/v1/catalog/service/txnsvc").body()).contains("\"ServiceID\":\"txn-1\"");
        assertThat(get(leader, "/v1/kv/txn/t1").statusCode()).isEqualTo(200);

        HttpResponse<String> unknownVerb = put(leader, "/v1/txn",
                "[{\"Node\":{\"Verb\":\"explode\",\"Node\":{\"Node\":\"t1\"}}}]");
        assertThat(unknownVerb.statusCode()).isEqualTo(400);
        assertThat(unknownVerb.body()).contains("unknown Node verb");
    }

    private static long index(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
    }

    private static HttpResponse<String> get(BeaconNode node, String path) {
        return node.get(path);
    }

    private static HttpResponse<String> put(BeaconNode node, String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(90))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
