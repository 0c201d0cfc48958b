package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The warm-up's reading of answers off a kept-alive connection: one answer at a time, whatever its header case. */
class AnswerWarmUpTest {

    @Test
    void anAnswerIsReadToTheEndOfItsBodyAndNoFurther() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
                + "{\"a\":1}HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\nrest");

        AnswerWarmUp.skipAnswer(in);
        AnswerWarmUp.skipAnswer(in);
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("rest");
    }

    @Test
    void anAnswerWithoutALengthStopsTheWarmUp() {
        assertThatThrownBy(() -> AnswerWarmUp.skipAnswer(stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")))
                .isInstanceOf(IOException.class).hasMessage("an answer without Content-Length: HTTP/1.1 200 OK");
    }

    @Test
    void aConnectionClosedInAnAnswerStopsTheWarmUp() {
        assertThatThrownBy(() -> AnswerWarmUp.skipAnswer(stream("HTTP/1.1 200 OK\r\nContent-Le")))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> AnswerWarmUp.skipAnswer(stream("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc")))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void anEndlessHeadStopsTheWarmUp() {
        assertThatThrownBy(() -> AnswerWarmUp.skipAnswer(stream("HTTP/1.1 200 OK\r\nX: " + "a".repeat(20_000))))
                .isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
