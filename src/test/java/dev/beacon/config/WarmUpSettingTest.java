package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Cluster servers warm their answer path up unless told not to; a dev server does not unless told to. */
class WarmUpSettingTest {

    @Test
    void aServerOfAClusterWarmsUpUnlessTurnedOff() {
        Map<String, String> cluster = Map.of("beacon.bootstrap-expect", "3", "beacon.retry-join", "10.0.0.2,10.0.0.3");
        assertThat(bind(cluster).warmsUp()).isTrue();
        assertThat(bind(with(cluster, "false")).warmsUp()).isFalse();
    }

    @Test
    void aDevServerWarmsUpOnlyWhenTurnedOn() {
        assertThat(bind(Map.of()).warmsUp()).isFalse();
        assertThat(bind(with(Map.of(), "true")).warmsUp()).isTrue();
    }

    private static Map<String, String> with(Map<String, String> settings, String warmUp) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("beacon.warm-up", warmUp);
        return all;
    }

    private static BeaconProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("beacon", BeaconProperties.class);
    }
}
