package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    private static ClusterSettings of(String bind, int expect, List<String> retryJoin) {
        return ClusterSettings.of("n", "dc1", bind, 8300, expect, retryJoin, Path.of("d"), 1 << 25, 1 << 21,
                new RaftTimeouts(Duration.ofSeconds(1), Duration.ofMillis(150)));
    }

    @Test
    void devDefaultsGiveASingleMember() {
        ClusterSettings s = of("127.0.0.1", 0, List.of());
        assertThat(s.localMember()).isEqualTo("127.0.0.1:8300");
        assertThat(s.members()).containsExactly("127.0.0.1:8300");
    }

    @Test
    void retryJoinEntriesWithoutPortUseTheRaftPortAndSelfIsIgnored() {
        ClusterSettings s = of("10.0.0.2", 3, List.of("10.0.0.1", " 10.0.0.2:8300 ", "10.0.0.3:9300", ""));
        assertThat(s.members()).containsExactly("10.0.0.1:8300", "10.0.0.2:8300", "10.0.0.3:9300");
    }

    @Test
    void everyServerDerivesTheSameMemberListFromItsOwnView() {
        List<String> all = List.of("a:8300", "b:8300", "c:8300");
        ClusterSettings fromA = of("a", 3, List.of("b", "c"));
        ClusterSettings fromC = of("c", 3, List.of("a:8300", "b:8300"));
        assertThat(fromA.members()).isEqualTo(all).isEqualTo(fromC.members());
    }

    @Test
    void bootstrapExpectMustMatchTheServersNamed() {
        assertThatThrownBy(() -> of("a", 3, List.of("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap-expect is 3")
                .hasMessageContaining("1 other server");
    }
}
