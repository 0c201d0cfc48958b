package dev.beacon.api.agent;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterMember;
import dev.beacon.cluster.ClusterView;
import dev.beacon.config.NodeIdentity;
import org.springframework.stereotype.Component;

/** {@code /v1/agent/self} and {@code /v1/agent/members}: this agent and the cluster members it knows of. */
@Component
class AgentSelfRoutes implements ApiRoutes {
    /** The Consul API version Beacon answers as; clients compare it, so it is Consul's, not Beacon's. */
    static final String CONSUL_VERSION = "1.20.0";
    private static final int ALIVE = 1;
    private static final int FAILED = 4;

    private final ClusterView cluster;
    private final NodeIdentity identity;

    AgentSelfRoutes(ClusterView cluster, NodeIdentity identity) {
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
            // Sorted by name, as Go writes a map: Map.of's order changes from one run to the next.
            Map<String, String> tags = new TreeMap<>(Map.of("role", m.server() ? "consul" : "node",
                    "dc", m.datacenter(), "port", Integer.toString(m.port()), "build", CONSUL_VERSION + ":beacon"));
            return new AgentMember(m.nodeName(), m.host(), m.port(), tags, m.alive() ? ALIVE : FAILED,
                    1, 5, 2, 2, 5, 4);
        }
    }

    record AgentSelf(@JsonProperty("Config") AgentConfig config, @JsonProperty("Member") AgentMember member) {
    }

    @Override
    public void register(RouteTable.Builder routes) {
        // As in Consul: reading the agent's configuration is agent:read, listing members is node:read.
        routes.get("/v1/agent/self", Route.Resource.AGENT, this::self)
                .get("/v1/agent/members", Route.Resource.NODE, this::members);
    }

    private CompletionStage<ApiResponse> self(ApiRequest request) {
        var settings = cluster.settings();
        AgentConfig config = new AgentConfig(settings.datacenter(), settings.nodeName(), identity.id(), "beacon",
                true, CONSUL_VERSION);
        ClusterMember me = cluster.members().stream()
                .filter(m -> (m.host() + ":" + m.port()).equals(settings.localMember()))
                .findFirst()
                .orElseGet(() -> localMember(settings.localMember(), settings.datacenter(), settings.nodeName()));
        return CompletableFuture.completedFuture(ApiResponse.json(new AgentSelf(config, AgentMember.of(me))));
    }

    private CompletionStage<ApiResponse> members(ApiRequest request) {
        List<AgentMember> members = cluster.members().stream().map(AgentMember::of).toList();
        return CompletableFuture.completedFuture(ApiResponse.json(members));
    }

    private static ClusterMember localMember(String address, String datacenter, String nodeName) {
        int colon = address.lastIndexOf(':');
        return new ClusterMember(nodeName, address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)), datacenter, true, true);
    }
}
