package dev.beacon.wan;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.DatacenterUnreachableException;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.NoSpaceException;
import dev.beacon.cluster.RemoteKvWrites;
import dev.beacon.cluster.RemoteRefusalException;
import dev.beacon.cluster.WanMember;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.web.util.UriUtils;
import reactor.netty.http.client.HttpClient;

/**
 * The UI's key/value writes in another datacenter: sent as {@code PUT} or {@code DELETE /v1/kv/<key>} with the
 * writer's token to the WAN port of its nearest live server, which runs them through its own pipeline (its ACLs,
 * its leader), exactly as a {@code ?dc=} request forwarded by {@link WanForwarder}.
 */
public final class WanKvWrites implements RemoteKvWrites {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String KV = "/v1/kv/";
    private static final byte[] NONE = new byte[0];

    private final Datacenters datacenters;
    private final HttpClient client;
    private final WanTransport transport;

    public WanKvWrites(Datacenters datacenters, WanTransport transport) {
        this.datacenters = datacenters;
        this.transport = transport;
        this.client = transport.connecting().responseTimeout(TIMEOUT);
    }

    @Override
    public CompletableFuture<Outcome> write(String datacenter, Command command, String token) {
        List<WanMember> servers = datacenters.reachable(datacenter);
        if (servers.isEmpty()) {
            return CompletableFuture.failedFuture(new DatacenterUnreachableException(datacenter));
        }
        Request request = request(command);
        return WanTransport.firstReachable(servers, server -> transport.exchange(client, request.method(),
                        server.address(), request.target(), token, request.body()))
                .map(WanKvWrites::outcome)
                .onErrorMap(failure -> !answered(failure), failure -> explain(failure, datacenter))
                .toFuture();
    }

    /** Whether a failure is the other datacenter's answer (as {@link #outcome} reads it). */
    private static boolean answered(Throwable failure) {
        return failure instanceof RemoteRefusalException || failure instanceof NoSpaceException
                || failure instanceof NoLeaderException || failure instanceof ClusterUnavailableException;
    }

    /** A failure of the exchange itself, in words for the person writing. */
    private static RuntimeException explain(Throwable failure, String datacenter) {
        if (WanTransport.notConnected(failure)) {
            return new DatacenterUnreachableException(datacenter);
        }
        String what = failure instanceof ReadTimeoutException || failure instanceof TimeoutException
                ? " did not answer in time" : " closed the connection before answering";
        return new ClusterUnavailableException("rpc error making call: datacenter " + datacenter + what
                + "; the write may still have been applied");
    }

    private record Request(HttpMethod method, String target, byte[] body) {
    }

    private static Request request(Command command) {
        if (command instanceof Command.KvSet set) {
            return put(set.key(), set.value(), set.flags(), set.cas());
        }
        if (command instanceof Command.KvSetIfChanged set) {
            // The other datacenter's servers apply a plain PUT so too.
            return put(set.key(), set.value(), set.flags(), set.cas());
        }
        if (command instanceof Command.KvDelete delete) {
            String target = KV + path(delete.key()) + (delete.cas() != Command.NO_CAS
                    ? "?cas=" + Long.toUnsignedString(delete.cas()) : delete.recurse() ? "?recurse" : "");
            return new Request(HttpMethod.DELETE, target, NONE);
        }
        throw new IllegalArgumentException("not a key/value write: " + command.getClass().getSimpleName());
    }

    private static Request put(String key, byte[] value, long flags, long cas) {
        String target = KV + path(key) + "?flags=" + Long.toUnsignedString(flags)
                + (cas == Command.NO_CAS ? "" : "&cas=" + Long.toUnsignedString(cas));
        return new Request(HttpMethod.PUT, target, value);
    }

    /** The key as a URL path: each character a path may not hold percent-encoded, the separators kept. */
    private static String path(String key) {
        return UriUtils.encodePath(key, StandardCharsets.UTF_8);
    }

    private static Outcome outcome(WanTransport.Answer answer) {
        String body = new String(answer.body(), StandardCharsets.UTF_8).strip();
        int status = answer.status();
        if (status == HttpResponseStatus.OK.code()) {
            return new Outcome(0, "true".equals(body), null);
        }
        if (status == HttpResponseStatus.INSUFFICIENT_STORAGE.code()) {
            throw new NoSpaceException();
        }
        if (status >= 400 && status < 500) {
            throw new RemoteRefusalException(status, body);
        }
        if (body.equals("No cluster leader")) {
            throw new NoLeaderException(body);
        }
        throw new ClusterUnavailableException(body.isEmpty() ? "rpc error making call: status " + status : body);
    }
}
