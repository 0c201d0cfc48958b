package dev.beacon.api.coordinate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

import dev.beacon.cluster.WanMember;
import dev.beacon.testing.FixedDatacenters;
import org.junit.jupiter.api.Test;

class NearestFirstTest {
    private static final List<WanMember> MEMBERS = List.of(
            new WanMember("s1", "dc1", "10.0.0.1", 8302, true, 0),
            new WanMember("s2", "dc1", "10.0.0.2", 8302, true, 9.0),
            new WanMember("s3", "dc1", "10.0.0.3", 8302, true, 2.0),
            new WanMember("s4", "dc1", "10.0.0.4", 8302, false, 1.0),
            new WanMember("w1", "dc2", "10.1.0.1", 8302, true, 0.5));
    private final NearestFirst near = new NearestFirst(new FixedDatacenters("dc1", List.of("dc1", "dc2"),
            () -> MEMBERS, List::of), "s1");
    private final List<String> nodes = List.of("ext", "s2", "s4", "s3", "s1", "w1");

    @Test
    void theAgentFirstThenThisDatacentersMeasuredServersByRoundTripThenTheRestInTheirOrder() {
        assertThat(near.sort("_agent", nodes, Function.identity())).containsExactly("s1", "s3", "s2", "ext", "s4",
                "w1");
    }

    @Test
    void aNamedNodeComesFirst() {
        assertThat(near.sort("s2", nodes, Function.identity())).containsExactly("s2", "s1", "s3", "ext", "s4", "w1");
    }

    @Test
    void withoutNearOrFromANodeWithoutACoordinateTheOrderStays() {
        assertThat(near.sort(null, nodes, Function.identity())).isSameAs(nodes);
        assertThat(near.sort("", nodes, Function.identity())).isSameAs(nodes);
        assertThat(near.sort("ext", nodes, Function.identity())).isSameAs(nodes);
        assertThat(near.sort("s4", nodes, Function.identity())).as("failed").isSameAs(nodes);
    }
}
