package dev.beacon.ui;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.web.util.UriUtils;

/** Small text helpers for pages: path segments in links, and KV values shown as text when they are text. */
final class UiText {
    private UiText() {
    }

    static String segment(String name) {
        return UriUtils.encodePathSegment(name, StandardCharsets.UTF_8);
    }

    /** The value as UTF-8 text, or null if it is not valid UTF-8 (binary data the text area would corrupt). */
    static String utf8OrNull(byte[] value) {
        if (value == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String base64(byte[] value) {
        return value == null ? "" : Base64.getEncoder().encodeToString(value);
    }

    /** Browsers send a text area's line breaks as CRLF whatever was typed; store what the user saw. */
    static String fromTextArea(String text) {
        return text == null ? "" : text.replace("\r\n", "\n");
    }
}
