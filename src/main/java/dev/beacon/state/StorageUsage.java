package dev.beacon.state;

import java.util.List;

/**
 * The estimated heap the store's data holds ({@link Footprint}), the number of KV keys, and the alarms raised:
 * every server computes the same figures for the same state. Besides them, {@code valueFileBytes}: what this
 * server's value files hold, dead values included until reclaimed (a local figure that differs between servers).
 */
public record StorageUsage(long bytes, long kvKeys, List<MemberAlarm> alarms, long valueFileBytes) {
    public StorageUsage {
        alarms = List.copyOf(alarms);
    }

    public boolean noSpace() {
        return alarms.stream().anyMatch(a -> a.alarm() == Alarm.NOSPACE);
    }
}
