package dev.beacon.api;

import java.util.List;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RaftPeer;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/status}: the Raft leader and peers, as {@code host:port} strings. */
@RestController
@RequestMapping("/v1/status")
class StatusController {
    private final ClusterView cluster;

    StatusController(ClusterView cluster) {
        this.cluster = cluster;
    }

    /** The leader's address, or an empty string while there is none, as Consul answers. */
    @GetMapping(value = "/leader", produces = MediaType.APPLICATION_JSON_VALUE)
    String leader() {
        // A String return value is written as-is, so quote it here: an address needs no escaping.
        return "\"" + cluster.leader().orElse("") + "\"";
    }

    @GetMapping("/peers")
    List<String> peers() {
        return cluster.peers().stream().map(RaftPeer::address).toList();
    }
}
