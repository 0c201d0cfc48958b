package dev.beacon.cluster.atomix;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.atomix.cluster.BootstrapService;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.discovery.NodeDiscoveryService;
import io.atomix.cluster.protocol.GroupMembershipEventListener;
import io.atomix.cluster.protocol.GroupMembershipProtocol;
import io.atomix.cluster.protocol.GroupMembershipProtocolConfig;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.cluster.protocol.SwimMembershipProtocolConfig;

/**
 * Atomix's default membership protocol (SWIM, with its default settings), except that asking for a member it has
 * never seen answers null, as the interface promises, instead of throwing a NullPointerException. Atomix's
 * messaging turns a null member into a refused connection, which its Raft client and server retry elsewhere; the
 * exception instead broke them off. A server configured with a peer that died for good before this server
 * started, or one that joined the Raft cluster later, is such a member: the restarted server then never opened
 * its sessions.
 */
final class NullSafeMembership implements GroupMembershipProtocol {
    /**
     * Atomix builds the protocol from its configuration's type ({@code withMembershipProtocol} keeps only the
     * configuration), so this type is how the wrapper gets in.
     */
    static final Type<Config> TYPE = new Type<>() {
        @Override
        public String name() {
            return "null-safe-swim";
        }

        @Override
        public Config newConfig() {
            return new Config();
        }

        @Override
        public GroupMembershipProtocol newProtocol(Config config) {
            return new NullSafeMembership(config);
        }
    };

    /** SWIM's settings, with defaults, naming this protocol's type. */
    static final class Config extends SwimMembershipProtocolConfig {
        @Override
        public GroupMembershipProtocol.Type getType() {
            return TYPE;
        }
    }

    private final Config config;
    private final GroupMembershipProtocol swim;

    NullSafeMembership(Config config) {
        this.config = config;
        this.swim = SwimMembershipProtocol.TYPE.newProtocol(config);
    }

    @Override
    public Member getMember(MemberId memberId) {
        return swim.getMembers().stream().filter(member -> member.id().equals(memberId)).findFirst().orElse(null);
    }

    @Override
    public Set<Member> getMembers() {
        return swim.getMembers();
    }

    @Override
    public CompletableFuture<Void> join(BootstrapService bootstrap, NodeDiscoveryService discovery,
                                        Member localMember) {
        return swim.join(bootstrap, discovery, localMember);
    }

    @Override
    public CompletableFuture<Void> leave(Member localMember) {
        return swim.leave(localMember);
    }

    @Override
    public void addListener(GroupMembershipEventListener listener) {
        swim.addListener(listener);
    }

    @Override
    public void removeListener(GroupMembershipEventListener listener) {
        swim.removeListener(listener);
    }

    @Override
    public GroupMembershipProtocolConfig config() {
        return config;
    }
}
