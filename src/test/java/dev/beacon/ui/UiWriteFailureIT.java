package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.assertj.WebTestClientResponse;
import org.springframework.web.reactive.function.BodyInserters;

/** A write the cluster cannot commit (it lost its quorum) shows a message and keeps what the user typed. */
class UiWriteFailureIT {

    @Test
    void aWriteWithoutAQuorumIsRefusedWithAMessageAndTheTypedTextKept(@TempDir Path dir) {
        try (TestCluster cluster = new TestCluster(dir).startAll()) {
            BeaconNode leader = cluster.awaitLeader();
            BeaconNode survivor = cluster.followers(leader).get(0);
            // Without a quorum a write can take the cluster's whole operation timeout to be refused.
            WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + survivor.httpPort())
                    .responseTimeout(Duration.ofMinutes(1)).build();
            assertThat(WebTestClientResponse.from(http.post().uri("/ui/kv/")
                    .body(BodyInserters.fromFormData("action", "create").with("name", "before")
                            .with("value", "committed")).exchange()))
                    .hasStatus(HttpStatus.SEE_OTHER);

            cluster.followers(survivor).forEach(BeaconNode::stop);

            assertThat(WebTestClientResponse.from(http.post().uri("/ui/kv/")
                    .body(BodyInserters.fromFormData("action", "create").with("name", "after")
                            .with("value", "my precious text")).exchange()))
                    .hasStatus(HttpStatus.SERVICE_UNAVAILABLE).bodyText()
                    .containsAnyOf("no leader right now, so nothing was written",
                            "did not confirm the write in time: it may still be applied")
                    .contains("my precious text", "value=\"after\"");
            assertThat(survivor.store().kvGet("after").value()).isNull();
        }
    }
}
