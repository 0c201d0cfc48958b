package dev.beacon.ui;

import java.util.concurrent.CompletableFuture;

import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Lets a page whose answer completes on another thread (a live refresh parked on a watch, a write confirmed by
 * Raft) be written from its connection's event loop, where Reactor Netty keeps the connection's request and
 * response state. Written from another thread, an answer could leave a keep-alive connection never reading its next
 * request: the /v1 API hung that way under load before it hopped back the same way ({@code ApiServerRoute}).
 * Answers ready at once are written on the calling thread as before.
 */
@Component
class EventLoopHop implements WebFilter {
    /** The Reactor context key under which a request's event loop (a {@link Scheduler}) is found. */
    static final String LOOP = EventLoopHop.class.getName() + ".loop";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse()) instanceof Connection connection) {
            Scheduler loop = Schedulers.fromExecutor(connection.channel().eventLoop());
            return chain.filter(exchange).contextWrite(context -> context.put(LOOP, loop));
        }
        return chain.filter(exchange);
    }

    /** The future's value, delivered on the request's event loop when it was not ready at once. */
    static <T> Mono<T> onEventLoop(CompletableFuture<T> answer) {
        if (answer.isDone()) {
            return Mono.fromFuture(answer);
        }
        return Mono.deferContextual(context -> context.<Scheduler>getOrEmpty(LOOP)
                .map(loop -> Mono.fromFuture(answer).publishOn(loop))
                .orElseGet(() -> Mono.fromFuture(answer)));
    }
}
