package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void namesAndValuesArePercentDecodedWithPlusAsASpace() {
        QueryParams params = QueryParams.parse("key=a%2Fb+c&sep=%2F");

        assertThat(params.get("key")).isEqualTo("a/b c");
        assertThat(params.get("sep")).isEqualTo("/");
    }

    @Test
    void aBareNameIsAPresentFlagWithNoValue() {
        QueryParams params = QueryParams.parse("recurse&stale=&raw=false");

        assertThat(params.has("recurse")).isTrue();
        assertThat(params.get("recurse")).isNull();
        assertThat(params.flag("recurse")).isTrue();
        assertThat(params.flag("stale")).isTrue();
        assertThat(params.flag("raw")).isFalse();
        assertThat(params.flag("consistent")).isFalse();
        assertThat(params.uint64("index", 7)).isEqualTo(7);
    }

    @Test
    void aBareNameAmongRepeatedValuesIsAnEmptyValueNotANull() {
        QueryParams params = QueryParams.parse("tag&tag=a&node-meta");

        assertThat(params.all("tag")).containsExactly("", "a");
        assertThat(params.all("node-meta")).containsExactly("");
    }

    @Test
    void repeatedNamesKeepEveryValueInOrderAndEmptyPairsAreSkipped() {
        QueryParams params = QueryParams.parse("tag=a&&tag=b&tag=c&");

        assertThat(params.all("tag")).containsExactly("a", "b", "c");
        assertThat(params.get("tag")).isEqualTo("a");
    }

    @Test
    void aPairThatDoesNotDecodeIsDroppedAndTheRestKept() {
        QueryParams params = QueryParams.parse("junk=%zz&index=12");

        assertThat(params.has("junk")).isFalse();
        assertThat(params.uint64("index", 0)).isEqualTo(12);
    }

    @Test
    void aMalformedValueOfAKnownParameterIsABadRequest() {
        QueryParams params = QueryParams.parse("index=abc&recurse=maybe");

        assertThatThrownBy(() -> params.uint64("index", 0)).isInstanceOf(ApiException.class)
                .hasMessageContaining("Invalid index");
        assertThatThrownBy(() -> params.flag("recurse")).isInstanceOf(ApiException.class);
    }

    @Test
    void noQueryIsNoParameters() {
        assertThat(QueryParams.parse(null).has("x")).isFalse();
        assertThat(QueryParams.parse("").has("x")).isFalse();
    }
}
