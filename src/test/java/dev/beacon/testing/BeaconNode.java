package dev.beacon.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.beacon.BeaconApplication;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.LogCompaction;
import dev.beacon.cluster.Replicator;
import dev.beacon.dns.DnsServer;
import dev.beacon.state.Store;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real Beacon server in this JVM: a full Spring context with its own Atomix member, data directory and HTTP
 * port. Several of them on 127.0.0.1, .2 and .3 form a real cluster over loopback.
 */
public final class BeaconNode implements AutoCloseable {

    /** Longer than any blocking query the tests park (120 s), so that a server that never answers fails the test. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final String name;
    private final Map<String, String> properties;
    private ConfigurableApplicationContext context;
    /**
     * A client per start, never shared: a stopped server leaves its kept-alive connections open, and a pooled one to
     * its port would carry the requests for the next server given that port to a server that no longer reads them.
     */
    private HttpClient http;

    public BeaconNode(String name, String bindAddress, int raftPort, List<String> retryJoin, Path dataDir) {
        this.name = name;
        this.properties = new LinkedHashMap<>();
        properties.put("beacon.node-name", name);
        properties.put("beacon.bind-address", bindAddress);
        properties.put("beacon.ports.raft", Integer.toString(raftPort));
        properties.put("beacon.retry-join", String.join(",", retryJoin));
        properties.put("beacon.bootstrap-expect", Integer.toString(retryJoin.size() + 1));
        properties.put("beacon.data-dir", dataDir.toString());
        properties.put("beacon.ports.http", "0");
        properties.put("beacon.ports.dns", "0");
        properties.put("beacon.ports.etcd", "0");
        properties.put("beacon.ports.serf-wan", "0");
        // In-process servers share one JVM, and so its compiled code: a warm-up would only add parked reads that
        // tests counting watches would see.
        properties.put("beacon.warm-up", "false");
    }

    /** Sets a {@code beacon.*} (or any Spring) property for the next start. */
    public BeaconNode with(String property, String value) {
        properties.put(property, value);
        return this;
    }

    /** A property as the next start will be given it. */
    public String property(String name) {
        return properties.get(name);
    }

    public String name() {
        return name;
    }

    public int raftPort() {
        return Integer.parseInt(properties.get("beacon.ports.raft"));
    }

    public BeaconNode start() {
        List<String> args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // The main class names the build-time (AOT) context, which the integration tests run as a packaged server does.
        context = new SpringApplicationBuilder(BeaconApplication.class).main(BeaconApplication.class)
                .run(args.toArray(String[]::new));
        return this;
    }

    public boolean isRunning() {
        return context != null && context.isActive();
    }

    public void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public ClusterView cluster() {
        return context.getBean(ClusterView.class);
    }

    /** The node's Spring context, for tests that look at its beans (the route table, the meter registry). */
    public ConfigurableApplicationContext context() {
        return context;
    }

    public Replicator replicator() {
        return context.getBean(Replicator.class);
    }

    public Store store() {
        return context.getBean(Store.class);
    }

    public LogCompaction compaction() {
        return context.getBean(LogCompaction.class);
    }

    public int httpPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The DNS port, UDP and TCP. */
    public int dnsPort() {
        return context.getBean(DnsServer.class).port();
    }

    /** The port the etcd v2 API listens on. */
    public int etcdPort() {
        return context.getBean(dev.beacon.etcd.EtcdHttpServer.class).port();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort() + path);
    }

    /**
     * A GET of {@code target} sent byte for byte over a plain socket, for request targets that {@link URI} refuses
     * (a malformed escape, say) but a client can still send.
     */
    public RawResponse rawGet(String target) {
        try (Socket socket = new Socket("127.0.0.1", httpPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int bodyAt = response.indexOf("\r\n\r\n");
            return new RawResponse(Integer.parseInt(response.substring(9, 12)),
                    bodyAt < 0 ? "" : response.substring(bodyAt + 4));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A status and a body read off the wire as they came. */
    public record RawResponse(int status, String body) {
    }

    public HttpResponse<byte[]> sendBytes(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request with a body (or null for none) and an ACL token in {@code X-Consul-Token} ("" for none). */
    public HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!token.isEmpty()) {
            request.header("X-Consul-Token", token);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.timeout().isPresent() ? request
                    : HttpRequest.newBuilder(request, (name, value) -> true).timeout(REQUEST_TIMEOUT).build(), body);
        } catch (HttpTimeoutException e) {
            // The server runs in this JVM: what its threads were doing is what explains a request never answered.
            System.err.println("No answer to " + request.method() + " " + request.uri() + " in " + REQUEST_TIMEOUT
                    + "; the threads of this JVM:\n" + ThreadDumps.all());
            throw new java.io.UncheckedIOException(e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
