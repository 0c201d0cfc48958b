package dev.beacon.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.catalog.CatalogNode;
import org.kiwiproject.consul.model.health.Node;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * Service discovery through the real kiwiproject consul-client against a real server: the catalog and health
 * calls an application makes to find instances, which the client can only parse when nodes carry Consul's
 * tagged addresses; and the {@code consul} service every server registers for itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsulClientCatalogIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private BeaconNode server;
    private Consul consul;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = new BeaconNode("cat", "127.0.0.1", TestCluster.freePort(), List.of(), dir).start();
        consul = Consul.builder().withUrl("http://127.0.0.1:" + server.httpPort()).build();
        // Until the new server has elected itself, the client gets "No cluster leader" (a 500) and throws.
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> consul.catalogClient().getServices().getResponse().containsKey("consul"));
    }

    @AfterAll
    void stop() {
        if (consul != null) {
            consul.destroy();
        }
        server.close();
    }

    @Test
    void theServersOwnNodeCarriesLanAndWanAddressesAndTheNetworkSegment() {
        List<Node> nodes = consul.catalogClient().getNodes().getResponse();
        assertThat(nodes).extracting(Node::getNode).contains("cat");

        CatalogNode self = consul.catalogClient().getNode("cat").getResponse();
        assertThat(self.getNode().getTaggedAddresses()).hasValueSatisfying(addresses -> {
            assertThat(addresses.getWan()).isEqualTo("127.0.0.1");
            assertThat(addresses.getLan()).contains("127.0.0.1");
        });
        assertThat(server.get("/v1/catalog/node/cat").body())
                .contains("\"lan_ipv4\":\"127.0.0.1\"", "\"wan_ipv4\":\"127.0.0.1\"",
                        "\"Meta\":{\"consul-network-segment\":\"\"}");
    }

    @Test
    void everyServerOffersTheConsulServiceOnItsRaftPortButNotAsAnAgentService() {
        List<ServiceHealth> instances = consul.healthClient().getHealthyServiceInstances("consul").getResponse();

        assertThat(instances).singleElement().satisfies(instance -> {
            assertThat(instance.getNode().getNode()).isEqualTo("cat");
            assertThat(instance.getService().getId()).isEqualTo("consul");
            assertThat(instance.getService().getPort()).isEqualTo(server.raftPort());
            assertThat(instance.getService().getMeta()).containsEntry("raft_version", "3");
            assertThat(instance.getChecks()).extracting(c -> c.getCheckId()).contains("serfHealth");
        });
        assertThat(consul.agentClient().getServices()).doesNotContainKey("consul");
    }

    @Test
    void anAgentRegisteredServiceAndAnExternalNodesServiceAreBothDiscoverable() {
        consul.agentClient().register(9090, 0L, "web", "web-1", List.of("blue"), Map.of());
        String external = "{\"Node\":\"ext\",\"Address\":\"10.2.0.1\","
                + "\"Service\":{\"ID\":\"web-ext\",\"Service\":\"web\",\"Port\":80}}";
        HttpResponse<String> registered = server.send(HttpRequest.newBuilder(server.uri("/v1/catalog/register"))
                .PUT(HttpRequest.BodyPublishers.ofString(external)).build());
        assertThat(registered.body()).isEqualTo("true");

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                consul.healthClient().getAllServiceInstances("web").getResponse())
                .extracting(instance -> instance.getService().getId())
                .containsExactlyInAnyOrder("web-1", "web-ext"));
        assertThat(consul.catalogClient().getService("web").getResponse())
                .extracting(row -> row.getServiceId()).containsExactlyInAnyOrder("web-1", "web-ext");
        assertThat(consul.catalogClient().getNode("ext").getResponse().getNode().getTaggedAddresses()).isEmpty();
    }

    @Test
    void queryParametersOfNewerConsulVersionsAreIgnored() {
        HttpResponse<String> answer = server.get("/v1/catalog/services?ns=default&partition=default&peer="
                + "&cached&merge-central-config&sort_by_weight=1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"consul\":[]");
        assertThat(server.get("/v1/health/service/consul?ns=default&cached").statusCode()).isEqualTo(200);
        assertThat(server.get("/v1/catalog/services?index=abc").statusCode()).isEqualTo(400);
    }
}
