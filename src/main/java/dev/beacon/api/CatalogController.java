package dev.beacon.api;

import java.util.List;

import dev.beacon.cluster.BeaconCluster;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/catalog}: the datacenters this server knows of. */
@RestController
@RequestMapping("/v1/catalog")
class CatalogController {
    private final BeaconCluster cluster;

    CatalogController(BeaconCluster cluster) {
        this.cluster = cluster;
    }

    @GetMapping("/datacenters")
    List<String> datacenters() {
        return List.of(cluster.settings().datacenter());
    }
}
