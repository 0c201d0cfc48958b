package dev.beacon.etcd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * The etcd v2 front door: its own port ({@code beacon.ports.etcd}, etcd's 2379) on the HTTP server's event loops.
 * A request is read whole (bounded), routed ({@link EtcdRoutes}) and answered from its connection's event loop; a
 * parked watch holds no thread, and is dropped when its client goes away; a streamed one sends each event as it
 * comes. It starts with the HTTP server and stops
 * before the cluster.
 */
public final class EtcdHttpServer implements SmartLifecycle {
    /** A form with a 512 KiB value, percent-encoded, fits: etcd's own limit is 1.5 MiB. */
    static final int MAX_REQUEST_BYTES = 3 * 512 * 1024 + 4096;
    private static final Logger log = LoggerFactory.getLogger(EtcdHttpServer.class);
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] EMPTY = new byte[0];

    private final String address;
    private final int port;
    private final EtcdRoutes routes;
    private final JsonMapper json;
    private final LoopResources loops;
    private volatile DisposableServer server;

    public EtcdHttpServer(String address, int port, EtcdRoutes routes, JsonMapper json, LoopResources loops) {
        this.address = address;
        this.port = port;
        this.routes = routes;
        this.json = json;
        this.loops = loops;
    }

    @Override
    public void start() {
        // Its connections in a group, so that stopping closes them rather than leaving that to the event loops'
        // disposal, which in one JVM with a server restarted on the same port (the tests) could leave a kept-alive
        // connection open and unread: a client reusing it waited forever.
        server = HttpServer.create().host(address).port(port).runOn(loops)
                .channelGroup(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline().addFirst(new V3Refusal()))
                .handle(this::handle).bindNow();
        log.info("etcd v2 API listening on {}:{}", address, server.port());
    }

    @Override
    public void stop() {
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

    /** After the cluster has started and before it stops, as the HTTP server. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    /** The port it listens on (the configured one, or the one chosen for port 0). */
    public int port() {
        return server == null ? port : server.port();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        String path = decodePath(question < 0 ? uri : uri.substring(0, question));
        String query = question < 0 ? null : uri.substring(question + 1);
        String method = request.method().name();
        String token = request.requestHeaders().get("X-Consul-Token", "");
        long declared = request.requestHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
        if (declared > MAX_REQUEST_BYTES) {
            return write(response, new EtcdReply(413, "request body too large\n", EtcdReply.NO_INDEX), Map.of());
        }
        if (declared <= 0 && !request.requestHeaders().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // No body to read (a get, mostly): subscribing to an empty one would still cost Reactor Netty's
            // inbound bookkeeping (auto-read switched off and on, two system calls) on every request.
            return answer(request, response, method, path, query, EMPTY, token);
        }
        return request.receive()
                .reduceWith(ByteArrayOutputStream::new, EtcdHttpServer::append)
                .map(ByteArrayOutputStream::toByteArray)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> Mono.from(answer(request, response, method, path, query, body, token)))
                .onErrorResume(TooLarge.class, e -> Mono.from(write(response,
                        new EtcdReply(413, "request body too large\n", EtcdReply.NO_INDEX), Map.of())));
    }

    private Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response, String method,
                                   String path, String query, byte[] body, String token) {
        EtcdRoutes.Routed routed;
        try {
            routed = routes.route(method, path, query, body, token);
        } catch (RuntimeException e) {
            return write(response, unexpected(e, method, path), Map.of());
        }
        CompletableFuture<EtcdReply> reply = routed.reply();
        if (routed.next() != null) {
            return stream(response, routed, method, path);
        }
        if (reply.isDone()) {
            return write(response, settled(reply, method, path), routed.headers());
        }
        // A client that hangs up cancels this Mono, and with it the answer's future (a watch then drops its store
        // watch). Nothing is hooked on the connection itself: a kept-alive connection carries any number of
        // requests, and such hooks held every answer it gave until it closed (a server under steady writes ran out
        // of heap).
        Mono<EtcdReply> later = Mono.fromFuture(reply).onErrorResume(e -> !(e instanceof CancellationException),
                e -> Mono.just(unexpected(e, method, path)));
        if (request instanceof Connection connection) {
            later = later.publishOn(Schedulers.fromExecutor(connection.channel().eventLoop()));
        }
        if (routed.watch()) {
            return parked(response, later, routed.headers());
        }
        return later.flatMap(r -> Mono.from(write(response, r, routed.headers())));
    }

    /**
     * A watch that waits: its headers go at once and its event when it comes, as etcd answers (clients time the
     * wait for the headers apart from the wait for the event: Patroni took a watch whose headers had not come as a
     * failed server, logged it as an error and moved to the next). An answer that is not an event, which only a
     * defect or a stopping server gives once the headers are out, ends the response without a body, as etcd ends a
     * watch it drops.
     */
    private Publisher<Void> parked(HttpServerResponse response, Mono<EtcdReply> later, Map<String, String> headers) {
        return headersFirst(response, headers, later.filter(reply -> reply.status() == 200)
                .map(reply -> Unpooled.wrappedBuffer(json.writeValueAsBytes(reply.body()))));
    }

    /**
     * A streamed watch: a watch that cannot start (its index is no longer kept) is answered as without streaming;
     * otherwise the headers go at once, as etcd sends them, then every event, one JSON document per line, each
     * flushed, until the client hangs up, which cancels the watch waiting for the next one.
     */
    private Publisher<Void> stream(HttpServerResponse response, EtcdRoutes.Routed routed, String method,
                                   String path) {
        CompletableFuture<EtcdReply> first = routed.reply();
        if (first.isDone() && (first.isCompletedExceptionally() || first.join().status() != 200)) {
            return write(response, settled(first, method, path), routed.headers());
        }
        Flux<EtcdReply> events = Mono.fromFuture(first).filter(reply -> reply.status() == 200)
                .expand(previous -> Mono.fromFuture(routed.next().apply(eventIndex(previous) + 1))
                        .filter(next -> next.status() == 200));
        return headersFirst(response, routed.headers(), events.map(event ->
                Unpooled.wrappedBuffer(json.writeValueAsBytes(event.body()), NEWLINE)));
    }

    /** A 200 whose headers are sent at once, then the body as it comes, each part flushed. */
    private static Publisher<Void> headersFirst(HttpServerResponse response, Map<String, String> headers,
                                                Publisher<ByteBuf> body) {
        response.status(HttpResponseStatus.OK);
        headers.forEach(response.responseHeaders()::set);
        commonHeaders(response, JSON);
        return Mono.from(response.sendHeaders()).then(Mono.from(response.send(body, buffer -> true)));
    }

    /** The index of the event a watch answered with: its node's (X-Etcd-Index is when the watch started). */
    private static long eventIndex(EtcdReply watched) {
        return ((EtcdAnswer) watched.body()).node().modifiedIndex();
    }

    /** A completed answer; one that failed, which only a defect does (the routes answer every failure they expect). */
    private static EtcdReply settled(CompletableFuture<EtcdReply> reply, String method, String path) {
        try {
            return reply.join();
        } catch (CompletionException | CancellationException e) {
            return unexpected(e, method, path);
        }
    }

    private static EtcdReply unexpected(Throwable error, String method, String path) {
        log.warn("etcd request {} {} failed", method, path, error);
        return EtcdReply.clusterFailure(error);
    }

    private Publisher<Void> write(HttpServerResponse response, EtcdReply reply, Map<String, String> headers) {
        byte[] body;
        String contentType;
        if (reply.body() instanceof String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            contentType = TEXT;
        } else if (reply.body() instanceof EtcdMetrics.Exposition metrics) {
            body = metrics.text().getBytes(StandardCharsets.UTF_8);
            contentType = EtcdMetrics.CONTENT_TYPE;
        } else {
            body = json.writeValueAsBytes(reply.body());
            contentType = JSON;
        }
        response.status(HttpResponseStatus.valueOf(reply.status()));
        headers.forEach(response.responseHeaders()::set);
        if (reply.etcdIndex() != EtcdReply.NO_INDEX) {
            response.responseHeaders().set("X-Etcd-Index", Long.toString(reply.etcdIndex()));
        }
        response.responseHeaders().set("Content-Length", Integer.toString(body.length));
        commonHeaders(response, contentType);
        return response.sendObject(Unpooled.wrappedBuffer(body));
    }

    private static void commonHeaders(HttpServerResponse response, String contentType) {
        response.responseHeaders().set("Content-Type", contentType)
                .set("Access-Control-Allow-Origin", "*")
                .set("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE")
                .set("Access-Control-Allow-Headers", "accept, content-type, authorization");
    }

    private static ByteArrayOutputStream append(ByteArrayOutputStream bytes, ByteBuf chunk) {
        int size = chunk.readableBytes();
        if (bytes.size() + size > MAX_REQUEST_BYTES) {
            throw new TooLarge();
        }
        byte[] part = new byte[size];
        chunk.readBytes(part);
        bytes.write(part, 0, size);
        return bytes;
    }

    /** Percent-decodes a path as UTF-8; unlike a form, a {@code +} stays a plus. A malformed escape stays as is. */
    static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }
}
