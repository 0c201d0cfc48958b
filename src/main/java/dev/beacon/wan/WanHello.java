package dev.beacon.wan;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.cluster.WanMember;

/**
 * What two servers exchange on each WAN ping, both ways: who the sender is, and the servers it currently finds
 * alive, so that every server of every datacenter learns of every other from any one of them.
 */
record WanHello(@JsonProperty("Sender") Server sender, @JsonProperty("Alive") List<Server> alive) {

    record Server(@JsonProperty("Node") String node, @JsonProperty("Datacenter") String datacenter,
                  @JsonProperty("Host") String host, @JsonProperty("Port") int port) {

        static Server of(WanMember member) {
            return new Server(member.node(), member.datacenter(), member.host(), member.port());
        }

        WanMember member() {
            if (node == null || node.isEmpty() || datacenter == null || datacenter.isEmpty() || host == null
                    || host.isEmpty() || port <= 0 || port > 65535) {
                throw new IllegalArgumentException("incomplete WAN member: " + this);
            }
            return new WanMember(node, datacenter, host, port, true, Double.NaN);
        }
    }

    /** This server's hello: itself, and every other server it finds alive. */
    static WanHello from(WanPool pool) {
        List<Server> alive = pool.members().stream()
                .filter(m -> m.alive() && !m.wanName().equals(pool.self().wanName()))
                .map(Server::of)
                .toList();
        return new WanHello(Server.of(pool.self()), alive);
    }

    /** Tells the pool what this hello says, when it came as an answer to a ping of {@code pinged}. */
    void answerTo(WanPool pool, String pinged, long rttNanos) {
        pool.answered(pinged, sender.member(), rttNanos);
        gossip(pool);
    }

    /** Tells the pool what this hello says, when it came with a ping from its sender. */
    void callFrom(WanPool pool) {
        pool.calledBy(sender.member());
        gossip(pool);
    }

    private void gossip(WanPool pool) {
        if (alive != null) {
            alive.forEach(server -> pool.heardOf(server.member()));
        }
    }
}
