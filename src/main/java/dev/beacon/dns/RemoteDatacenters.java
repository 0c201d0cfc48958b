package dev.beacon.dns;

import java.util.concurrent.CompletableFuture;

/** Other datacenters' DNS: a question about a name in another datacenter is answered by a server of it. */
@FunctionalInterface
public interface RemoteDatacenters {
    /** A server that knows no other datacenter. */
    RemoteDatacenters NONE = (datacenter, packet, udp) -> null;

    /**
     * The answer a server of {@code datacenter} gives to the request {@code packet}, sized for the transport; null
     * when this server knows no such datacenter. The future fails when the datacenter cannot be reached.
     */
    CompletableFuture<byte[]> resolve(String datacenter, byte[] packet, boolean udp);
}
