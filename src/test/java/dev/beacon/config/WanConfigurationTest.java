package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WanConfigurationTest {

    @Test
    void aJoinAddressWithoutPortGetsTheWanPort() {
        assertThat(WanConfiguration.withPort("10.0.0.4", 8302)).isEqualTo("10.0.0.4:8302");
        assertThat(WanConfiguration.withPort(" west.example ", 8302)).isEqualTo("west.example:8302");
        assertThat(WanConfiguration.withPort("10.0.0.4:9302", 8302)).isEqualTo("10.0.0.4:9302");
        assertThat(WanConfiguration.withPort("fd00::4", 8302)).isEqualTo("[fd00::4]:8302");
        assertThat(WanConfiguration.withPort("[fd00::4]", 8302)).isEqualTo("[fd00::4]:8302");
        assertThat(WanConfiguration.withPort("[fd00::4]:9302", 8302)).isEqualTo("[fd00::4]:9302");
    }
}
