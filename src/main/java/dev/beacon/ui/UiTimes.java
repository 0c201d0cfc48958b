package dev.beacon.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

/** Times on pages, as {@code ${@uiTimes...}} in templates: UTC, to the second, the same on every server. */
@Component("uiTimes")
public class UiTimes {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** A time the state machine recorded (milliseconds since the epoch), or "" where none was recorded (0). */
    public String at(long epochMillis) {
        return epochMillis == 0 ? "" : FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
}
