package dev.beacon.state;

import java.util.Comparator;

/** An alarm raised by one server, named by its Raft member id ({@code host:port}). */
public record MemberAlarm(String member, Alarm alarm) {
    static final Comparator<MemberAlarm> ORDER = Comparator.comparing(MemberAlarm::member)
            .thenComparingInt(a -> a.alarm().code());

    public MemberAlarm {
        java.util.Objects.requireNonNull(member, "member");
        java.util.Objects.requireNonNull(alarm, "alarm");
    }
}
