package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LastRenderedTest {
    private final List<String> rendered = new ArrayList<>();
    private final LastRendered<String> bodies = new LastRendered<>(value -> {
        rendered.add(value);
        return ("\"" + value + "\"").getBytes(StandardCharsets.UTF_8);
    }, String::equals);

    @Test
    void anEqualValueReusesTheBodyWithoutRenderingAgain() {
        byte[] first = bodies.of(new String("config"));
        byte[] second = bodies.of(new String("config"));

        assertThat(second).isSameAs(first);
        assertThat(rendered).containsExactly("config");
    }

    @Test
    void aDifferentValueIsRenderedAndThenRemembered() {
        bodies.of("a");
        byte[] b = bodies.of("b");

        assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("\"b\"");
        assertThat(bodies.of("b")).isSameAs(b);
        assertThat(new String(bodies.of("a"), StandardCharsets.UTF_8)).isEqualTo("\"a\"");
        assertThat(rendered).containsExactly("a", "b", "a");
    }

    @Test
    void aLargeBodyIsNotKept() {
        String large = "x".repeat(LastRendered.MAX_KEPT_BYTES);
        bodies.of(large);
        bodies.of(large);

        assertThat(rendered).containsExactly(large, large);
    }
}
