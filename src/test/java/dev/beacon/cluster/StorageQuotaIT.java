package dev.beacon.cluster;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storage quota on three real servers over HTTP. One server has a small quota and the others the default, and
 * every write goes through another server: the small one must still stop the writes (its alarm is replicated),
 * while reads and deletes go on, and a delete that frees room lets writes in again.
 */
class StorageQuotaIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VALUE = "v".repeat(1024);
    private static final int MOST_WRITES = 5_000;

    @Test
    void aServerAtItsQuotaStopsWritesEverywhereWhileReadsAndDeletesGoOn(@TempDir Path dir) {
        try (TestCluster cluster = new TestCluster(dir)) {
            // The quota counts heap: keys and their metadata (~170 bytes each here), not values kept in files. A
            // deleted key keeps a tombstone (~105 bytes) for 15 minutes, so deleting all frees only ~40 %: the quota
            // is large enough that writes let in while the alarm commits cannot keep it above 95 % after that.
            BeaconNode small = cluster.node(0).with("beacon.storage-quota", "300KB");
            BeaconNode writer = cluster.node(1);
            BeaconNode other = cluster.node(2);
            cluster.startAll();
            cluster.awaitLeader();
            String smallMember = small.cluster().settings().localMember();

            List<String> written = new ArrayList<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < MOST_WRITES && refused == null; i++) {
                String key = "fill/" + i;
                HttpResponse<String> put = put(writer, "/v1/kv/" + key, VALUE);
                if (put.statusCode() == 200) {
                    assertThat(put.body()).isEqualTo("true");
                    written.add(key);
                } else {
                    refused = put;
                }
            }

            assertThat(refused).as("a write refused within %d writes", MOST_WRITES).isNotNull();
            assertThat(refused.statusCode()).isEqualTo(507);
            assertThat(refused.body()).isEqualTo(
                    "storage quota exceeded (NOSPACE alarm): delete data to free space\n");
            assertThat(written.size()).isBetween(1_000, 3_500);
            for (BeaconNode node : cluster.nodes()) {
                await().atMost(WAIT).until(() -> node.get("/v1/operator/storage").body(),
                        body -> body.contains("\"Alarms\":[{\"Member\":\"" + smallMember + "\",\"Alarm\":\"NOSPACE\"}]"));
            }

            // Every acknowledged write is there, on every server, in every read mode.
            for (BeaconNode node : cluster.nodes()) {
                for (String mode : List.of("", "?stale", "?consistent")) {
                    HttpResponse<String> keys = node.get("/v1/kv/fill/" + (mode.isEmpty() ? "?keys" : mode + "&keys"));
                    assertThat(keys.statusCode()).isEqualTo(200);
                    assertThat(keys.body().split(",")).as("%s%s", node.name(), mode).hasSize(written.size());
                }
                assertThat(node.get("/v1/kv/" + written.get(0) + "?raw").body()).isEqualTo(VALUE);
            }

            // Refused through every server and every write path that adds data; nothing of it is stored.
            for (BeaconNode node : cluster.nodes()) {
                assertThat(put(node, "/v1/kv/extra", "x").statusCode()).isEqualTo(507);
            }
            assertThat(put(other, "/v1/txn", "[{\"KV\":{\"Verb\":\"set\",\"Key\":\"tx\",\"Value\":\"eA==\"}}]")
                    .statusCode()).isEqualTo(507);
            assertThat(put(other, "/v1/catalog/register",
                    "{\"Node\":\"newnode\",\"Address\":\"10.1.1.1\"}").statusCode()).isEqualTo(507);
            assertThat(other.get("/v1/kv/extra").statusCode()).isEqualTo(404);
            assertThat(other.get("/v1/catalog/nodes").body()).doesNotContain("newnode");
            assertThat(other.get("/actuator/prometheus").body()).contains("beacon_storage_alarm_nospace 1.0");
            assertThat(other.get("/ui/services").body()).contains("The storage quota is reached");

            // Deleting frees room: the small server clears its alarm and writes are accepted again.
            HttpResponse<String> deleted = send(other, "DELETE", "/v1/kv/fill/?recurse", "");
            assertThat(deleted.statusCode()).isEqualTo(200);
            for (BeaconNode node : cluster.nodes()) {
                await().atMost(WAIT).until(() -> node.get("/v1/operator/storage").body(),
                        body -> body.contains("\"Alarms\":[]"));
            }
            assertThat(put(writer, "/v1/kv/after", "back").body()).isEqualTo("true");
            assertThat(small.get("/v1/kv/after?consistent&raw").body()).isEqualTo("back");
            assertThat(cluster.nodes()).allMatch(BeaconNode::isRunning);
        }
    }

    private static HttpResponse<String> put(BeaconNode node, String path, String body) {
        return send(node, "PUT", path, body);
    }

    private static HttpResponse<String> send(BeaconNode node, String method, String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
