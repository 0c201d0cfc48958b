package dev.beacon.cluster.atomix;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.NoLeaderException;
import io.atomix.cluster.MemberId;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.cluster.impl.DefaultRaftMember;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.protocol.LeaveRequest;
import io.atomix.protocols.raft.protocol.RaftResponse;

/**
 * Takes a server out of one Raft group's configuration. Atomix's leader applies a leave request whoever sends
 * it, as a one-server configuration change; a server leaving by itself sends its own. For a dead server, which
 * cannot, this sends the request on its behalf.
 */
final class PeerRemoval {
    private PeerRemoval() {
    }

    static CompletableFuture<Void> remove(RaftServer server, String address) {
        RaftContext raft = RaftIntrospection.contextOf(server);
        MemberId gone = MemberId.from(address);
        if (server.cluster().getMember(gone) == null) {
            // Already out (a retried removal). Atomix's leader would fail to build its answer to this request
            // (a LeaveResponse without a time) and never answer at all.
            return CompletableFuture.completedFuture(null);
        }
        RaftMember leader = server.cluster().getLeader();
        if (leader == null) {
            return CompletableFuture.failedFuture(new NoLeaderException("No cluster leader"));
        }
        LeaveRequest request = LeaveRequest.builder()
                .withMember(new DefaultRaftMember(gone, RaftMember.Type.ACTIVE, Instant.now()))
                .build();
        return raft.getProtocol().leave(leader.memberId(), request).thenAccept(response -> {
            if (response.status() != RaftResponse.Status.OK) {
                // The leader refuses while another configuration change or its own start is under way.
                throw new ClusterUnavailableException("rpc error making call: the leader could not change the Raft"
                        + " configuration now; try again");
            }
        });
    }
}
