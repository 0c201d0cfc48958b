package dev.beacon.wan;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.WanMember;
import dev.beacon.dns.RemoteDatacenters;
import reactor.netty.http.client.HttpClient;

/**
 * DNS for other datacenters: the request packet is sent as it came to the WAN port of the nearest live server of
 * the datacenter it names, which answers it from its own catalog as if asked directly (its names, its DNS token,
 * the transport's size limits). Only the WAN port needs to be open between datacenters, not their DNS ports.
 */
public final class WanDns implements RemoteDatacenters {
    static final String PATH = "/wan/v1/dns";
    /** Less than a resolver's usual retry interval, so a client retries rather than gives up. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Datacenters datacenters;
    private final HttpClient client;
    private final WanTransport transport;

    public WanDns(Datacenters datacenters, WanTransport transport) {
        this.datacenters = datacenters;
        this.transport = transport;
        this.client = transport.connecting().responseTimeout(TIMEOUT);
    }

    @Override
    public CompletableFuture<byte[]> resolve(String datacenter, byte[] packet, boolean udp) {
        if (!datacenters.byDistance().contains(datacenter)) {
            return null;
        }
        List<WanMember> servers = datacenters.reachable(datacenter);
        if (servers.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no live server in " + datacenter));
        }
        return WanTransport.firstReachable(servers,
                server -> transport.post(client, server.address(), PATH + "?udp=" + udp, packet)).toFuture();
    }
}
