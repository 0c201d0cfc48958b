package dev.beacon.wan;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import dev.beacon.cluster.WanMember;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * How this server reaches other servers' WAN ports: plain HTTP, or with {@code beacon.tls} set HTTPS where each side
 * presents its certificate and checks the other's against the CA, as the servers of one datacenter do on their Raft
 * port (no host name check, as there: a certificate the CA signed is a server).
 *
 * @param client the HTTP client, secured when {@code scheme} is https
 * @param scheme {@code http} or {@code https}
 */
public record WanTransport(HttpClient client, String scheme) {
    /** How long a server has to accept a connection before it counts as unreachable (and the next is tried). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final byte[] EMPTY = new byte[0];

    public static WanTransport plain(HttpClient client) {
        return new WanTransport(client, "http");
    }

    /** @param clientTls a client context with this server's certificate and the CA */
    public static WanTransport tls(HttpClient client, SslContext clientTls) {
        Consumer<SslHandler> noHostNameCheck = handler -> {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            engine.setSSLParameters(parameters);
        };
        return new WanTransport(client.secure(spec -> spec.sslContext(clientTls).handlerConfigurator(noHostNameCheck)),
                "https");
    }

    /** The client, giving up on a connection a server has not accepted within two seconds. */
    HttpClient connecting() {
        return client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis());
    }

    /**
     * {@code call} on each server in turn until one can be connected to. A server that refuses the connection or
     * does not accept it in time is skipped for the next; any other failure ends it, since a request that reached a
     * server may have been acted on.
     */
    static <T> Mono<T> firstReachable(List<WanMember> servers, Function<WanMember, Mono<T>> call) {
        return firstReachable(servers, 0, call);
    }

    private static <T> Mono<T> firstReachable(List<WanMember> servers, int next,
                                              Function<WanMember, Mono<T>> call) {
        return call.apply(servers.get(next))
                .onErrorResume(failure -> notConnected(failure) && next + 1 < servers.size(),
                        failure -> firstReachable(servers, next + 1, call));
    }

    /** Whether a call failed before reaching its server. */
    static boolean notConnected(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof ConnectTimeoutException;
    }

    /** POSTs {@code body} to {@code target} on the WAN port at {@code address}; the answer's body, if it is a 200. */
    Mono<byte[]> post(HttpClient configured, String address, String target, byte[] body) {
        return configured.post()
                .uri(url(address, target))
                .send(ByteBufFlux.fromInbound(Mono.just(body)))
                .responseSingle((response, answer) -> response.status().code() == 200 ? answer.asByteArray()
                        : Mono.error(new IllegalStateException("answered " + response.status().code())));
    }

    /** A server's answer to {@link #exchange}: its status, headers and body. */
    record Answer(int status, HttpHeaders headers, byte[] body) {
    }

    /**
     * Sends a {@code /v1} request to the WAN port at {@code address}, as a client would send it to that server's
     * HTTP port, with {@code token} ("" for none); its answer, whatever its status.
     */
    Mono<Answer> exchange(HttpClient configured, HttpMethod method, String address, String target, String token,
                          byte[] body) {
        HttpClient.RequestSender sender = configured
                .headers(headers -> {
                    if (!token.isEmpty()) {
                        headers.set("X-Consul-Token", token);
                    }
                })
                .request(method)
                .uri(url(address, target));
        HttpClient.ResponseReceiver<?> receiver = body.length == 0 ? sender
                : sender.send(ByteBufFlux.fromInbound(Mono.just(body)));
        return receiver.responseSingle((response, answer) -> answer.asByteArray().defaultIfEmpty(EMPTY)
                .map(bytes -> new Answer(response.status().code(), response.responseHeaders(), bytes)));
    }

    /** The URL of {@code target} (a path and query) on the WAN port at {@code address} ({@code host:port}). */
    String url(String address, String target) {
        return scheme + "://" + address + target;
    }
}
