package dev.beacon.wan;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ReadOptions;
import dev.beacon.dns.DnsHandler;
import dev.beacon.state.Query;
import dev.beacon.state.QueryCodec;

import io.netty.buffer.Unpooled;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WAN port ({@code beacon.ports.serf-wan}, Consul's 8302) on {@code bind-address}: servers of every datacenter
 * ping each other here ({@link WanProber}), and requests forwarded from another datacenter ({@code ?dc=}) arrive
 * here and go through the same {@code /v1} pipeline as this server's own clients' (their token is checked here), as
 * do DNS questions about this datacenter ({@link WanDns}), answered by this server's DNS handler, and reads of its
 * replica for other datacenters' UIs ({@link WanReads}). Like the Raft port, it is for servers only: keep it on a
 * network only servers reach.
 * Only this port needs to be open between datacenters. It starts the prober once it listens.
 */
public final class WanHttpServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WanHttpServer.class);
    private static final int MAX_HELLO_BYTES = 1024 * 1024;
    private static final String DNS_MESSAGE = "application/dns-message";
    private static final String BINARY = "application/octet-stream";
    private static final Duration MAX_READ_WAIT = Duration.ofMinutes(10);

    private final WanPool pool;
    private final WanProber prober;
    private final NettyRouteProvider api;
    private final DnsHandler dns;
    private final BlockingQueries reads;
    private final JsonMapper json;
    private final LoopResources loops;
    private final int port;
    private final SslContext tls;
    private volatile DisposableServer server;

    /** @param tls the server side of {@link WanTransport#tls}, requiring a client certificate; null for plain HTTP */
    public WanHttpServer(WanPool pool, WanProber prober, NettyRouteProvider api, DnsHandler dns,
                         BlockingQueries reads, JsonMapper json, LoopResources loops, int port, SslContext tls) {
        this.pool = pool;
        this.prober = prober;
        this.api = api;
        this.dns = dns;
        this.reads = reads;
        this.json = json;
        this.loops = loops;
        this.port = port;
        this.tls = tls;
    }

    @Override
    public void start() {
        // Stopping closes the connections in the group (as EtcdHttpServer's): a caller's pooled connection to a
        // server restarted in the same JVM is then never left open and unread.
        HttpServer http = HttpServer.create().host(pool.self().host()).port(port).runOn(loops)
                .channelGroup(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
        if (tls != null) {
            http = http.secure(spec -> spec.sslContext(tls));
        }
        server = http.route(routes -> api.apply(routes.post(WanProber.PING_PATH, this::ping)
                        .post(WanDns.PATH, this::dns).post(WanReads.PATH, this::read)))
                .bindNow();
        pool.listeningOn(server.port());
        prober.start();
        log.info("WAN port listening on {}", pool.self().address());
    }

    @Override
    public void stop() {
        prober.stop();
        DisposableServer running = server;
        if (running != null) {
            running.disposeNow();
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** With the other front doors: after the cluster has started and before it stops. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    private Publisher<Void> ping(HttpServerRequest request, HttpServerResponse response) {
        if (request.requestHeaders().getInt("Content-Length", 0) > MAX_HELLO_BYTES) {
            return refuse(response, "hello too large");
        }
        return request.receive().aggregate().asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    if (body.length > MAX_HELLO_BYTES) {
                        return Mono.from(refuse(response, "hello too large"));
                    }
                    try {
                        json.readValue(body, WanHello.class).callFrom(pool);
                    } catch (RuntimeException e) {
                        return Mono.from(refuse(response, "invalid hello: " + e.getMessage().lines().findFirst()
                                .orElse("")));
                    }
                    byte[] answer = json.writeValueAsBytes(WanHello.from(pool));
                    response.header("Content-Type", "application/json");
                    return Mono.from(response.sendObject(Unpooled.wrappedBuffer(answer)));
                });
    }

    /** One DNS request packet in the body, its answer in the response's (none when the handler drops it). */
    private Publisher<Void> dns(HttpServerRequest request, HttpServerResponse response) {
        boolean udp = !"false".equals(new QueryStringDecoder(request.uri()).parameters()
                .getOrDefault("udp", List.of("true")).get(0));
        return request.receive().aggregate().asByteArray()
                .flatMap(packet -> Mono.fromFuture(dns.handle(packet, udp)))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(answer -> Mono.from(answer.isEmpty() ? response.status(HttpResponseStatus.NO_CONTENT).send()
                        : response.header("Content-Type", DNS_MESSAGE)
                                .sendObject(Unpooled.wrappedBuffer(answer.get()))));
    }

    /**
     * A query in the store's binary form, read from this replica (blocking while asked to), or the leader's when
     * asked, its result back.
     */
    private Publisher<Void> read(HttpServerRequest request, HttpServerResponse response) {
        Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
        long index;
        long waitMillis;
        try {
            index = Long.parseLong(params.getOrDefault("index", List.of("0")).get(0));
            waitMillis = Long.parseLong(params.getOrDefault("wait", List.of("0")).get(0));
        } catch (NumberFormatException e) {
            return refuse(response, "index and wait must be numbers");
        }
        ReadOptions.Consistency consistency = params.containsKey(WanReads.FROM_LEADER)
                ? ReadOptions.Consistency.DEFAULT : ReadOptions.Consistency.STALE;
        ReadOptions options = new ReadOptions(consistency, index,
                Duration.ofMillis(Math.min(Math.max(waitMillis, 0), MAX_READ_WAIT.toMillis())));
        return request.receive().aggregate().asByteArray()
                .flatMap(bytes -> {
                    Query<?> query;
                    try {
                        query = QueryCodec.decode(bytes);
                    } catch (RuntimeException e) {
                        return Mono.from(refuse(response, "not a query"));
                    }
                    return Mono.fromFuture(reads.read(options, query))
                            .flatMap(result -> Mono.from(response.header("Content-Type", BINARY)
                                    .sendObject(Unpooled.wrappedBuffer(QueryCodec.encodeResult(query, result)))));
                });
    }

    private static Publisher<Void> refuse(HttpServerResponse response, String message) {
        response.status(HttpResponseStatus.BAD_REQUEST).header("Content-Type", "text/plain; charset=utf-8");
        return response.sendObject(Unpooled.wrappedBuffer((message + "\n").getBytes(StandardCharsets.UTF_8)));
    }
}
