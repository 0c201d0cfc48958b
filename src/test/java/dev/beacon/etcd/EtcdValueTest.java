package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class EtcdValueTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** As the server writes an answer: to bytes. */
    private static String json(byte[] value) {
        return new String(JSON.writeValueAsBytes(new EtcdNode("/k", null, new EtcdValue(value), null, null, null,
                2L, 1L)), StandardCharsets.UTF_8);
    }

    @Test
    void anAsciiValueIsEscapedWhereJsonNeedsIt() {
        String written = json("say \"hi\"\\\n\t\u0001/".getBytes(StandardCharsets.US_ASCII));
        assertThat(written).isEqualTo(
                "{\"key\":\"/k\",\"value\":\"say \\\"hi\\\"\\\\\\n\\t\\u0001/\",\"modifiedIndex\":2,\"createdIndex\":1}");
        assertThat(JSON.readTree(written).get("value").asString()).isEqualTo("say \"hi\"\\\n\t\u0001/");
    }

    @Test
    void utf8TextIsWrittenAsTheSameCharacters() {
        String text = "grüße, 世界 \uD83D\uDE00";
        assertThat(JSON.readTree(json(text.getBytes(StandardCharsets.UTF_8))).get("value").asString())
                .isEqualTo(text);
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharactersWhereverTheyAre() {
        for (int at = 0; at < 20; at++) {
            byte[] value = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
            value[at] = (byte) 0xff;
            String expected = new String(value, StandardCharsets.UTF_8);
            assertThat(expected).contains("\uFFFD");
            assertThat(JSON.readTree(json(value)).get("value").asString()).as("0xff at %d", at).isEqualTo(expected);
        }
    }

    @Test
    void aStringIsWrittenAsBytesAre() {
        EtcdNode node = new EtcdNode("/k", null, new EtcdValue("a\"b".getBytes(StandardCharsets.UTF_8)), null, null,
                null, 2L, 1L);
        assertThat(JSON.writeValueAsString(node)).isEqualTo(json("a\"b".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEmptyValueIsAnEmptyString() {
        assertThat(json(new byte[0])).contains("\"value\":\"\"");
    }
}
