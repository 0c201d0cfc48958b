package dev.beacon.api.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.ConsulVersion;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RaftPeer;
import dev.beacon.state.Store;
import org.springframework.stereotype.Component;

/**
 * {@code /v1/operator/autopilot/health} and {@code /v1/operator/autopilot/state}: Consul's view of whether each
 * Raft server is healthy and how many can fail before the cluster loses its quorum. A server is healthy when
 * cluster membership sees it alive and, where this server leads, it answered the leader within the contact
 * threshold (Consul's {@code LastContactThreshold}, here the larger of 200 ms and two Raft heartbeats). Only the
 * leader knows when its followers last answered; elsewhere liveness alone decides. An unhealthy cluster's health
 * is answered with 429, as Consul answers it, so that a load balancer's check can use it.
 */
@Component
class AutopilotRoutes implements ApiRoutes {
    private static final long MIN_CONTACT_THRESHOLD_MILLIS = 200;
    private static final int UNHEALTHY = 429;

    private final ClusterView cluster;
    private final Store store;

    AutopilotRoutes(ClusterView cluster, Store store) {
        this.cluster = cluster;
        this.store = store;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/operator/autopilot/health", Route.Resource.OPERATOR, this::health)
                .get("/v1/operator/autopilot/state", Route.Resource.OPERATOR, this::state);
    }

    /** One server as autopilot sees it; {@code lastContactMillis} is -1 where this server cannot know it. */
    record ServerHealth(RaftPeer peer, boolean alive, long lastContactMillis, boolean healthy) {
    }

    record HealthServerJson(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                            @JsonProperty("Address") String address, @JsonProperty("SerfStatus") String serfStatus,
                            @JsonProperty("Version") String version, @JsonProperty("Leader") boolean leader,
                            @JsonProperty("LastContact") String lastContact, @JsonProperty("LastTerm") long lastTerm,
                            @JsonProperty("LastIndex") long lastIndex, @JsonProperty("Healthy") boolean healthy,
                            @JsonProperty("Voter") boolean voter) {
    }

    record HealthJson(@JsonProperty("Healthy") boolean healthy,
                      @JsonProperty("FailureTolerance") int failureTolerance,
                      @JsonProperty("Servers") List<HealthServerJson> servers) {
    }

    record StateServerJson(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                           @JsonProperty("Address") String address, @JsonProperty("NodeStatus") String nodeStatus,
                           @JsonProperty("Version") String version, @JsonProperty("LastContact") String lastContact,
                           @JsonProperty("LastTerm") long lastTerm, @JsonProperty("LastIndex") long lastIndex,
                           @JsonProperty("Healthy") boolean healthy, @JsonProperty("Status") String status,
                           @JsonProperty("NodeType") String nodeType, @JsonProperty("ReadReplica") boolean readReplica,
                           @JsonProperty("Meta") Map<String, String> meta) {
    }

    record StateJson(@JsonProperty("Healthy") boolean healthy,
                     @JsonProperty("FailureTolerance") int failureTolerance,
                     @JsonProperty("OptimisticFailureTolerance") int optimisticFailureTolerance,
                     @JsonProperty("Servers") Map<String, StateServerJson> servers,
                     @JsonProperty("Leader") String leader, @JsonProperty("Voters") List<String> voters) {
    }

    private CompletionStage<ApiResponse> health(ApiRequest request) {
        List<ServerHealth> servers = servers();
        List<HealthServerJson> json = servers.stream().map(s -> new HealthServerJson(s.peer().address(),
                s.peer().nodeName(), s.peer().address(), s.alive() ? "alive" : "failed", ConsulVersion.VERSION,
                s.peer().leader(), lastContact(s), cluster.term(), store.lastIndex(), s.healthy(), s.peer().voter()))
                .toList();
        boolean healthy = servers.stream().allMatch(ServerHealth::healthy);
        ApiResponse answer = ApiResponse.json(new HealthJson(healthy, failureTolerance(servers, true), json));
        return CompletableFuture.completedFuture(healthy ? answer : answer.withStatus(UNHEALTHY));
    }

    private CompletionStage<ApiResponse> state(ApiRequest request) {
        List<ServerHealth> servers = servers();
        Map<String, StateServerJson> json = new LinkedHashMap<>();
        List<String> voters = new ArrayList<>();
        String leader = "";
        for (ServerHealth s : servers) {
            RaftPeer peer = s.peer();
            String status = peer.leader() ? "leader" : peer.voter() ? "voter" : "non-voter";
            json.put(peer.address(), new StateServerJson(peer.address(), peer.nodeName(), peer.address(),
                    s.alive() ? "alive" : "failed", ConsulVersion.VERSION, lastContact(s), cluster.term(),
                    store.lastIndex(), s.healthy(), status, "voter", false, Map.of()));
            if (peer.voter()) {
                voters.add(peer.address());
            }
            if (peer.leader()) {
                leader = peer.address();
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.json(new StateJson(
                servers.stream().allMatch(ServerHealth::healthy), failureTolerance(servers, true),
                failureTolerance(servers, false), json, leader, voters)));
    }

    private List<ServerHealth> servers() {
        Map<String, Boolean> liveness = cluster.serverLiveness();
        Map<String, Long> contact = cluster.followerLastContact();
        String local = cluster.settings().localMember();
        long threshold = Math.max(MIN_CONTACT_THRESHOLD_MILLIS,
                2 * cluster.settings().timeouts().heartbeatInterval().toMillis());
        boolean leading = cluster.isLeader();
        List<ServerHealth> servers = new ArrayList<>();
        for (RaftPeer peer : cluster.peers()) {
            boolean self = peer.address().equals(local);
            boolean alive = self || liveness.getOrDefault(peer.address(), false);
            long lastContact;
            if (peer.leader() || self && cluster.leader().isPresent()) {
                lastContact = 0;
            } else if (leading) {
                lastContact = contact.getOrDefault(peer.address(), Long.MAX_VALUE);
            } else {
                lastContact = -1;
            }
            boolean healthy = alive && cluster.leader().isPresent() && lastContact <= threshold;
            servers.add(new ServerHealth(peer, alive, lastContact, healthy));
        }
        return servers;
    }

    /**
     * How many voters may fail with the quorum kept: of the healthy voters (Consul's {@code FailureTolerance}) or,
     * optimistically, of the live ones.
     */
    private static int failureTolerance(List<ServerHealth> servers, boolean healthyOnly) {
        long voters = servers.stream().filter(s -> s.peer().voter()).count();
        long counted = servers.stream().filter(s -> s.peer().voter())
                .filter(s -> healthyOnly ? s.healthy() : s.alive()).count();
        long quorum = voters / 2 + 1;
        return (int) Math.max(0, counted - quorum);
    }

    private static String lastContact(ServerHealth server) {
        if (server.lastContactMillis() < 0) {
            return "";
        }
        if (server.lastContactMillis() == Long.MAX_VALUE) {
            return "never";
        }
        return server.lastContactMillis() == 0 ? "0s" : server.lastContactMillis() + "ms";
    }
}
