package dev.beacon.etcd;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.CountingReplicator;

/**
 * GET /metrics on the etcd port, as an etcd member serves it: Prometheus' text format, with the metrics that
 * dashboards and alerts made for etcd read under etcd's names (leader, proposals, the v2 store's operations
 * and watchers), followed by this server's own metrics (Actuator's Prometheus scrape, the same as
 * {@code /actuator/prometheus} on the HTTP port). Only what Beacon can say truly is named after etcd: there are no
 * gRPC, WAL fsync or MVCC backend metrics, which belong to parts of etcd that Beacon does not have.
 */
public final class EtcdMetrics {
    /** Prometheus' text format, the content type etcd's handler answers with. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The rendered metrics, a body of its own type so that it goes out with {@link #CONTENT_TYPE}. */
    record Exposition(String text) {
    }

    private final ClusterView view;
    private final EtcdClusterInfo cluster;
    private final EtcdStoreCounters counters;
    private final CountingReplicator proposals;
    private final LongSupplier appliedIndex;
    private final LongSupplier expiredKeys;
    private final Supplier<String> serverMetrics;

    /**
     * @param proposals     the commands this server proposes, counted
     * @param appliedIndex  the Raft index this server's store has applied
     * @param expiredKeys   keys this server has seen expire since it started
     * @param serverMetrics the rest of this server's metrics in the same format (empty for none)
     */
    public EtcdMetrics(ClusterView view, EtcdClusterInfo cluster, EtcdStoreCounters counters,
                       CountingReplicator proposals, LongSupplier appliedIndex, LongSupplier expiredKeys, Supplier<String> serverMetrics) {
        this.view = view;
        this.cluster = cluster;
        this.counters = counters;
        this.proposals = proposals;
        this.appliedIndex = appliedIndex;
        this.expiredKeys = expiredKeys;
        this.serverMetrics = serverMetrics;
    }

    /** The whole exposition: etcd's metrics, then this server's. */
    public Exposition render() {
        StringBuilder out = new StringBuilder(1024);
        cluster.observeLeader();
        metric(out, "etcd_server_has_leader", "gauge",
                "Whether or not a leader exists. 1 is existence, 0 is not.", view.leader().isPresent() ? 1 : 0);
        metric(out, "etcd_server_is_leader", "gauge",
                "Whether or not this member is a leader. 1 if is, 0 otherwise.", view.isLeader() ? 1 : 0);
        metric(out, "etcd_server_leader_changes_seen_total", "counter",
                "The number of leader changes seen.", cluster.leaderChangesSeen());
        metric(out, "etcd_server_proposals_applied_total", "gauge",
                "The total number of consensus proposals applied.", appliedIndex.getAsLong());
        metric(out, "etcd_server_proposals_committed_total", "gauge",
                "The total number of consensus proposals committed.", view.commitIndex());
        metric(out, "etcd_server_proposals_failed_total", "counter",
                "The total number of failed proposals seen.", proposals.failed());
        metric(out, "etcd_server_proposals_pending", "gauge",
                "The current number of pending proposals to commit.", proposals.pending());
        EtcdStoreCounters.StoreStats stats = counters.snapshot(expiredKeys.getAsLong());
        header(out, "etcd_debugging_store_reads_total", "counter",
                "Total number of reads action by (get/getRecursive), local to this member.");
        labelled(out, "etcd_debugging_store_reads_total", "get", stats.getsSuccess() + stats.getsFail());
        header(out, "etcd_debugging_store_writes_total", "counter",
                "Total number of writes (e.g. set/compareAndDelete) seen by this member.");
        labelled(out, "etcd_debugging_store_writes_total", "set", stats.setsSuccess() + stats.setsFail());
        labelled(out, "etcd_debugging_store_writes_total", "create", stats.createSuccess() + stats.createFail());
        labelled(out, "etcd_debugging_store_writes_total", "update", stats.updateSuccess() + stats.updateFail());
        labelled(out, "etcd_debugging_store_writes_total", "delete", stats.deleteSuccess() + stats.deleteFail());
        labelled(out, "etcd_debugging_store_writes_total", "compareAndSwap",
                stats.compareAndSwapSuccess() + stats.compareAndSwapFail());
        labelled(out, "etcd_debugging_store_writes_total", "compareAndDelete",
                stats.compareAndDeleteSuccess() + stats.compareAndDeleteFail());
        metric(out, "etcd_debugging_store_expires_total", "counter", "Total number of expired keys.",
                stats.expireCount());
        metric(out, "etcd_debugging_store_watch_requests_total", "counter",
                "Total number of incoming watch requests (new or reestablished).", counters.watchRequests());
        metric(out, "etcd_debugging_store_watchers", "gauge", "Count of currently active watchers.",
                stats.watchers());
        out.append(serverMetrics.get());
        return new Exposition(out.toString());
    }

    private static void metric(StringBuilder out, String name, String type, String help, long value) {
        header(out, name, type, help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void labelled(StringBuilder out, String name, String action, long value) {
        out.append(name).append("{action=\"").append(action).append("\"} ").append(value).append('\n');
    }
}
