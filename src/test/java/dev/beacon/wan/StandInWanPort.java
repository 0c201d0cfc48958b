package dev.beacon.wan;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import dev.beacon.cluster.WanMember;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A stand-in for another datacenter's WAN port on 127.0.0.1: it records the last request it was sent and answers
 * every request with the status, body and Consul index a test sets.
 */
final class StandInWanPort implements AutoCloseable {
    private final AtomicReference<String> seen = new AtomicReference<>();
    private final DisposableServer server;
    private volatile int status = 200;
    private volatile String answer = "true";
    private volatile String index;

    StandInWanPort() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            seen.set(request.method() + " " + request.uri() + " token="
                                    + request.requestHeaders().get("X-Consul-Token", "") + " body=" + body);
                            if (index != null) {
                                response.header("X-Consul-Index", index);
                            }
                            return Mono.from(response.status(HttpResponseStatus.valueOf(status))
                                    .sendString(Mono.just(answer + "\n")));
                        }))
                .bindNow();
    }

    /** Answers from now on with {@code status} and the line {@code body}. */
    void answer(int status, String body) {
        this.status = status;
        this.answer = body;
    }

    /** Adds {@code X-Consul-Index} to every answer from now on. */
    void index(String value) {
        this.index = value;
    }

    /** The last request: its method, path and query, token and body. */
    String seen() {
        return seen.get();
    }

    /** This stand-in as a live server of {@code datacenter}. */
    WanMember member(String node, String datacenter) {
        return new WanMember(node, datacenter, "127.0.0.1", server.port(), true, 1.0);
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
