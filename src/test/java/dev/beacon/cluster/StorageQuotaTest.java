package dev.beacon.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Alarm;
import dev.beacon.state.Command;
import dev.beacon.state.MemberAlarm;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The quota's check raises this server's alarm at the quota and clears it only well below. */
class StorageQuotaTest {
    private static final String MEMBER = "127.0.0.1:8300";

    private final Store store = new Store();
    private final List<Command> proposed = new ArrayList<>();
    /** Proposals complete only when {@link #commitProposals} says so, as a Raft write would, later. */
    private final List<Proposal> pending = new ArrayList<>();
    private long index;

    private record Proposal(Command command, CompletableFuture<Outcome> future) {
    }

    private CompletableFuture<Outcome> submit(Command command) {
        proposed.add(command);
        Proposal proposal = new Proposal(command, new CompletableFuture<>());
        pending.add(proposal);
        return proposal.future();
    }

    private void commitProposals() {
        for (Proposal p : pending) {
            p.future().complete(store.apply(++index, 0, p.command()));
        }
        pending.clear();
    }

    private void write(String key, int valueBytes) {
        store.apply(++index, 0, new Command.KvSet(key, new byte[valueBytes], 0, Command.NO_CAS));
    }

    private void delete(String key) {
        store.apply(++index, 0, new Command.KvDelete(key, false, Command.NO_CAS));
        store.apply(++index, 0, new Command.ReapTombstones(index - 1));
    }

    @Test
    void raisesOnceAtTheQuotaAndClearsOnlyBelowNinetyFivePercent() {
        StorageQuota quota = new StorageQuota(MEMBER, 10_000, store, this::submit, StorageQuota.Disk.UNWATCHED);
        write("a", 5_000);
        write("b", 4_500);
        quota.check();
        assertThat(proposed).isEmpty();

        write("c", 300);
        quota.check();
        quota.check(); // still proposing: no second proposal
        assertThat(proposed).containsExactly(new Command.SetAlarm(MEMBER, Alarm.NOSPACE, true));
        commitProposals();
        assertThat(store.usage().alarms()).containsExactly(new MemberAlarm(MEMBER, Alarm.NOSPACE));
        quota.check();
        assertThat(proposed).hasSize(1);

        delete("c"); // 9,500 + overheads: below the quota, above 95 % of it
        assertThat(store.usage().bytes()).isBetween(9_500L, 10_000L);
        quota.check();
        assertThat(proposed).hasSize(1);

        delete("b");
        quota.check();
        assertThat(proposed).last().isEqualTo(new Command.SetAlarm(MEMBER, Alarm.NOSPACE, false));
        commitProposals();
        assertThat(store.usage().noSpace()).isFalse();
    }

    @Test
    void aFailedProposalIsMadeAgainOnTheNextCheck() {
        StorageQuota quota = new StorageQuota(MEMBER, 100, store, this::submit, StorageQuota.Disk.UNWATCHED);
        write("a", 1_000);
        quota.check();
        pending.remove(0).future().completeExceptionally(new NoLeaderException("No cluster leader"));
        quota.check();
        assertThat(proposed).hasSize(2);
    }

    @Test
    void anotherServersAlarmIsLeftToThatServer() {
        StorageQuota quota = new StorageQuota(MEMBER, 1_000_000, store, this::submit, StorageQuota.Disk.UNWATCHED);
        store.apply(++index, 0, new Command.SetAlarm("127.0.0.2:8300", Alarm.NOSPACE, true));
        quota.check();
        assertThat(proposed).isEmpty();
    }

    @Test
    void theDefaultIsHalfTheHeap() {
        assertThat(StorageQuota.forHeap(1_000_000_000L)).isEqualTo(500_000_000L);
    }

    @Test
    void aDiskWithLessRoomThanTheNextSnapshotAndTwoSegmentsRaisesTheAlarmUntilASegmentMoreIsFree() {
        long[] usable = {1_000_000};
        StorageQuota quota = new StorageQuota(MEMBER, 1_000_000, store, this::submit,
                new StorageQuota.Disk(() -> usable[0], 10_000));
        write("a", 30_000);
        long reserve = 2 * 10_000 + store.usage().bytes() + store.usage().valueFileBytes();
        assertThat(reserve).isGreaterThan(50_000);
        usable[0] = reserve;
        quota.check();
        assertThat(proposed).isEmpty();

        usable[0] = reserve - 1;
        quota.check();
        assertThat(proposed).containsExactly(new Command.SetAlarm(MEMBER, Alarm.NOSPACE, true));
        commitProposals();
        assertThat(store.usage().noSpace()).isTrue();

        usable[0] = reserve + 9_999;
        quota.check();
        assertThat(proposed).hasSize(1);
        usable[0] = reserve + 10_000;
        quota.check();
        assertThat(proposed).last().isEqualTo(new Command.SetAlarm(MEMBER, Alarm.NOSPACE, false));
        commitProposals();
        assertThat(store.usage().noSpace()).isFalse();
    }

    @Test
    void aDiskWithRoomDoesNotClearAnAlarmTheQuotaStillHolds() {
        StorageQuota quota = new StorageQuota(MEMBER, 10_000, store, this::submit,
                new StorageQuota.Disk(() -> Long.MAX_VALUE, 10_000));
        write("a", 12_000);
        quota.check();
        commitProposals();
        quota.check();
        assertThat(proposed).containsExactly(new Command.SetAlarm(MEMBER, Alarm.NOSPACE, true));
        assertThat(store.usage().noSpace()).isTrue();
    }
}
