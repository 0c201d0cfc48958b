package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code /v1} route, sent over HTTP to a real single server, passes the datacenter and authorize stages of
 * the one pipeline: each stage's per-route counter moves for it. A request for another datacenter stops at the
 * first stage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiPipelineIT {
    private BeaconNode node;
    private MeterRegistry metrics;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = new BeaconNode("pipeline", "127.0.0.1", TestCluster.freePort(), List.of(), dir).start();
        node.cluster().whenReady().join();
        metrics = node.context().getBean(MeterRegistry.class);
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void everyRoutePassesTheDatacenterAndAuthorizeStages() {
        List<Route> routes = node.context().getBean(ApiPipeline.class).routes().routes();
        assertThat(routes).extracting(Route::name)
                .contains("GET /v1/kv/", "PUT /v1/kv/", "DELETE /v1/kv/", "PUT /v1/txn", "GET /v1/status/leader");
        for (Route route : routes) {
            double routedBefore = count("beacon.api.routed", route);
            double authorizedBefore = count("beacon.api.authorized", route);

            send(route, "");

            assertThat(count("beacon.api.routed", route)).as(route.name()).isEqualTo(routedBefore + 1);
            assertThat(count("beacon.api.authorized", route)).as(route.name()).isEqualTo(authorizedBefore + 1);
        }
    }

    @Test
    void aRequestForAnotherDatacenterStopsAtTheDatacenterStage() {
        Route route = node.context().getBean(ApiPipeline.class).match("GET", "/v1/kv/elsewhere").route();
        double authorizedBefore = count("beacon.api.authorized", route);

        HttpResponse<String> response = send(route, "?dc=elsewhere");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("No path to datacenter\n");
        assertThat(count("beacon.api.authorized", route)).isEqualTo(authorizedBefore);
        // The agent's own endpoints answer for this agent, as Consul's ignore ?dc=.
        assertThat(node.get("/v1/agent/self?dc=elsewhere").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndMethodsAreRefusedBeforeAnyStage() {
        assertThat(node.get("/v1/no-such-endpoint").statusCode()).isEqualTo(404);
        HttpResponse<String> post = BeaconNode.send(HttpRequest.newBuilder(node.uri("/v1/status/leader"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).isEqualTo("method POST not allowed\n");
    }

    private HttpResponse<String> send(Route route, String query) {
        String path = route.path() + (route.isPrefix() ? "pipeline-probe" : "") + query;
        HttpRequest.BodyPublisher body = route.maxBody() > 0 ? HttpRequest.BodyPublishers.ofString("{}")
                : HttpRequest.BodyPublishers.noBody();
        return BeaconNode.send(HttpRequest.newBuilder(node.uri(path)).method(route.method(), body).build());
    }

    private double count(String meter, Route route) {
        Counter counter = metrics.find(meter).tag("route", route.name()).counter();
        return counter == null ? 0 : counter.count();
    }
}
