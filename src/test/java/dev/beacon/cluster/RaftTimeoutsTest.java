package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RaftTimeoutsTest {

    @Test
    void anElectionTimeoutOfThreeHeartbeatsOrMoreIsAccepted() {
        assertThatCode(() -> new RaftTimeouts(Duration.ofMillis(300), Duration.ofMillis(100)))
                .doesNotThrowAnyException();
    }

    @Test
    void anElectionTimeoutThatFitsFewerThanThreeHeartbeatsIsRefused() {
        assertThatThrownBy(() -> new RaftTimeouts(Duration.ofMillis(299), Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 3 heartbeat intervals");
    }

    @Test
    void aHeartbeatIntervalMustBePositive() {
        assertThatThrownBy(() -> new RaftTimeouts(Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
