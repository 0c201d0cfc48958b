package dev.beacon.testing;

import java.util.List;
import java.util.function.Supplier;

import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.WanMember;

/**
 * Datacenters as a test sets them: {@code all} the servers known, {@code reachable} the live ones, in the order
 * requests try them (both read at each call, so a test may change them).
 */
public record FixedDatacenters(String local, List<String> byDistance, Supplier<List<WanMember>> all,
                               Supplier<List<WanMember>> reachable) implements Datacenters {
    @Override
    public List<WanMember> members() {
        return all.get();
    }

    @Override
    public List<WanMember> reachable(String datacenter) {
        return reachable.get().stream().filter(server -> server.datacenter().equals(datacenter)).toList();
    }
}
