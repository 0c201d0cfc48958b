package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

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
 * <p>
 * The same alarm guards the disk: a server raises it when the room left under its data directory falls below what
 * it must keep free ({@link Disk#reserve}), and clears it only when a log segment more is free. The Raft log is
 * written through a memory mapping, and a write into a mapping the full disk cannot back kills the JVM (SIGBUS);
 * refusing writes that add data first keeps the server up, serving reads and deletes.
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
    private final Disk disk;
    private final AtomicBoolean proposing = new AtomicBoolean();

    public StorageQuota(String member, long quotaBytes, Store store,
                        Function<Command, CompletableFuture<Outcome>> submit, Disk disk) {
        this.member = member;
        this.quotaBytes = quotaBytes;
        this.store = store;
        this.submit = submit;
        this.disk = disk;
    }

    /** The disk under the data directory: the room left on it, and the size of the Raft log's segments. */
    public record Disk(LongSupplier usableBytes, long logSegmentBytes) {
        /** A disk that is not watched: the quota alone decides. */
        public static final Disk UNWATCHED = new Disk(() -> Long.MAX_VALUE, 0);

        /**
         * The room a server keeps free: its next snapshot, which rewrites the data it holds (estimated by the same
         * figures as the quota, plus the value files), and two log segments for what is written meanwhile.
         */
        long reserve(StorageUsage usage) {
            return 2 * logSegmentBytes + usage.bytes() + usage.valueFileBytes();
        }
    }

    /** The quota for a server with this maximum heap when none is configured. */
    public static long forHeap(long maxHeapBytes) {
        return (long) (maxHeapBytes * HEAP_SHARE);
    }

    public long quotaBytes() {
        return quotaBytes;
    }

    /** One look at the replica and the disk: raises or clears this server's alarm if needed. Run it often. */
    public void check() {
        StorageUsage usage = store.usage();
        boolean raised = usage.alarms().contains(new MemberAlarm(member, Alarm.NOSPACE));
        long usable = disk.usableBytes().getAsLong();
        long reserve = disk.reserve(usage);
        if (!raised && usage.bytes() >= quotaBytes) {
            propose(true, () -> log.warn("Storage quota reached: {} bytes of data, quota {} bytes "
                    + "(beacon.storage-quota). Writes that add data are refused until deletes bring it below {} "
                    + "bytes", usage.bytes(), quotaBytes, (long) (quotaBytes * CLEAR_BELOW)));
        } else if (!raised && usable < reserve) {
            propose(true, () -> log.warn("Disk nearly full: {} bytes left for the data directory, below the {} "
                    + "bytes this server keeps free (its next snapshot and two log segments). Writes that add data "
                    + "are refused until {} bytes are free", usable, reserve, reserve + disk.logSegmentBytes()));
        } else if (raised && usage.bytes() < quotaBytes * CLEAR_BELOW
                && usable >= reserve + disk.logSegmentBytes()) {
            propose(false, () -> log.info("Storage back under quota ({} of {} bytes) with {} bytes free on disk; "
                    + "writes accepted again", usage.bytes(), quotaBytes, usable));
        }
    }

    private void propose(boolean active, Runnable logged) {
        if (!proposing.compareAndSet(false, true)) {
            return;
        }
        submit.apply(new Command.SetAlarm(member, Alarm.NOSPACE, active)).whenComplete((outcome, error) -> {
            proposing.set(false);
            if (error == null) {
                logged.run();
            }
            // else no leader now: the next check proposes again
        });
    }
}
