package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When a snapshot is due: half the state's worth of log, at least the floor, the state judged by the last one. */
class CompactionPolicyTest {
    private static final long MB = 1 << 20;
    private final CompactionPolicy policy = new CompactionPolicy(8 * MB);

    @Test
    void aSmallStoreSnapshotsAtTheFloor() {
        assertThat(policy.due(8 * MB - 1, 3 * MB, 3 * MB)).isFalse();
        assertThat(policy.due(8 * MB, 3 * MB, 3 * MB)).isTrue();
    }

    @Test
    void beforeAnySnapshotTheStoresEstimateDecides() {
        assertThat(policy.due(49 * MB, CompactionPolicy.NO_SNAPSHOT, 100 * MB)).isFalse();
        assertThat(policy.due(50 * MB, CompactionPolicy.NO_SNAPSHOT, 100 * MB)).isTrue();
        assertThat(policy.due(8 * MB, CompactionPolicy.NO_SNAPSHOT, MB)).isTrue();
    }

    @Test
    void overwrittenValuesNotYetReclaimedDoNotPutTheSnapshotOff() {
        // 3 MB of live data; the value files still hold 70 MB of overwritten values.
        assertThat(policy.due(8 * MB, 3 * MB, 73 * MB)).isTrue();
    }

    @Test
    void aLargeStoreIsRewrittenOnlyAfterHalfItsSizeOfLog() {
        long gigabyte = 1024 * MB;
        assertThat(policy.due(400 * MB, gigabyte, gigabyte + 100 * MB)).isFalse();
        assertThat(policy.due(gigabyte / 2 + 100 * MB, gigabyte, gigabyte + 100 * MB)).isTrue();
    }

    @Test
    void aGrowingStoreSnapshotsWhenItsLogMatchesTheLastSnapshot() {
        // Every write added data: the state is the last snapshot plus the log since.
        assertThat(policy.due(99 * MB, 100 * MB, 199 * MB)).isFalse();
        assertThat(policy.due(100 * MB, 100 * MB, 200 * MB)).isTrue();
    }

    @Test
    void theFloorMustBePositive() {
        assertThatThrownBy(() -> new CompactionPolicy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
