package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's ServeMux path cleaning, which decides where Consul redirects a request. */
class CleanPathsTest {
    @ParameterizedTest
    @CsvSource({
            "/v1/kv//app/config, /v1/kv/app/config",
            "/v1/kv/a//b/, /v1/kv/a/b/",
            "/v1/kv/a/./b, /v1/kv/a/b",
            "/v1/kv/a/../b, /v1/kv/b",
            "/v1/kv/a/.., /v1/kv",
            "/v1/kv/a/../, /v1/kv/",
            "/v1/../../x, /x",
            "/v1//, /v1/"})
    void anUncleanPathIsRedirectedToItsCleanForm(String raw, String cleaned) {
        assertThat(CleanPaths.redirectTarget(raw)).isEqualTo(cleaned);
    }

    @ParameterizedTest
    @CsvSource({"/v1/kv/app/config", "/v1/kv/folder/", "/v1/kv/.hidden/x.", "/v1/kv/a..b", "/v1/kv/a%2F%2Fb",
            "/v1/status/leader"})
    void aCleanPathIsServedAsItIs(String raw) {
        assertThat(CleanPaths.redirectTarget(raw)).isNull();
    }
}
