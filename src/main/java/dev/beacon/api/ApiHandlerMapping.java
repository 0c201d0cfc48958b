package dev.beacon.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Serves {@code /v1} on WebFlux, ahead of every annotated controller: each request goes straight to the pipeline,
 * and what it answers is written as is. A read that needs no waiting is answered on the event-loop thread that
 * received it; a parked blocking query holds no thread, only its watch.
 */
public final class ApiHandlerMapping extends AbstractHandlerMapping {
    private static final byte[] EMPTY = new byte[0];
    private final WebHandler handler;

    public ApiHandlerMapping(ApiPipeline pipeline, ApiRenderer renderer, ApiMetrics metrics) {
        this.handler = new ApiWebHandler(pipeline, renderer, metrics);
        setOrder(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().value().startsWith("/v1/") ? Mono.just(handler) : Mono.empty();
    }

    private record ApiWebHandler(ApiPipeline pipeline, ApiRenderer renderer, ApiMetrics metrics)
            implements WebHandler {
        @Override
        public Mono<Void> handle(ServerWebExchange exchange) {
            long start = System.nanoTime();
            ServerHttpRequest request = exchange.getRequest();
            RouteTable.Match match;
            try {
                match = pipeline.match(request.getMethod().name(), request.getPath().value());
            } catch (ApiException e) {
                return write(exchange.getResponse(), ApiPipeline.failed(e));
            }
            Route route = match.route();
            if (route.maxBody() == 0) {
                return run(exchange, match, start, EMPTY);
            }
            return DataBufferUtils.join(request.getBody(), route.maxBody())
                    .map(ApiWebHandler::bytes)
                    .defaultIfEmpty(EMPTY)
                    .flatMap(body -> run(exchange, match, start, body))
                    .onErrorResume(DataBufferLimitException.class, e -> answer(exchange, route, start,
                            CompletableFuture.completedFuture(ApiPipeline.failed(RequestBodies.tooLarge(route)))));
        }

        private Mono<Void> run(ServerWebExchange exchange, RouteTable.Match match, long start, byte[] body) {
            ServerHttpRequest request = exchange.getRequest();
            return answer(exchange, match.route(), start, pipeline.handle(match, request.getQueryParams(),
                    name -> request.getHeaders().getFirst(name), body));
        }

        private Mono<Void> answer(ServerWebExchange exchange, Route route, long start,
                                  CompletionStage<ApiResponse> answer) {
            Mono<ApiResponse> response = Mono.fromCompletionStage(answer);
            if (!answer.toCompletableFuture().isDone()
                    && ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse())
                    instanceof Connection connection) {
                // Answers that complete on another thread (Raft, timers) are written from the connection's own
                // event loop, where Reactor Netty keeps the connection's request/response state.
                response = response.publishOn(Schedulers.fromExecutor(connection.channel().eventLoop()));
            }
            return response.flatMap(r -> {
                metrics.record(route, r.status(), start);
                return write(exchange.getResponse(), r);
            });
        }

        private Mono<Void> write(ServerHttpResponse response, ApiResponse answer) {
            response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
            HttpHeaders headers = response.getHeaders();
            renderer.headers(answer, headers::set);
            headers.set(HttpHeaders.CONTENT_TYPE, answer.contentType());
            byte[] body = renderer.body(answer);
            headers.setContentLength(body.length);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        }

        private static byte[] bytes(DataBuffer buffer) {
            try {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                return bytes;
            } finally {
                DataBufferUtils.release(buffer);
            }
        }
    }
}
