package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * TLS with certificates made by {@code bin/beacon-tls}: three servers talk to each other over mutually verified
 * TLS and serve HTTPS that wants a client certificate; a server whose certificate another CA signed cannot join.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
    private Path certs;
    private Path foreign;

    @BeforeAll
    void makeCertificates(@TempDir Path dir) throws Exception {
        certs = dir.resolve("certs");
        foreign = dir.resolve("foreign");
        tls("ca", certs.toString());
        for (int i = 1; i <= 3; i++) {
            tls("server", certs.toString(), "node" + i, "127.0.0." + i);
        }
        tls("client", certs.toString(), "app");
        tls("ca", foreign.toString());
        tls("server", foreign.toString(), "node3", "127.0.0.3");
    }

    @Test
    void threeServersFormAClusterOverTlsAndHttpsWantsAClientCertificate(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            for (int i = 0; i < 3; i++) {
                useCertificates(cluster.node(i), certs, "node" + (i + 1)).with("beacon.ports.https", "0")
                        .with("beacon.tls.verify-incoming", "true");
            }
            cluster.startAll();
            BeaconNode leader = cluster.awaitLeader();
            BeaconNode follower = cluster.followers(leader).get(0);
            int httpsPort = follower.context().getBean(HttpsServer.class).port();

            HttpClient withCertificate = client(sslContext(certs.resolve("app.pem"), certs.resolve("app-key.pem")));
            HttpResponse<String> put = withCertificate.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + httpsPort + "/v1/kv/over/tls"))
                            .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString("secret")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.body()).isEqualTo("true");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> cluster.nodes().forEach(node ->
                    assertThat(node.store().kvGet("over/tls").value()).as(node.name()).isNotNull()));

            HttpClient withoutCertificate = client(sslContext(null, null));
            assertThatThrownBy(() -> withoutCertificate.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + httpsPort + "/v1/kv/over/tls"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("verify-incoming: a client without a certificate").isInstanceOf(IOException.class);
            assertThat(follower.get("/v1/kv/over/tls?raw").body()).as("plain HTTP stays on").isEqualTo("secret");
        }
    }

    @Test
    void aServerWithAnotherCasCertificateCannotJoin(@TempDir Path dir) {
        try (TestCluster cluster = new TestCluster(dir)) {
            useCertificates(cluster.node(0), certs, "node1");
            useCertificates(cluster.node(1), certs, "node2");
            useCertificates(cluster.node(2), foreign, "node3");
            cluster.startAll();

            BeaconNode intruder = cluster.node(2);
            await().atMost(TestCluster.FORMATION).until(() -> cluster.node(0).cluster().isReady()
                    && cluster.node(1).cluster().isReady() && cluster.node(0).cluster().leader().isPresent());
            assertThat(cluster.node(0).send("PUT", "/v1/kv/k", "", "v").body()).isEqualTo("true");
            // Long enough for a joining server to have joined many times over.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                    .until(() -> !intruder.cluster().isReady());
            assertThat(intruder.store().kvGet("k").value()).isNull();
            assertThat(cluster.node(0).cluster().serverLiveness()).containsEntry(
                    intruder.cluster().settings().localMember(), false);
        }
    }

    @Test
    void plainHttpCanBeTurnedOffLeavingHttpsOnly(@TempDir Path dir) throws Exception {
        BeaconNode node = useCertificates(new BeaconNode("node1", "127.0.0.1", TestCluster.freePort(), List.of(),
                dir), certs, "node1").with("beacon.ports.http", "-1").with("beacon.ports.https", "0");
        try (node) {
            node.start();
            node.cluster().whenReady().get(60, TimeUnit.SECONDS);
            int httpsPort = ((org.springframework.boot.web.server.context.WebServerApplicationContext)
                    node.context()).getWebServer().getPort();

            HttpResponse<String> leader = client(sslContext(null, null)).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + httpsPort + "/v1/status/leader"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(leader.statusCode()).as("no client certificate needed without verify-incoming")
                    .isEqualTo(200);
            assertThat(leader.body()).contains("127.0.0.1:");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpsPort + "/v1/status/leader"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain HTTP on the HTTPS port").isInstanceOf(IOException.class);
            assertThat(node.context().getBeansOfType(HttpsServer.class)).as("one server, not two").isEmpty();
        }
    }

    @Test
    void datacentersTalkOverTlsAndTheWanPortRefusesCallersWithoutACertificate(@TempDir Path dir) throws Exception {
        int westWan = TestCluster.freePort();
        BeaconNode west = useCertificates(new BeaconNode("node2", "127.0.0.2", TestCluster.freePort(), List.of(),
                dir.resolve("west")), certs, "node2").with("beacon.datacenter", "dc2")
                .with("beacon.ports.serf-wan", Integer.toString(westWan));
        BeaconNode east = useCertificates(new BeaconNode("node1", "127.0.0.1", TestCluster.freePort(), List.of(),
                dir.resolve("east")), certs, "node1").with("beacon.retry-join-wan", "127.0.0.2:" + westWan);
        try (west; east) {
            west.start();
            east.start();
            west.cluster().whenReady().get(60, TimeUnit.SECONDS);
            east.cluster().whenReady().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> east.get("/v1/catalog/datacenters").body()
                    .contains("dc2"));

            assertThat(east.send("PUT", "/v1/kv/over-tls?dc=dc2", "", "yes").body()).isEqualTo("true");
            assertThat(west.get("/v1/kv/over-tls?raw").body()).isEqualTo("yes");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.2:" + westWan + "/v1/kv/over-tls?raw"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain HTTP on the WAN port").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> client(sslContext(null, null)).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.2:" + westWan + "/v1/kv/over-tls?raw"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("HTTPS without a client certificate").isInstanceOf(IOException.class);
        }
    }

    private static BeaconNode useCertificates(BeaconNode node, Path dir, String name) {
        return node.with("beacon.tls.ca-file", dir.resolve("beacon-ca.pem").toString())
                .with("beacon.tls.cert-file", dir.resolve(name + ".pem").toString())
                .with("beacon.tls.key-file", dir.resolve(name + "-key.pem").toString());
    }

    /** An HTTPS client trusting the test CA, presenting the given certificate (none if null). */
    private SSLContext sslContext(Path cert, Path key) {
        PemSslStoreDetails keyStore = cert == null ? null
                : new PemSslStoreDetails(null, "file:" + cert, "file:" + key);
        PemSslStoreDetails trustStore = PemSslStoreDetails.forCertificates("file:" + certs.resolve("beacon-ca.pem"));
        return SslBundle.of(new PemSslStoreBundle(keyStore, trustStore)).createSslContext();
    }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void tls(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bin/beacon-tls"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(Files.exists(Path.of(args[1]))).isTrue();
    }
}
