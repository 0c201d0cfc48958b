package dev.beacon.cluster;

import java.util.List;

/** The datacenters this server knows of, through the servers of each it reaches over the WAN. */
public interface Datacenters {
    /** This server's datacenter. */
    String local();

    /** Every known datacenter, this one first, then by estimated round trip (nearest first), then by name. */
    List<String> byDistance();

    /** Every server of every datacenter this server knows of, itself included, sorted by datacenter and node. */
    List<WanMember> members();

    /** The servers of {@code datacenter} that are alive, nearest first: where its requests can go. */
    List<WanMember> reachable(String datacenter);
}
