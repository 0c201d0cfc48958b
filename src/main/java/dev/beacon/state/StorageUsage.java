package dev.beacon.state;

import java.util.List;

/**
 * The estimated heap the store's data holds ({@link Footprint}), the number of KV keys, and the alarms raised.
 * Every server computes the same figures for the same state.
 */
public record StorageUsage(long bytes, long kvKeys, List<MemberAlarm> alarms) {
    public StorageUsage {
        alarms = List.copyOf(alarms);
    }

    public boolean noSpace() {
        return alarms.stream().anyMatch(a -> a.alarm() == Alarm.NOSPACE);
    }
}
