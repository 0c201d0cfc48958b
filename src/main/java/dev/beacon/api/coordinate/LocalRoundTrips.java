package dev.beacon.api.coordinate;

import java.util.HashMap;
import java.util.Map;

import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.WanMember;

/** What coordinates and {@code ?near=} start from: this datacenter's live servers and the round trip to each. */
final class LocalRoundTrips {
    private LocalRoundTrips() {
    }

    /** Round trips in milliseconds by node name, for the servers measured so far (0 for this server). */
    static Map<String, Double> of(Datacenters datacenters) {
        Map<String, Double> trips = new HashMap<>();
        for (WanMember m : datacenters.members()) {
            if (m.datacenter().equals(datacenters.local()) && m.alive() && !Double.isNaN(m.rttMillis())) {
                trips.put(m.node(), m.rttMillis());
            }
        }
        return trips;
    }
}
