package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureLogTest {
    private static final long SECOND = 1_000_000_000L;
    private final FailureLog log = new FailureLog(10 * SECOND);

    @Test
    void theFirstOfAKindIsLoggedAndTheRestOfItsIntervalLeftOut() {
        assertThat(log.admit("no leader", 0)).isZero();
        assertThat(log.admit("no leader", SECOND)).isEqualTo(-1);
        assertThat(log.admit("no leader", 9 * SECOND)).isEqualTo(-1);
    }

    @Test
    void theNextLineAfterTheIntervalCountsWhatWasLeftOut() {
        log.admit("timeout", 0);
        log.admit("timeout", SECOND);
        log.admit("timeout", 2 * SECOND);

        assertThat(log.admit("timeout", 10 * SECOND)).isEqualTo(2);
        assertThat(log.admit("timeout", 11 * SECOND)).isEqualTo(-1);
        assertThat(log.admit("timeout", 25 * SECOND)).isEqualTo(1);
    }

    @Test
    void kindsAreCountedApart() {
        assertThat(log.admit("timeout", 0)).isZero();
        assertThat(log.admit("no leader", SECOND)).isZero();
        assertThat(log.admit("timeout", 2 * SECOND)).isEqualTo(-1);
    }
}
