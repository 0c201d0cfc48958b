package dev.beacon.wan;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.DatacenterRouting;
import dev.beacon.api.LocalDatacenter;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.WanMember;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The datacenter stage with other datacenters: a request for another datacenter ({@code ?dc=}) is sent, as it came
 * and with its token, to the WAN port of that datacenter's nearest live server, which runs it through its own
 * pipeline (and checks the token there) and answers; its answer is relayed with its status and Consul headers, so a
 * blocking query blocks over there. A server that cannot be connected to is skipped for the next; once the request
 * was sent it is not sent again, since a write may have been applied. Requests for this datacenter, and agent
 * requests, run here.
 */
public final class WanForwarder implements DatacenterRouting {
    /** A request that does not block: as long as the slowest write a datacenter answers (a snapshot restore). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A blocking query: its wait, the jitter the server adds, and time to answer. */
    private static final Duration BLOCKING_MARGIN = Duration.ofSeconds(15);
    private static final String CONSUL_HEADERS = "x-consul-";

    private final LocalDatacenter local;
    private final Datacenters datacenters;
    private final HttpClient client;
    private final WanTransport transport;

    public WanForwarder(LocalDatacenter local, Datacenters datacenters, WanTransport transport) {
        this.local = local;
        this.datacenters = datacenters;
        this.transport = transport;
        this.client = transport.connecting();
    }

    @Override
    public CompletionStage<ApiResponse> forward(ApiRequest request) {
        if (local.runsHere(request)) {
            return local.forward(request);
        }
        List<WanMember> servers = datacenters.reachable(request.datacenter());
        if (servers.isEmpty()) {
            throw LocalDatacenter.noPath();
        }
        Duration timeout = timeout(request);
        return WanTransport.firstReachable(servers, server -> send(request, server, timeout))
                .onErrorMap(failure -> !(failure instanceof ApiException), failure -> explain(failure, request))
                .toFuture();
    }

    private Mono<ApiResponse> send(ApiRequest request, WanMember server, Duration timeout) {
        return transport.exchange(client.responseTimeout(timeout), HttpMethod.valueOf(request.route().method()),
                server.address(), request.target(), request.token(), request.body()).map(WanForwarder::relay);
    }

    private static ApiResponse relay(WanTransport.Answer answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        answer.headers().forEach(header -> {
            if (header.getKey().regionMatches(true, 0, CONSUL_HEADERS, 0, CONSUL_HEADERS.length())) {
                headers.put(header.getKey(), header.getValue());
            }
        });
        String contentType = answer.headers().get("Content-Type", ApiResponse.TEXT);
        return ApiResponse.relayed(answer.status(), contentType, answer.body(), headers);
    }

    private static Duration timeout(ApiRequest request) {
        if (request.read().index() == 0 || !request.route().method().equals("GET")) {
            return REQUEST_TIMEOUT;
        }
        Duration wait = request.read().maxWait();
        return wait.plus(wait.dividedBy(16)).plus(BLOCKING_MARGIN);
    }

    /** A one-line answer a client can act on, in Consul's words, with no internal class names. */
    private static ApiException explain(Throwable failure, ApiRequest request) {
        String dc = request.datacenter();
        String message;
        if (WanTransport.notConnected(failure)) {
            message = "no server of datacenter " + dc + " could be reached";
        } else if (failure instanceof ReadTimeoutException || failure instanceof TimeoutException) {
            message = "datacenter " + dc + " did not answer in time; a write may still have been applied";
        } else {
            message = "the connection to datacenter " + dc + " failed before it answered; a write may still have "
                    + "been applied";
        }
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "rpc error making call: " + message);
    }
}
