package dev.beacon.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RaftPeer;
import dev.beacon.cluster.StorageQuota;
import dev.beacon.state.Query;
import dev.beacon.state.StorageUsage;
import dev.beacon.state.Store;
import dev.beacon.state.Table;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import reactor.core.publisher.Mono;

/** The Raft servers as this server sees them: who leads, who is reachable, and the gossip members. */
@Controller
@RequestMapping("/ui/cluster")
class ClusterPageController {
    /**
     * Leadership and reachability are not in the replicated state, so a live cluster page also wakes on a timer;
     * membership changes do reach the state (the leader marks a lost server's serfHealth critical) and wake it
     * sooner.
     */
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final double MIB = 1 << 20;

    private final UiReads reads;
    private final UiLayout layout;
    private final ClusterView cluster;
    private final StorageQuota quota;
    private final Store store;
    private final UiAccess access;

    ClusterPageController(UiReads reads, UiLayout layout, ClusterView cluster, StorageQuota quota,
                          Store store, UiAccess access) {
        this.reads = reads;
        this.layout = layout;
        this.cluster = cluster;
        this.quota = quota;
        this.store = store;
        this.access = access;
    }

    /**
     * A Raft server: {@code state} is leader, follower or unreachable; {@code lastContact} says when it was last
     * heard from, as far as this server can know (the leader knows it for every follower).
     */
    public record ServerRow(String name, String address, String state, boolean alive, boolean local,
                            String lastContact) {
    }

    @GetMapping
    Mono<Rendering> cluster(ServerHttpRequest request, @RequestParam(defaultValue = "0") long index,
                            @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        // As Consul's operator pages: the servers and their Raft state are operator:read.
        UiAccess.require(access.caller(request).permissions().operatorRead(), "operator:read", null);
        String self = cluster.settings().nodeName();
        Query.CatalogSlice query = new Query.CatalogSlice(self, null, EnumSet.of(Table.NODES, Table.CHECKS));
        return reads.read(query, index, WAIT).map(r -> {
            StorageUsage usage = store.usage();
            return layout.view("cluster", fragment != null, "Cluster", "cluster", null)
                    .modelAttribute("self", self)
                    .modelAttribute("servers", servers())
                    .modelAttribute("leader", cluster.leader().orElse(""))
                    .modelAttribute("lastContactMillis", cluster.lastContactMillis())
                    .modelAttribute("members", cluster.members())
                    .modelAttribute("appliedIndex", store.lastIndex())
                    .modelAttribute("term", cluster.term())
                    .modelAttribute("storage", String.format(Locale.ROOT,
                            "%.1f MiB of a %.1f MiB quota (%d keys)%s", usage.bytes() / MIB,
                            quota.quotaBytes() / MIB, usage.kvKeys(),
                            usage.noSpace() ? ": NOSPACE alarm, writes that add data are refused" : ""))
                    .modelAttribute("index", r.index())
                    .modelAttribute("liveUrl", "/ui/cluster")
                    .build();
        });
    }

    private List<ServerRow> servers() {
        Map<String, Boolean> liveness = cluster.serverLiveness();
        Map<String, Long> followerContact = cluster.followerLastContact();
        boolean leaderKnown = cluster.leader().isPresent();
        String localMember = cluster.settings().localMember();
        List<ServerRow> rows = new ArrayList<>();
        for (RaftPeer peer : cluster.peers()) {
            boolean local = peer.address().equals(localMember);
            boolean alive = local || liveness.getOrDefault(peer.address(), false);
            String state = peer.leader() ? "leader" : alive ? "follower" : "unreachable";
            String lastContact;
            if (local || (peer.leader() && leaderKnown)) {
                long sinceLeader = cluster.lastContactMillis();
                lastContact = leaderKnown ? "now" : sinceLeader > 0 ? sinceLeader + " ms ago" : "never";
            } else if (followerContact.containsKey(peer.address())) {
                long ago = followerContact.get(peer.address());
                lastContact = ago > 0 ? ago + " ms ago" : "now";
            } else {
                lastContact = cluster.isLeader() ? "never" : "known to the leader";
            }
            rows.add(new ServerRow(peer.nodeName(), peer.address(), state, alive, local, lastContact));
        }
        return rows;
    }

}
