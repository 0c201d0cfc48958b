package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.web.context.WebApplicationContext;

/** A write the cluster cannot commit (it lost its quorum) shows a message and keeps what the user typed. */
class UiWriteFailureIT {

    @Test
    void aWriteWithoutAQuorumIsRefusedWithAMessageAndTheTypedTextKept(@TempDir Path dir) {
        try (TestCluster cluster = new TestCluster(dir).startAll()) {
            BeaconNode leader = cluster.awaitLeader();
            BeaconNode survivor = cluster.followers(leader).get(0);
            MockMvcTester mvc = MockMvcTester.from((WebApplicationContext) survivor.context());
            assertThat(mvc.post().uri("/ui/kv/").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .param("action", "create").param("name", "before").param("value", "committed"))
                    .hasStatus(HttpStatus.SEE_OTHER);

            cluster.followers(survivor).forEach(BeaconNode::stop);

            assertThat(mvc.post().uri("/ui/kv/").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .param("action", "create").param("name", "after").param("value", "my precious text"))
                    .hasStatus(HttpStatus.SERVICE_UNAVAILABLE).bodyText()
                    .contains("no leader right now, so nothing was written", "my precious text", "value=\"after\"");
            assertThat(survivor.store().kvGet("after").value()).isNull();
        }
    }
}
