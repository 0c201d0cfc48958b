package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.beacon.etcd.EtcdHttpServer;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import dev.beacon.wan.WanHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.AotDetector;

/**
 * The etcd and WAN ports turned off with {@code -1} in the packaged server's context, whose bean definitions were
 * fixed at build time (Spring AOT): the setting must still be honoured when the server starts.
 */
class OptionalPortsIT {

    @Test
    void aServerWithTheEtcdAndWanPortsOffRunsWithoutThemAndServesTheConsulApi(@TempDir Path dir) throws Exception {
        BeaconNode node = new BeaconNode("node1", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.ports.etcd", "-1").with("beacon.ports.serf-wan", "-1");
        try (node) {
            node.start();
            node.cluster().whenReady().get(60, TimeUnit.SECONDS);
            assertThat(AotDetector.useGeneratedArtifacts()).as("the build-time context, as packaged").isTrue();

            assertThat(node.context().getBeansOfType(EtcdHttpServer.class)).as("etcd front door").isEmpty();
            assertThat(node.context().getBeansOfType(WanHttpServer.class)).as("WAN port").isEmpty();
            assertThat(node.send("PUT", "/v1/kv/greeting", "", "hello").body()).isEqualTo("true");
            assertThat(node.get("/v1/kv/greeting?raw").body()).isEqualTo("hello");
            HttpResponse<String> elsewhere = node.get("/v1/kv/greeting?dc=dc2");
            assertThat(elsewhere.statusCode()).isEqualTo(500);
            assertThat(elsewhere.body()).isEqualToIgnoringNewLines("No path to datacenter");
        }
    }
}
