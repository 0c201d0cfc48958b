package dev.beacon.wan;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.RemoteReads;
import dev.beacon.cluster.WanMember;
import dev.beacon.state.Indexed;
import dev.beacon.state.Query;
import dev.beacon.state.QueryCodec;
import reactor.netty.http.client.HttpClient;

/**
 * Reads another datacenter's replica over the WAN port, in the store's own binary form ({@link QueryCodec}, as
 * reads forwarded to a leader are): the nearest live server answers, blocking while asked to. For the UI, which
 * filters what it shows by the caller's rules itself.
 */
public final class WanReads implements RemoteReads {
    static final String PATH = "/wan/v1/read";
    /** The query parameter asking for the leader's data. */
    static final String FROM_LEADER = "leader";
    private static final Duration MARGIN = Duration.ofSeconds(15);

    private final Datacenters datacenters;
    private final HttpClient client;
    private final WanTransport transport;

    public WanReads(Datacenters datacenters, WanTransport transport) {
        this.datacenters = datacenters;
        this.transport = transport;
        this.client = transport.connecting();
    }

    @Override
    public <T> CompletableFuture<Indexed<T>> read(String datacenter, Query<T> query, long index, Duration wait,
                                                  boolean fromLeader) {
        List<WanMember> servers = datacenters.reachable(datacenter);
        if (servers.isEmpty()) {
            return CompletableFuture.failedFuture(new ClusterUnavailableException("No path to datacenter"));
        }
        String target = PATH + "?index=" + index + "&wait=" + wait.toMillis() + (fromLeader ? "&" + FROM_LEADER : "");
        byte[] encoded = QueryCodec.encode(query);
        HttpClient timed = client.responseTimeout(wait.plus(MARGIN));
        return WanTransport.firstReachable(servers, server -> transport.post(timed, server.address(), target, encoded))
                .map(bytes -> QueryCodec.decodeResult(query, bytes))
                .onErrorMap(failure -> !(failure instanceof ClusterUnavailableException),
                        failure -> new ClusterUnavailableException("datacenter " + datacenter + " did not answer"))
                .toFuture();
    }
}
