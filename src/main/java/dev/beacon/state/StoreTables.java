package dev.beacon.state;

import java.util.Collection;
import java.util.List;

/**
 * The replicated data of a store, table by table; what commands read and write. Every table writes through the
 * one {@link Journal}, so a command or transaction that does not commit leaves all of them as they were.
 */
final class StoreTables {
    private final Journal journal = new Journal();
    private final KvTable kv;
    private final Catalog catalog = new Catalog(journal);
    private final SessionTable sessions = new SessionTable(journal);
    private final EventTable events = new EventTable(journal);
    private final AclTable acl = new AclTable(journal);
    private final PreparedQueryTable preparedQueries = new PreparedQueryTable(journal);
    /** Not journaled: a part is added whole, after every check, so no command leaves it half written. */
    private final RestoreStaging staging = new RestoreStaging();
    /** The raised alarms, as keys (a journaled set). */
    private final JournaledMap<MemberAlarm, Boolean> alarms = new JournaledMap<>(journal, MemberAlarm.ORDER,
            (alarm, raised) -> 0);

    StoreTables(ValueLog values) {
        kv = new KvTable(journal, values);
    }

    /** Tables whose values stay on the heap. */
    StoreTables() {
        this(ValueLog.onHeap());
    }

    Journal journal() {
        return journal;
    }

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

    AclTable acl() {
        return acl;
    }

    PreparedQueryTable preparedQueries() {
        return preparedQueries;
    }

    RestoreStaging staging() {
        return staging;
    }

    void raise(MemberAlarm alarm) {
        alarms.put(alarm, Boolean.TRUE);
    }

    void clear(MemberAlarm alarm) {
        alarms.remove(alarm);
    }

    /** The raised alarms, by member then code. */
    Collection<MemberAlarm> alarms() {
        return alarms.view().keySet();
    }

    void restoreAlarms(List<MemberAlarm> restored) {
        alarms.clear();
        restored.forEach(this::raise);
    }

    boolean hasAlarm(Alarm kind) {
        for (MemberAlarm alarm : alarms()) {
            if (alarm.alarm() == kind) {
                return true;
            }
        }
        return false;
    }
}
