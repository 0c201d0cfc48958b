package dev.beacon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node liveness and anti-entropy on real servers. A server that fails takes its services out of passing
 * results (its serfHealth check turns critical through the leader) and they pass again when it returns, its
 * agent having kept its registrations on disk. Agents remove from the catalog what they do not know on their
 * node, and put back what the catalog lost. Servers sync every 2 s here (30 s by default).
 */
class NodeFailureIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void failedServersLeavePassingResultsAndAgentsKeepTheCatalogInStep(@TempDir Path dir) {
        try (TestCluster cluster = new TestCluster(dir)) {
            cluster.nodes().forEach(n -> n.with("beacon.agent.sync-interval", "2s"));
            cluster.startAll();
            BeaconNode leader = cluster.awaitLeader();
            BeaconNode doomed = cluster.followers(leader).get(0);
            BeaconNode watcher = cluster.followers(leader).get(1);
            register(doomed, "svc-on-doomed", "fragile");
            register(watcher, "svc-on-watcher", "steady");
            await().atMost(WAIT).until(() -> passing(watcher, "fragile").contains("svc-on-doomed"));

            doomed.stop();

            await().atMost(WAIT).until(() -> passing(watcher, "fragile").equals("[]"));
            assertThat(watcher.get("/v1/health/node/" + doomed.name()).body())
                    .contains("\"CheckID\":\"serfHealth\"", "\"Status\":\"critical\"",
                            "Agent not live or unreachable");
            assertThat(watcher.get("/v1/health/service/fragile").body()).contains("svc-on-doomed");

            doomed.start();

            await().atMost(WAIT).until(() -> watcher.get("/v1/health/node/" + doomed.name()).body()
                    .contains("\"Status\":\"passing\""));
            // The restarted agent kept its registrations on disk: the service is back in passing results.
            await().atMost(WAIT).until(() -> passing(watcher, "fragile").contains("svc-on-doomed"));
            await().atMost(WAIT).until(() -> doomed.get("/v1/agent/services").body().contains("svc-on-doomed"));
            await().atMost(WAIT).until(() -> doomed.get("/v1/agent/checks").body()
                    .contains("\"service:svc-on-doomed\""));

            // A service on the agent's node that the agent does not know is removed from the catalog.
            put(leader, "/v1/catalog/register", "{\"Node\":\"" + watcher.name() + "\",\"Address\":\"127.0.0.9\","
                    + "\"Service\":{\"ID\":\"stray-1\",\"Service\":\"stray\"}}");
            await().atMost(WAIT).until(() -> watcher.get("/v1/catalog/service/stray").body().equals("[]"));

            // The catalog loses a service behind its agent's back: the agent puts it back.
            put(leader, "/v1/catalog/deregister", "{\"Node\":\"" + watcher.name()
                    + "\",\"ServiceID\":\"svc-on-watcher\"}");
            await().atMost(WAIT).until(() -> passing(leader, "steady").contains("svc-on-watcher"));
        }
    }

    private static void register(BeaconNode node, String id, String name) {
        HttpResponse<String> r = put(node, "/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\""
                + name + "\",\"Port\":1,\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}");
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static String passing(BeaconNode node, String service) {
        return node.get("/v1/health/service/" + service + "?passing").body();
    }

    private static HttpResponse<String> put(BeaconNode node, String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
