package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.beacon.state.Alarm;
import dev.beacon.state.Command;
import dev.beacon.state.MemberAlarm;
import dev.beacon.state.Outcome;
import dev.beacon.state.StorageUsage;
import dev.beacon.state.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's storage quota, as etcd's {@code --quota-backend-bytes}: once the data in its replica reaches the
 * quota, the server raises a NOSPACE alarm through the log, and from that entry on every server refuses the writes
 * that add data (the state machine decides, so all agree). Reads and deletes keep working. Once deletes bring the
 * data below {@link #CLEAR_BELOW} of the quota, the server clears its alarm.
 * <p>
 * The alarm is replicated rather than checked locally so that a server with a smaller heap protects itself from
 * writes that arrive through another server.
 */
public final class StorageQuota {
    /** An alarm is cleared only this far below the quota, so that writes at the edge do not flap it. */
    static final double CLEAR_BELOW = 0.95;
    /**
     * The share of the maximum heap the data may take by default; the rest is room for requests, the Raft log's
     * buffers and the garbage collector (bench/README.md, "Storage quota", has the measurement behind it).
     */
    static final double HEAP_SHARE = 0.5;
    private static final Logger log = LoggerFactory.getLogger(StorageQuota.class);

    private final String member;
    private final long quotaBytes;
    private final Store store;
    private final Function<Command, CompletableFuture<Outcome>> submit;
    private final AtomicBoolean proposing = new AtomicBoolean();

    public StorageQuota(String member, long quotaBytes, Store store,
                        Function<Command, CompletableFuture<Outcome>> submit) {
        this.member = member;
        this.quotaBytes = quotaBytes;
        this.store = store;
        this.submit = submit;
    }

    /** The quota for a server with this maximum heap when none is configured. */
    public static long forHeap(long maxHeapBytes) {
        return (long) (maxHeapBytes * HEAP_SHARE);
    }

    public long quotaBytes() {
        return quotaBytes;
    }

    /** One look at the replica: raises or clears this server's alarm if needed. Run it a few times a second. */
    public void check() {
        StorageUsage usage = store.usage();
        boolean raised = usage.alarms().contains(new MemberAlarm(member, Alarm.NOSPACE));
        if (!raised && usage.bytes() >= quotaBytes) {
            propose(true, usage);
        } else if (raised && usage.bytes() < quotaBytes * CLEAR_BELOW) {
            propose(false, usage);
        }
    }

    private void propose(boolean active, StorageUsage usage) {
        if (!proposing.compareAndSet(false, true)) {
            return;
        }
        submit.apply(new Command.SetAlarm(member, Alarm.NOSPACE, active)).whenComplete((outcome, error) -> {
            proposing.set(false);
            if (error != null) {
                return; // no leader now: the next check proposes again
            }
            if (active) {
                log.warn("Storage quota reached: {} bytes of data, quota {} bytes (beacon.storage-quota). Writes "
                        + "that add data are refused until deletes bring it below {} bytes", usage.bytes(),
                        quotaBytes, (long) (quotaBytes * CLEAR_BELOW));
            } else {
                log.info("Storage back under quota: {} bytes of data, quota {} bytes; writes accepted again",
                        usage.bytes(), quotaBytes);
            }
        });
    }
}
