package dev.beacon.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An unmodified Spring Cloud Consul application against a real three-server Beacon cluster: configuration from
 * {@code config/example-app/} keys and its watch, registration with a TTL heartbeat (one instance) and with an
 * HTTP check (another, through a different server's agent), discovery of another service's passing instances
 * through {@code DiscoveryClient}, in this datacenter and (through {@code ConsulDiscoveryClient} with a datacenter)
 * in a second one of one server, and deregistration on shutdown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringCloudConsulIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private BeaconServers beacon;
    private BeaconServers west;
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeAll
    void startBeacon(@TempDir Path dir) throws IOException {
        int westWan = BeaconServers.freePort();
        west = new BeaconServers(dir.resolve("dc2"), List.of("127.0.0.4"), "--beacon.datacenter=dc2",
                "--beacon.ports.serf-wan=" + westWan);
        beacon = new BeaconServers(dir.resolve("dc1"), "--beacon.retry-join-wan=127.0.0.4:" + westWan);
        beacon.awaitLeader();
        west.awaitLeader();
        assertThat(west.put(0, "/v1/agent/service/register", "{\"ID\":\"quotes-1\",\"Name\":\"quotes\","
                + "\"Address\":\"10.8.0.1\",\"Port\":7101,\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}")
                .statusCode()).isEqualTo(200);
        assertThat(beacon.put(0, "/v1/kv/config/example-app/greeting.message", "hello from beacon").body())
                .isEqualTo("true");
        // Another service, registered through the third server's agent: one instance passing, one critical.
        assertThat(beacon.put(2, "/v1/agent/service/register", "{\"ID\":\"pricing-1\",\"Name\":\"pricing\","
                + "\"Address\":\"10.9.0.1\",\"Port\":7001,\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}")
                .statusCode()).isEqualTo(200);
        assertThat(beacon.put(2, "/v1/agent/service/register", "{\"ID\":\"pricing-2\",\"Name\":\"pricing\","
                + "\"Address\":\"10.9.0.2\",\"Port\":7002,\"Check\":{\"TTL\":\"10m\"}}").statusCode()).isEqualTo(200);
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        apps.forEach(ConfigurableApplicationContext::close);
        if (beacon != null) {
            beacon.close();
        }
        if (west != null) {
            west.close();
        }
    }

    /** Starts the application against one Beacon server's agent, with a TTL heartbeat or an HTTP check. */
    private ConfigurableApplicationContext startApp(String instanceId, int server, boolean heartbeat) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ExampleApplication.class).run(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--spring.application.name=example-app",
                "--spring.config.import=consul:" + beacon.host(server) + ":" + beacon.httpPort(server),
                "--spring.cloud.consul.host=" + beacon.host(server),
                "--spring.cloud.consul.port=" + beacon.httpPort(server),
                "--spring.cloud.consul.config.watch.delay=200",
                "--spring.cloud.consul.config.watch.wait-time=2",
                "--spring.cloud.consul.discovery.instance-id=" + instanceId,
                "--spring.cloud.consul.discovery.prefer-ip-address=true",
                "--spring.cloud.consul.discovery.ip-address=127.0.0.1",
                "--spring.cloud.consul.discovery.query-passing=true",
                "--spring.cloud.consul.discovery.heartbeat.enabled=" + heartbeat,
                "--spring.cloud.consul.discovery.heartbeat.ttl=10s",
                "--spring.cloud.consul.discovery.health-check-interval=1s");
        apps.add(app);
        return app;
    }

    @Test
    void anUnmodifiedSpringCloudConsulAppConfiguresRegistersDiscoversWatchesAndDeregisters() {
        ConfigurableApplicationContext ttlApp = startApp("example-ttl", 0, true);
        ConfigurableApplicationContext httpApp = startApp("example-http", 1, false);

        // Configuration came from config/example-app/ at startup.
        assertThat(call(ttlApp, "/greeting")).isEqualTo("hello from beacon");

        // Both instances become passing: one by its heartbeat, the other by Beacon's HTTP check of its actuator.
        await().atMost(WAIT).untilAsserted(() -> assertThat(beacon.get(2, "/v1/health/service/example-app?passing")
                .body()).contains("\"ID\":\"example-ttl\"", "\"ID\":\"example-http\""));
        String checks = beacon.get(2, "/v1/health/checks/example-app").body();
        assertThat(checks).contains("\"ServiceID\":\"example-ttl\"", "\"Type\":\"ttl\"",
                "\"ServiceID\":\"example-http\"", "\"Type\":\"http\"");

        // DiscoveryClient sees only the passing instance of the other service, and both of its own.
        assertThat(call(httpApp, "/instances/pricing")).isEqualTo("[\"10.9.0.1:7001\"]");
        assertThat(call(ttlApp, "/instance-ids/example-app")).isEqualTo("[\"example-http\",\"example-ttl\"]");
        // A service of the other datacenter, asked for with ?dc=dc2; this datacenter has none.
        await().atMost(WAIT).untilAsserted(() -> assertThat(call(httpApp, "/instances/quotes/in/dc2"))
                .isEqualTo("[\"10.8.0.1:7101\"]"));
        assertThat(call(httpApp, "/instances/quotes")).isEqualTo("[]");

        // A KV change reaches the running application through its config watch.
        assertThat(beacon.put(1, "/v1/kv/config/example-app/greeting.message", "changed while running").body())
                .isEqualTo("true");
        await().atMost(WAIT).until(() -> call(ttlApp, "/greeting").equals("changed while running"));

        // Shutting down deregisters each instance from the agent it registered with.
        httpApp.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(beacon.get(1, "/v1/agent/services").body())
                .doesNotContain("example-http"));
        ttlApp.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(beacon.get(2, "/v1/catalog/service/example-app")
                .body()).isEqualTo("[]"));
    }

    static String call(ConfigurableApplicationContext app, String path) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
