package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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

    /**
     * A client that sends each request as soon as it has read the previous answer, on one connection, gets every
     * answer: Reactor Netty 1.3.6 could stop reading such a connection for good (reactor-netty #4361; fixed in
     * 1.3.8, which Beacon uses).
     */
    @Test
    void aKeptAliveConnectionAnswersRequestsSentBackToBack() throws Exception {
        node.send("PUT", "/v1/kv/back-to-back", "", "v");
        try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 500; i++) {
                String target = i % 2 == 0 ? "/v1/kv/back-to-back?raw" : "/v1/agent/self";
                out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readStatus(in)).as("request " + i).isEqualTo(200);
            }
        }
    }

    /** One response's status, its headers and Content-Length body read off the stream. */
    private static int readStatus(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
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
        // Every route is timed by route and status, in place of the generic HTTP observation.
        for (Route route : routes) {
            assertThat(metrics.find("beacon.api.requests").tag("route", route.name()).timers())
                    .as(route.name()).isNotEmpty();
        }
        assertThat(metrics.find("http.server.requests").timers())
                .noneMatch(timer -> String.valueOf(timer.getId().getTag("uri")).startsWith("/v1/"));
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
        HttpResponse<String> post = node.send(HttpRequest.newBuilder(node.uri("/v1/status/leader"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).isEqualTo("method POST not allowed\n");
    }

    @Test
    void parkedBlockingQueriesHoldNoThreadAndAllWakeOnTheWrite() throws Exception {
        int watchers = 300;
        HttpResponse<String> put = node.send(HttpRequest.newBuilder(node.uri("/v1/kv/parked"))
                .PUT(HttpRequest.BodyPublishers.ofString("1")).build());
        assertThat(put.body()).isEqualTo("true");
        long index = Long.parseLong(node.get("/v1/kv/parked").headers().firstValue("X-Consul-Index").orElseThrow());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        long parkedBefore = node.store().watchCount();
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
        List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
        for (int i = 0; i < watchers; i++) {
            parked.add(client.sendAsync(HttpRequest.newBuilder(node.uri("/v1/kv/parked?index=" + index + "&wait=5m"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> node.store().watchCount() - parkedBefore >= watchers);

        assertThat(threads.getThreadCount() - threadsBefore).as("threads added while %d queries park", watchers)
                .isLessThan(watchers / 10);
        assertThat(parked).noneMatch(CompletableFuture::isDone);

        node.send(HttpRequest.newBuilder(node.uri("/v1/kv/parked"))
                .PUT(HttpRequest.BodyPublishers.ofString("2")).build());
        for (CompletableFuture<HttpResponse<String>> answer : parked) {
            HttpResponse<String> woken = answer.get(60, TimeUnit.SECONDS);
            assertThat(woken.statusCode()).isEqualTo(200);
            assertThat(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow()))
                    .isGreaterThan(index);
        }
        clientThreads.shutdown();
    }

    private HttpResponse<String> send(Route route, String query) {
        String path = route.path() + (route.isPrefix() ? "pipeline-probe" : "") + query;
        HttpRequest.BodyPublisher body = route.maxBody() > 0 ? HttpRequest.BodyPublishers.ofString("{}")
                : HttpRequest.BodyPublishers.noBody();
        return node.send(HttpRequest.newBuilder(node.uri(path)).method(route.method(), body).build());
    }

    private double count(String meter, Route route) {
        Counter counter = metrics.find(meter).tag("route", route.name()).counter();
        return counter == null ? 0 : counter.count();
    }
}
