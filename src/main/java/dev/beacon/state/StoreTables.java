package dev.beacon.state;

import java.util.TreeSet;

/** The replicated data of a store, table by table; what commands read and write. */
final class StoreTables {
    private final KvTable kv = new KvTable();
    private final Catalog catalog = new Catalog();
    private final SessionTable sessions = new SessionTable();
    private final EventTable events = new EventTable();
    private final TreeSet<MemberAlarm> alarms = new TreeSet<>(MemberAlarm.ORDER);

    KvTable kv() {
        return kv;
    }

    Catalog catalog() {
        return catalog;
    }

    SessionTable sessions() {
        return sessions;
    }

    EventTable events() {
        return events;
    }

    TreeSet<MemberAlarm> alarms() {
        return alarms;
    }

    boolean hasAlarm(Alarm kind) {
        for (MemberAlarm alarm : alarms) {
            if (alarm.alarm() == kind) {
                return true;
            }
        }
        return false;
    }
}
