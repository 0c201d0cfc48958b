package dev.beacon.api.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.agent.LocalAgent;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Caller;
import dev.beacon.api.ConsulVersion;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.coordinate.Coordinate;
import dev.beacon.cluster.ClusterMember;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.WanMember;
import dev.beacon.config.BeaconProperties;
import dev.beacon.config.NodeIdentity;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.Store;
import org.springframework.stereotype.Component;

/**
 * {@code /v1/agent/self} and {@code /v1/agent/members}: this agent and the cluster members it knows of. The self
 * answer has Consul's parts: {@code Config} (stable), {@code DebugConfig} (the settings tools read, under Consul's
 * names), {@code Coord} (the origin: Beacon measures from each server, see {@link Coordinate}), {@code Member},
 * {@code Stats} (strings, as Consul's) and {@code Meta} (the node's meta). {@code ?wan} lists the servers of every
 * datacenter instead of this datacenter's members, named {@code node.datacenter}, as Consul's WAN pool.
 */
@Component
class AgentSelfRoutes implements ApiRoutes {
    private static final int ALIVE = 1;
    private static final int FAILED = 4;

    private final ClusterView cluster;
    private final NodeIdentity identity;
    private final BeaconProperties properties;
    private final Node node;
    private final Store store;
    private final LocalAgent agent;
    private final Datacenters datacenters;

    AgentSelfRoutes(ClusterView cluster, NodeIdentity identity, BeaconProperties properties, Node agentNode,
                    Store store, LocalAgent agent, Datacenters datacenters) {
        this.cluster = cluster;
        this.identity = identity;
        this.properties = properties;
        this.node = agentNode;
        this.store = store;
        this.agent = agent;
        this.datacenters = datacenters;
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
                    "dc", m.datacenter(), "port", Integer.toString(m.port()),
                    "build", ConsulVersion.VERSION + ":beacon"));
            return new AgentMember(m.nodeName(), m.host(), m.port(), tags, m.alive() ? ALIVE : FAILED,
                    1, 5, 2, 2, 5, 4);
        }

        static AgentMember ofWan(WanMember m) {
            Map<String, String> tags = new TreeMap<>(Map.of("role", "consul", "dc", m.datacenter(),
                    "build", ConsulVersion.VERSION + ":beacon"));
            return new AgentMember(m.wanName(), m.host(), m.port(), tags, m.alive() ? ALIVE : FAILED,
                    1, 5, 2, 2, 5, 4);
        }
    }

    record AgentSelf(@JsonProperty("Config") AgentConfig config,
                     @JsonProperty("DebugConfig") Map<String, Object> debugConfig,
                     @JsonProperty("Coord") Coordinate coord, @JsonProperty("Member") AgentMember member,
                     @JsonProperty("Stats") Map<String, Map<String, String>> stats,
                     @JsonProperty("Meta") Map<String, String> meta) {
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
                true, ConsulVersion.VERSION);
        ClusterMember me = cluster.members().stream()
                .filter(m -> (m.host() + ":" + m.port()).equals(settings.localMember()))
                .findFirst()
                .orElseGet(() -> localMember(settings.localMember(), settings.datacenter(), settings.nodeName()));
        return CompletableFuture.completedFuture(ApiResponse.json(new AgentSelf(config, debugConfig(),
                Coordinate.origin(), AgentMember.of(me), stats(), node.meta())));
    }

    private Map<String, Object> debugConfig() {
        var settings = cluster.settings();
        BeaconProperties.Ports ports = properties.ports();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Datacenter", settings.datacenter());
        config.put("PrimaryDatacenter", settings.datacenter());
        config.put("NodeName", settings.nodeName());
        config.put("NodeID", identity.id());
        config.put("NodeMeta", node.meta());
        config.put("ServerMode", true);
        config.put("Bootstrap", properties.singleServer());
        config.put("BootstrapExpect", properties.bootstrapExpect());
        config.put("BindAddr", properties.bindAddress());
        config.put("AdvertiseAddrLAN", properties.bindAddress());
        config.put("AdvertiseAddrWAN", properties.bindAddress());
        config.put("ClientAddrs", List.of(properties.clientAddress()));
        config.put("RetryJoinLAN", properties.retryJoin());
        config.put("RetryJoinWAN", properties.retryJoinWan());
        config.put("DataDir", properties.dataDir().toAbsolutePath().toString());
        config.put("DNSDomain", "consul.");
        config.put("DNSPort", ports.dns());
        config.put("HTTPPort", ports.http());
        config.put("HTTPSPort", -1);
        config.put("GRPCPort", -1);
        config.put("ServerPort", ports.raft());
        config.put("SerfPortWAN", ports.serfWan());
        config.put("ACLsEnabled", false);
        config.put("EnableRemoteScriptChecks", false);
        config.put("EnableLocalScriptChecks", false);
        config.put("Revision", "beacon");
        config.put("Version", ConsulVersion.VERSION);
        config.put("VersionPrerelease", "");
        return config;
    }

    private Map<String, Map<String, String>> stats() {
        Map<String, String> consul = new TreeMap<>();
        consul.put("server", "true");
        consul.put("leader", Boolean.toString(cluster.isLeader()));
        consul.put("leader_addr", cluster.leader().orElse(""));
        consul.put("bootstrap", Boolean.toString(properties.singleServer()));
        consul.put("known_datacenters", Integer.toString(datacenters.byDistance().size()));
        Map<String, String> raft = new TreeMap<>();
        raft.put("state", cluster.isLeader() ? "Leader" : cluster.leader().isPresent() ? "Follower" : "Candidate");
        raft.put("term", Long.toString(cluster.term()));
        raft.put("applied_index", Long.toString(store.lastIndex()));
        raft.put("num_peers", Integer.toString(Math.max(0, cluster.peers().size() - 1)));
        raft.put("last_contact", cluster.lastContactMillis() == 0 ? "0" : cluster.lastContactMillis() + "ms");
        raft.put("protocol_version", "3");
        Map<String, String> runtime = new TreeMap<>();
        runtime.put("os", System.getProperty("os.name").toLowerCase());
        runtime.put("arch", System.getProperty("os.arch"));
        runtime.put("version", "java " + Runtime.version());
        runtime.put("cpu_count", Integer.toString(Runtime.getRuntime().availableProcessors()));
        runtime.put("max_procs", Integer.toString(Runtime.getRuntime().availableProcessors()));
        List<HealthCheck> checks = agent.checks();
        Map<String, String> local = new TreeMap<>();
        local.put("check_monitors", "0");
        local.put("check_ttls", Long.toString(checks.stream().filter(c -> c.type().equals("ttl")).count()));
        local.put("checks", Integer.toString(checks.size()));
        local.put("services", Integer.toString(agent.services().size()));
        Map<String, Map<String, String>> stats = new TreeMap<>();
        stats.put("agent", local);
        stats.put("consul", consul);
        stats.put("raft", raft);
        stats.put("runtime", runtime);
        return stats;
    }

    private CompletionStage<ApiResponse> members(ApiRequest request) {
        Caller caller = request.caller();
        if (request.params().flag("wan")) {
            Caller.Filtered<WanMember> visible = caller.filter(datacenters.members(),
                    m -> caller.permissions().nodeRead(m.node()));
            List<AgentMember> members = visible.items().stream().map(AgentMember::ofWan).toList();
            return CompletableFuture.completedFuture(ApiResponse.json(members).filteredByAcls(visible.dropped()));
        }
        Caller.Filtered<ClusterMember> visible = caller.filter(cluster.members(),
                m -> caller.permissions().nodeRead(m.nodeName()));
        List<AgentMember> members = visible.items().stream().map(AgentMember::of).toList();
        return CompletableFuture.completedFuture(ApiResponse.json(members).filteredByAcls(visible.dropped()));
    }

    private static ClusterMember localMember(String address, String datacenter, String nodeName) {
        int colon = address.lastIndexOf(':');
        return new ClusterMember(nodeName, address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)), datacenter, true, true);
    }
}
