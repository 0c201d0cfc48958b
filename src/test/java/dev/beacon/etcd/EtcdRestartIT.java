package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted server keeps etcd's keys, their times to live and the event history: from its log alone, and from a
 * snapshot once the log was compacted into one.
 */
class EtcdRestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void keysTimesToLiveAndTheHistorySurviveARestart(@TempDir Path dir) throws Exception {
        int etcdPort = TestCluster.freePort();
        BeaconNode node = new BeaconNode("etcdrestart", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.ports.etcd", Integer.toString(etcdPort));
        try (node) {
            node.start();
            node.cluster().whenReady().get(90, TimeUnit.SECONDS);
            long first = JSON.readTree(send(etcdPort, "PUT", "/v2/keys/kept", "value=one").body())
                    .at("/node/modifiedIndex").asLong();
            send(etcdPort, "PUT", "/v2/keys/kept", "value=two");
            JsonNode leased = JSON.readTree(send(etcdPort, "PUT", "/v2/keys/leased?ttl=3600", "value=l").body());
            String expiration = leased.at("/node/expiration").asText();

            for (boolean compacted : new boolean[] {false, true}) {
                if (compacted) {
                    node.compaction().compactLog().get(60, TimeUnit.SECONDS);
                }
                node.stop();
                node.start();
                await().atMost(Duration.ofSeconds(90)).until(() -> node.cluster().isReady()
                        && send(etcdPort, "GET", "/v2/keys/kept", null).statusCode() == 200);

                assertThat(JSON.readTree(send(etcdPort, "GET", "/v2/keys/kept", null).body()).at("/node/value")
                        .asText()).isEqualTo("two");
                JsonNode lease = JSON.readTree(send(etcdPort, "GET", "/v2/keys/leased", null).body());
                assertThat(lease.at("/node/expiration").asText()).as("compacted: " + compacted).isEqualTo(expiration);
                JsonNode history = JSON.readTree(send(etcdPort, "GET", "/v2/keys/kept?wait=true&waitIndex=" + first,
                        null).body());
                assertThat(history.at("/node/value").asText()).as("the first event, compacted: " + compacted)
                        .isEqualTo("one");
            }
        }
    }

    private HttpResponse<String> send(int port, String method, String path, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
