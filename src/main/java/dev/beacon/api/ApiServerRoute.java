package dev.beacon.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Serves {@code /v1} straight on Reactor Netty, ahead of Spring's web stack (which keeps the UI and Actuator):
 * a request goes from the connection to the pipeline and its answer back, with no exchange, filter chain or
 * handler lookup in between. A profile of stale reads put Spring's adapters and dispatch at a third of the
 * server's CPU. A read that needs no waiting is answered on the event-loop thread that received it; a parked
 * blocking query holds no thread, only its watch.
 */
public final class ApiServerRoute implements NettyRouteProvider {
    private static final Logger log = LoggerFactory.getLogger(ApiServerRoute.class);
    private static final String PREFIX = "/v1/";
    private static final byte[] EMPTY = new byte[0];
    // Go's canonical spelling, as Consul sends them: Netty's constants are lower case.
    private static final String CONTENT_TYPE = "Content-Type";
    private static final String CONTENT_LENGTH = "Content-Length";

    private final ApiPipeline pipeline;
    private final ApiRenderer renderer;
    private final ApiMetrics metrics;

    public ApiServerRoute(ApiPipeline pipeline, ApiRenderer renderer, ApiMetrics metrics) {
        this.pipeline = pipeline;
        this.renderer = renderer;
        this.metrics = metrics;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(request -> request.uri().startsWith(PREFIX), this::handle);
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        long start = System.nanoTime();
        boolean timed = !request.requestHeaders().contains(AnswerWarmUp.HEADER);
        String uri = request.uri();
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        String query = question < 0 ? null : uri.substring(question + 1);
        String cleaned = CleanPaths.redirectTarget(path);
        if (cleaned != null) {
            return redirect(request, response, query == null || query.isEmpty() ? cleaned : cleaned + "?" + query);
        }
        RouteTable.Match match;
        try {
            match = pipeline.match(request.method().name(), path);
        } catch (RuntimeException e) {
            return write(response, ApiPipeline.failed(e));
        }
        Route route = match.route();
        if (route.maxBody() == 0) {
            return answer(request, response, route, timed, start, run(request, match, path, query, EMPTY));
        }
        long declared = request.requestHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
        if (declared > route.maxBody()) {
            return tooLarge(request, response, route, timed, start);
        }
        return request.receive()
                .reduceWith(() -> new BoundedBody(route.maxBody()), BoundedBody::append)
                .map(BoundedBody::bytes)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> Mono.from(answer(request, response, route, timed, start,
                        run(request, match, path, query, body))))
                .onErrorResume(BodyTooLarge.class, e -> Mono.from(tooLarge(request, response, route, timed, start)));
    }

    private CompletionStage<ApiResponse> run(HttpServerRequest request, RouteTable.Match match, String path,
                                             String query, byte[] body) {
        return pipeline.handle(match, path, query, name -> request.requestHeaders().get(name), body);
    }

    private Publisher<Void> tooLarge(HttpServerRequest request, HttpServerResponse response, Route route,
                                     boolean timed, long start) {
        return answer(request, response, route, timed, start,
                CompletableFuture.completedFuture(ApiPipeline.failed(RequestBodies.tooLarge(route))));
    }

    /** @param timed whether the request counts in the metrics: all but {@link AnswerWarmUp}'s do */
    private Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response, Route route,
                                   boolean timed, long start, CompletionStage<ApiResponse> answer) {
        CompletableFuture<ApiResponse> future = answer.toCompletableFuture();
        if (future.isDone()) {
            ApiResponse done = future.join();
            if (timed) {
                metrics.record(route, done.status(), start);
            }
            return write(response, done);
        }
        Mono<ApiResponse> later = Mono.fromFuture(future);
        if (request instanceof Connection connection) {
            // Answers that complete on another thread (Raft, timers) are written from the connection's own event
            // loop, where Reactor Netty keeps the connection's request and response state.
            later = later.publishOn(Schedulers.fromExecutor(connection.channel().eventLoop()));
        }
        return later.flatMap(r -> {
            if (timed) {
                metrics.record(route, r.status(), start);
            }
            return Mono.from(write(response, r));
        });
    }

    /** Go's {@code http.Redirect} with a 301, as Consul's mux answers an unclean path: a link body for a GET. */
    private static Publisher<Void> redirect(HttpServerRequest request, HttpServerResponse response, String location) {
        String method = request.method().name();
        byte[] body = method.equals("GET")
                ? ("<a href=\"" + HtmlUtils.htmlEscape(location) + "\">Moved Permanently</a>.\n\n")
                        .getBytes(StandardCharsets.UTF_8)
                : EMPTY;
        response.status(HttpResponseStatus.MOVED_PERMANENTLY);
        response.responseHeaders().set("Location", location);
        if (method.equals("GET") || method.equals("HEAD")) {
            response.responseHeaders().set(CONTENT_TYPE, "text/html; charset=utf-8");
        }
        response.responseHeaders().set(CONTENT_LENGTH, Integer.toString(body.length));
        return response.sendObject(Unpooled.wrappedBuffer(body));
    }

    private Publisher<Void> write(HttpServerResponse response, ApiResponse answer) {
        if (answer.file() != null) {
            return writeFile(response, answer);
        }
        byte[] body = renderer.body(answer);
        head(response, answer, body.length);
        return response.sendObject(Unpooled.wrappedBuffer(body));
    }

    /** The status and headers of an answer whose body is {@code length} bytes. */
    private void head(HttpServerResponse response, ApiResponse answer, long length) {
        response.status(HttpResponseStatus.valueOf(answer.status()));
        renderer.headers(answer, response.responseHeaders()::set);
        response.responseHeaders()
                .set(CONTENT_TYPE, answer.contentType())
                .set(CONTENT_LENGTH, Long.toString(length));
    }

    /** A file body, sent by Netty straight from the file, which is deleted whatever becomes of the sending. */
    private Publisher<Void> writeFile(HttpServerResponse response, ApiResponse answer) {
        Path file = answer.file();
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(e);
        }
        head(response, answer, length);
        return Mono.from(response.sendFile(file)).doFinally(signal -> deleteQuietly(file));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete the temporary file {}: {}", file, e.toString());
        }
    }

    /** Collects a request body chunk by chunk, refusing it as soon as it passes the route's limit. */
    private static final class BoundedBody {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        BoundedBody(int limit) {
            this.limit = limit;
        }

        BoundedBody append(ByteBuf chunk) {
            int size = chunk.readableBytes();
            if (bytes.size() + size > limit) {
                throw new BodyTooLarge();
            }
            byte[] part = new byte[size];
            chunk.readBytes(part);
            bytes.write(part, 0, size);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }
}
