package dev.beacon.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.cluster.ClusterView;
import dev.beacon.state.Store;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/operator/raft}: the Raft configuration as Consul shows it. */
@RestController
@RequestMapping("/v1/operator/raft")
class OperatorController {
    private final ClusterView cluster;
    private final Store store;

    OperatorController(ClusterView cluster, Store store) {
        this.cluster = cluster;
        this.store = store;
    }

    record RaftServer(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
                      @JsonProperty("Address") String address, @JsonProperty("Leader") boolean leader,
                      @JsonProperty("Voter") boolean voter,
                      @JsonProperty("ProtocolVersion") String protocolVersion) {
    }

    record RaftConfiguration(@JsonProperty("Servers") List<RaftServer> servers, @JsonProperty("Index") long index) {
    }

    @GetMapping("/configuration")
    RaftConfiguration configuration() {
        List<RaftServer> servers = cluster.peers().stream()
                .map(p -> new RaftServer(p.address(), p.nodeName(), p.address(), p.leader(), p.voter(), "3"))
                .toList();
        return new RaftConfiguration(servers, store.lastIndex());
    }
}
