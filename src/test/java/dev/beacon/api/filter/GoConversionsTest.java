package dev.beacon.api.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoConversionsTest {

    static Stream<Arguments> integers() {
        return Stream.of(
                arguments("8080", 8080L), arguments("-12", -12L), arguments("+7", 7L), arguments("0", 0L),
                arguments("0x1F", 31L), arguments("0X1f", 31L), arguments("0o17", 15L), arguments("017", 15L),
                arguments("0b101", 5L), arguments("-0x10", -16L), arguments("1_000", 1000L),
                arguments("0x_1F", 31L), arguments("-9223372036854775808", Long.MIN_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integers")
    void readsIntegersAsGosParseIntWithBaseZero(String text, long value) {
        assertThat(GoConversions.parseInt(text)).isEqualTo(OptionalLong.of(value));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "-", "08", "0x", "1__0", "_1", "1_", "8080.0", "1e3", "abc", " 1", "+-5", "--5",
            "9223372036854775808", "\u0663", "12L"})
    void refusesWhatParseIntRefuses(String text) {
        assertThat(GoConversions.parseInt(text)).isEmpty();
    }

    static Stream<Arguments> decimals() {
        return Stream.of(
                arguments("0.5", 0.5), arguments("5e-1", 0.5), arguments("-1.5", -1.5), arguments("8080", 8080.0),
                arguments(".25", 0.25), arguments("1.", 1.0), arguments("1_000.5", 1000.5), arguments("1E3", 1000.0),
                arguments("0x1p3", 8.0), arguments("inf", Double.POSITIVE_INFINITY),
                arguments("-Infinity", Double.NEGATIVE_INFINITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decimals")
    void readsFloatsAsGosParseFloat(String text, double value) {
        assertThat(GoConversions.parseFloat(text)).isEqualTo(OptionalDouble.of(value));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "abc", "1d", "1f", "1e400", " 1", "1_", "1._5", "0x1", "Infinityx", "NaN1"})
    void refusesWhatParseFloatRefuses(String text) {
        assertThat(GoConversions.parseFloat(text)).isEmpty();
    }

    @Test
    void readsNotANumber() {
        assertThat(GoConversions.parseFloat("NaN").orElseThrow()).isNaN();
    }

    @Test
    void readsBooleansAsGosParseBool() {
        for (String yes : new String[] {"1", "t", "T", "TRUE", "true", "True"}) {
            assertThat(GoConversions.parseBool(yes)).as(yes).contains(true);
        }
        for (String no : new String[] {"0", "f", "F", "FALSE", "false", "False"}) {
            assertThat(GoConversions.parseBool(no)).as(no).contains(false);
        }
        for (String neither : new String[] {"", "yes", "TrUe", "2", "on"}) {
            assertThat(GoConversions.parseBool(neither)).as(neither).isEmpty();
        }
    }
}
