package dev.beacon.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.WanMember;
import org.junit.jupiter.api.Test;

class WanPoolTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private long now = TimeUnit.HOURS.toNanos(1);
    private final WanPool pool = new WanPool(member("a1", "dc1", "127.0.0.1", 8302), List.of("127.0.0.4:8302"),
            () -> now);

    private static WanMember member(String node, String dc, String host, int port) {
        return new WanMember(node, dc, host, port, true, Double.NaN);
    }

    @Test
    void aJoinAddressIsPingedUntilItsServerAnswersThenTheServerItself() {
        assertThat(pool.pingTargets(true)).containsExactly("127.0.0.4:8302");

        pool.answered("127.0.0.4:8302", member("b1", "dc2", "127.0.0.4", 8302), 20 * MS);

        assertThat(pool.pingTargets(true)).containsExactly("127.0.0.4:8302");
        assertThat(pool.reachable("dc2")).singleElement().satisfies(b1 -> {
            assertThat(b1.wanName()).isEqualTo("b1.dc2");
            assertThat(b1.rttMillis()).isEqualTo(20.0);
        });
    }

    @Test
    void aServerThatStopsAnsweringFailsAndIsNoLongerReachableButStaysKnown() {
        pool.answered("127.0.0.4:8302", member("b1", "dc2", "127.0.0.4", 8302), 20 * MS);

        now += WanPool.FAILED_AFTER;
        assertThat(pool.reachable("dc2")).hasSize(1);
        now += 1;
        assertThat(pool.reachable("dc2")).isEmpty();
        assertThat(pool.members()).extracting(WanMember::wanName, WanMember::alive)
                .containsExactly(tuple("a1.dc1", true),
                        tuple("b1.dc2", false));
        assertThat(pool.byDistance()).containsExactly("dc1", "dc2");

        pool.answered("127.0.0.4:8302", member("b1", "dc2", "127.0.0.4", 8302), 10 * MS);
        assertThat(pool.reachable("dc2")).hasSize(1);
    }

    @Test
    void aServerFailedLongerThanTheReconnectTimeoutIsForgotten() {
        pool.answered("127.0.0.4:8302", member("b1", "dc2", "127.0.0.4", 8302), 20 * MS);
        now += WanPool.REAPED_AFTER + 1;

        assertThat(pool.pingTargets(true)).as("the join address again").containsExactly("127.0.0.4:8302");
        assertThat(pool.members()).extracting(WanMember::wanName).containsExactly("a1.dc1");
        assertThat(pool.byDistance()).containsExactly("dc1");
    }

    @Test
    void datacentersAreOrderedByTheMedianRoundTripOfTheirLiveServersTheLocalOneFirst() {
        pool.answered("x", member("b1", "dc2", "10.0.0.1", 8302), 50 * MS);
        pool.answered("x", member("b2", "dc2", "10.0.0.2", 8302), 10 * MS);
        pool.answered("x", member("b3", "dc2", "10.0.0.3", 8302), 60 * MS);
        pool.answered("x", member("c1", "dc3", "10.0.1.1", 8302), 40 * MS);
        pool.heardOf(member("d1", "dc0", "10.0.2.1", 8302));
        pool.answered("x", member("a2", "dc1", "127.0.0.2", 8302), 1 * MS);

        assertThat(pool.byDistance()).as("dc3 (40) before dc2 (median 50), dc0 unmeasured last")
                .containsExactly("dc1", "dc3", "dc2", "dc0");
        assertThat(pool.reachable("dc2")).extracting(WanMember::node).containsExactly("b2", "b1", "b3");
        assertThat(pool.reachable("dc1")).as("this datacenter is this server").extracting(WanMember::node)
                .containsExactly("a1");
    }

    @Test
    void theRoundTripIsSmoothedSoOneSlowPingDoesNotReorderDatacenters() {
        pool.answered("x", member("b1", "dc2", "10.0.0.1", 8302), 10 * MS);
        pool.answered("x", member("b1", "dc2", "10.0.0.1", 8302), 110 * MS);

        assertThat(pool.reachable("dc2").get(0).rttMillis()).isEqualTo(40.0);
    }

    @Test
    void aServerHeardOfThroughGossipCountsAsAliveUntilItFailsToAnswerItself() {
        pool.heardOf(member("b1", "dc2", "10.0.0.1", 8302));

        assertThat(pool.reachable("dc2")).extracting(WanMember::node).containsExactly("b1");
        assertThat(pool.pingTargets(true)).contains("10.0.0.1:8302");
        now += WanPool.FAILED_AFTER + 1;
        assertThat(pool.reachable("dc2")).isEmpty();
    }

    @Test
    void thisServerIsNeverLearnedAsAnotherAndAServerThatMovedIsPingedAtItsNewAddress() {
        pool.heardOf(member("a1", "dc1", "127.0.0.9", 9999));
        pool.calledBy(member("a1", "dc1", "127.0.0.9", 9999));
        assertThat(pool.members()).singleElement().extracting(WanMember::address).isEqualTo("127.0.0.1:8302");

        pool.calledBy(member("b1", "dc2", "10.0.0.1", 8302));
        pool.calledBy(member("b1", "dc2", "10.0.0.7", 8400));
        assertThat(pool.pingTargets(true)).contains("10.0.0.7:8400").doesNotContain("10.0.0.1:8302");
    }

    @Test
    void serversOfThisDatacenterArePingedOnlyInLocalRoundsAndFailLater() {
        pool.answered("127.0.0.4:8302", member("b1", "dc2", "127.0.0.4", 8302), 20 * MS);
        pool.answered("x", member("a2", "dc1", "127.0.0.2", 8302), 1 * MS);

        assertThat(pool.pingTargets(false)).containsExactly("127.0.0.4:8302");
        assertThat(pool.pingTargets(true)).containsExactlyInAnyOrder("127.0.0.4:8302", "127.0.0.2:8302");

        now += WanPool.FAILED_AFTER + 1;
        assertThat(pool.members()).extracting(WanMember::wanName, WanMember::alive)
                .containsExactly(tuple("a1.dc1", true), tuple("a2.dc1", true), tuple("b1.dc2", false));
        now += WanPool.LOCAL_FAILED_AFTER - WanPool.FAILED_AFTER;
        assertThat(pool.members()).extracting(WanMember::wanName, WanMember::alive)
                .containsExactly(tuple("a1.dc1", true), tuple("a2.dc1", false), tuple("b1.dc2", false));
    }

    @Test
    void aServerThatCalledIsAliveWithoutAMeasuredRoundTrip() {
        pool.calledBy(member("b1", "dc2", "10.0.0.1", 8302));

        assertThat(pool.reachable("dc2")).singleElement()
                .satisfies(b1 -> assertThat(b1.rttMillis()).isNaN());
    }

    @Test
    void aPortGivenAtStartIsTheOneThisServerIntroducesItselfWith() {
        pool.listeningOn(40123);

        assertThat(pool.self().address()).isEqualTo("127.0.0.1:40123");
        assertThat(WanHello.from(pool).sender().port()).isEqualTo(40123);
    }
}
