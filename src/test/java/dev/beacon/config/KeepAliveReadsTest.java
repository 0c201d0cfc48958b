package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeepAliveReadsTest {

    @Test
    void theWorkaroundIsOnUnlessSomeoneChoseOtherwise() {
        String before = System.getProperty(KeepAliveReads.PROPERTY);
        try {
            System.clearProperty(KeepAliveReads.PROPERTY);
            KeepAliveReads.install();
            assertThat(System.getProperty(KeepAliveReads.PROPERTY)).isEqualTo("true");

            System.setProperty(KeepAliveReads.PROPERTY, "false");
            KeepAliveReads.install();
            assertThat(System.getProperty(KeepAliveReads.PROPERTY)).isEqualTo("false");
        } finally {
            if (before == null) {
                System.clearProperty(KeepAliveReads.PROPERTY);
            } else {
                System.setProperty(KeepAliveReads.PROPERTY, before);
            }
        }
    }
}
