package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Command;
import dev.beacon.state.Outcome;

/**
 * Key/value writes in another datacenter, for the UI: one of its servers makes them as its {@code /v1/kv} would,
 * under the writer's token, which that datacenter checks.
 */
public interface RemoteKvWrites {
    /**
     * Applies {@code command} (a {@link Command.KvSet}, {@link Command.KvSetIfChanged} or {@link Command.KvDelete}) in {@code datacenter} with
     * {@code token} ("" for none). Completes with whether it took effect (a failed check-and-set did not; the
     * outcome's index is unknown here, 0). Fails with {@link DatacenterUnreachableException} when no server of it
     * could be reached (nothing was sent), {@link RemoteRefusalException} when it refused the request,
     * {@link NoLeaderException} or {@link NoSpaceException} as a write here would, and
     * {@link ClusterUnavailableException} when the write may have been applied but was not confirmed.
     */
    CompletableFuture<Outcome> write(String datacenter, Command command, String token);
}
