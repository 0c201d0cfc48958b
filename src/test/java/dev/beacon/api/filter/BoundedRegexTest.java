package dev.beacon.api.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.beacon.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code matches} with a backtracking engine: a pattern that would run for ages on one value is cut off. */
class BoundedRegexTest {

    private static FieldSource output(String value) {
        return path -> path.equals(List.of("Output")) ? FieldValue.of(value) : FieldValue.missing();
    }

    @Test
    @Timeout(120) // not a speed check: without the bound this match runs for minutes, and the test must fail
    void anExponentialPatternIsRefusedAsA400InsteadOfHoldingTheThread() {
        // A back-reference defeats the memoization Java's engine has for plain nested loops: unbounded, this
        // runs for minutes on 31 characters.
        FilterExpression costly = FilterExpression.parse("Output matches `^((a+)\\2?)+$`");
        String value = "a".repeat(30) + "b";

        assertThatThrownBy(() -> costly.matches(output(value)))
                .isInstanceOf(CostlyRegexException.class)
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("took more than " + BoundedText.STEPS + " steps");
    }

    @Test
    void anOrdinaryPatternOnALongValueStillMatches() {
        String value = "x".repeat(4096) + "timeout after 30s" + "y".repeat(4096);

        assertThat(FilterExpression.parse("Output matches \"timeout after [0-9]+s\"").matches(output(value)))
                .isTrue();
        assertThat(FilterExpression.parse("Output matches \"^x+t\"").matches(output(value))).isTrue();
        assertThat(FilterExpression.parse("Output not matches \"refused\"").matches(output(value))).isTrue();
    }
}
