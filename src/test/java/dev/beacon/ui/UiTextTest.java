package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class UiTextTest {
    @Test
    void textIsShownAsTextAndBinaryIsNot() {
        assertThat(UiText.utf8OrNull("héllo\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo\n");
        assertThat(UiText.utf8OrNull(null)).isEmpty();
        assertThat(UiText.utf8OrNull(new byte[] {(byte) 0xff, 0x00})).isNull();
        assertThat(UiText.base64(new byte[] {(byte) 0xff, 0x00})).isEqualTo("/wA=");
    }

    @Test
    void aTextAreaKeepsTheLineBreaksTheUserTyped() {
        assertThat(UiText.fromTextArea("a\r\nb\r\n")).isEqualTo("a\nb\n");
        assertThat(UiText.fromTextArea(null)).isEmpty();
    }
}
