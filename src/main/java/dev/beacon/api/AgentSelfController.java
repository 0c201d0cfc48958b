package dev.beacon.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.cluster.ClusterMember;
import dev.beacon.cluster.ClusterView;
import dev.beacon.config.NodeIdentity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/agent/self} and {@code /v1/agent/members}: this agent and the cluster members it knows of. */
@RestController
@RequestMapping("/v1/agent")
class AgentSelfController {
    /** The Consul API version Beacon answers as; clients compare it, so it is Consul's, not Beacon's. */
    static final String CONSUL_VERSION = "1.20.0";
    private static final int ALIVE = 1;
    private static final int FAILED = 4;

    private final ClusterView cluster;
    private final NodeIdentity identity;

    AgentSelfController(ClusterView cluster, NodeIdentity identity) {
        this.cluster = cluster;
        this.identity = identity;
    }

    record AgentConfig(@JsonProperty("Datacenter") String datacenter, @JsonProperty("NodeName") String nodeName,
                       @JsonProperty("NodeID") String nodeId, @JsonProperty("Revision") String revision,
                       @JsonProperty("Server") boolean server, @JsonProperty("Version") String version) {
    }

    record AgentMember(@JsonProperty("Name") String name, @JsonProperty("Addr") String addr,
                       @JsonProperty("Port") int port, @JsonProperty("Tags") Map<String, String> tags,
                       @JsonProperty("Status") int status,
                       @JsonProperty("ProtocolMin") int protocolMin, @JsonProperty("ProtocolMax") int protocolMax,
                       @JsonProperty("ProtocolCur") int protocolCur, @JsonProperty("DelegateMin") int delegateMin,
                       @JsonProperty("DelegateMax") int delegateMax, @JsonProperty("DelegateCur") int delegateCur) {

        static AgentMember of(ClusterMember m) {
            Map<String, String> tags = Map.of("role", m.server() ? "consul" : "node", "dc", m.datacenter(),
                    "port", Integer.toString(m.port()), "build", CONSUL_VERSION + ":beacon");
            return new AgentMember(m.nodeName(), m.host(), m.port(), tags, m.alive() ? ALIVE : FAILED,
                    1, 5, 2, 2, 5, 4);
        }
    }

    record AgentSelf(@JsonProperty("Config") AgentConfig config, @JsonProperty("Member") AgentMember member) {
    }

    @GetMapping("/self")
    AgentSelf self() {
        var settings = cluster.settings();
        AgentConfig config = new AgentConfig(settings.datacenter(), settings.nodeName(), identity.id(), "beacon",
                true, CONSUL_VERSION);
        ClusterMember me = cluster.members().stream()
                .filter(m -> (m.host() + ":" + m.port()).equals(settings.localMember()))
                .findFirst()
                .orElseGet(() -> localMember(settings.localMember(), settings.datacenter(), settings.nodeName()));
        return new AgentSelf(config, AgentMember.of(me));
    }

    @GetMapping("/members")
    List<AgentMember> members() {
        return cluster.members().stream().map(AgentMember::of).toList();
    }

    private static ClusterMember localMember(String address, String datacenter, String nodeName) {
        int colon = address.lastIndexOf(':');
        return new ClusterMember(nodeName, address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)), datacenter, true, true);
    }
}
