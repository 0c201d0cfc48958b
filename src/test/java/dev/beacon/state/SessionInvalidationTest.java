package dev.beacon.state;

import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * When sessions end and what that does to their locks: TTL expiry decided on entry time, linked checks, lock
 * delay, Behavior delete. The harness stamps entry N with time T0 + N seconds.
 */
class SessionInvalidationTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private static Session session(String id, long lockDelayMillis, SessionBehavior behavior, long ttlMillis,
                                   List<String> nodeChecks) {
        return new Session(id, "lock", "n1", lockDelayMillis, behavior, ttlMillis, nodeChecks, List.of(), 0, 0, 0);
    }

    private static Command.KvLock acquire(String key, String session) {
        return new Command.KvLock(key, Fixtures.bytes(session), 0, session);
    }

    /** n1 with a passing serfHealth check at index 2. */
    private void nodeWithSerfHealth() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterCheck(check("n1", "serfHealth", "", CheckStatus.PASSING)));
    }

    @Test
    void aSessionNeedsItsChecksPresentAndNotCritical() {
        nodeWithSerfHealth();
        h.applyAt(3, new Command.RegisterCheck(check("n1", "disk", "", CheckStatus.CRITICAL)));

        assertThat(h.applyAt(4, new Command.CreateSession(session("a", 0, SessionBehavior.RELEASE, 0,
                List.of("nope")))).error()).isEqualTo("Missing check 'nope' registration");
        assertThat(h.applyAt(5, new Command.CreateSession(session("b", 0, SessionBehavior.RELEASE, 0,
                List.of("serfHealth", "disk")))).error()).isEqualTo("Check 'disk' is in critical state");
        assertThat(h.applyAt(6, new Command.CreateSession(session("c", 0, SessionBehavior.RELEASE, 0,
                List.of("serfHealth")))).success()).isTrue();
        assertThat(h.store.sessions().value()).extracting(Session::id).containsExactly("c");
    }

    @Test
    void aLinkedCheckGoingCriticalReleasesTheLocksAndTheLockDelayHoldsOthersOff() {
        nodeWithSerfHealth();
        h.applyAt(3, new Command.CreateSession(session("holder", 5_000, SessionBehavior.RELEASE, 0,
                List.of("serfHealth"))));
        h.applyAt(4, new Command.CreateSession(session("waiter", 0, SessionBehavior.RELEASE, 0, List.of())));
        assertThat(h.applyAt(5, acquire("leader", "holder")).success()).isTrue();

        h.applyAt(10, new Command.RegisterCheck(check("n1", "serfHealth", "", CheckStatus.CRITICAL)));

        assertThat(h.store.session("holder")).isNull();
        assertThat(h.get("leader").session()).isNull();
        assertThat(h.get("leader").modifyIndex()).isEqualTo(10);
        assertThat(h.store.sessions().index()).isEqualTo(10);
        // Lock delay of 5 s from entry 10 (time T0+10s): refused up to T0+14s, granted from T0+15s.
        assertThat(h.applyAt(14, acquire("leader", "waiter")).success()).isFalse();
        assertThat(h.applyAt(15, acquire("leader", "waiter")).success()).isTrue();
        assertThat(h.get("leader").lockIndex()).isEqualTo(2);
    }

    @Test
    void deregisteringALinkedCheckInvalidatesTheSessionButAnUnlinkedOneDoesNot() {
        nodeWithSerfHealth();
        h.applyAt(3, new Command.RegisterCheck(check("n1", "other", "", CheckStatus.PASSING)));
        h.applyAt(4, new Command.CreateSession(session("s", 0, SessionBehavior.RELEASE, 0, List.of("serfHealth"))));

        h.applyAt(5, new Command.DeregisterCheck("n1", "other"));
        assertThat(h.store.session("s")).isNotNull();
        h.applyAt(6, new Command.RegisterCheck(check("n1", "serfHealth", "", CheckStatus.WARNING)));
        assertThat(h.store.session("s")).isNotNull();
        h.applyAt(7, new Command.DeregisterCheck("n1", "serfHealth"));
        assertThat(h.store.session("s")).isNull();
    }

    @Test
    void expiryIsDecidedByTheEntryTimeSoARenewalOrderedFirstWins() {
        nodeWithSerfHealth();
        h.applyAt(3, new Command.CreateSession(session("s", 0, SessionBehavior.RELEASE, 10_000, List.of())));
        h.applyAt(4, acquire("k", "s"));

        h.applyAt(12, new Command.ExpireSession("s"));          // 9 s after creation: too early, ignored
        assertThat(h.store.session("s")).isNotNull();
        h.applyAt(13, new Command.RenewSession("s"));           // TTL now counts from entry 13
        h.applyAt(14, new Command.ExpireSession("s"));          // a stale leader's view: ignored
        assertThat(h.store.session("s")).isNotNull();
        assertThat(h.store.session("s").renewedAt()).isEqualTo(Fixtures.Harness.timeOf(13));
        assertThat(h.store.sessions().index()).as("a renewal moves no index").isEqualTo(3);

        h.applyAt(23, new Command.ExpireSession("s"));
        assertThat(h.store.session("s")).isNull();
        assertThat(h.get("k").session()).isNull();
    }

    @Test
    void renewingAnUnknownSessionIsAnError() {
        assertThat(h.applyAt(1, new Command.RenewSession("gone")).error()).isEqualTo("Session id 'gone' not found");
    }

    @Test
    void behaviorDeleteRemovesTheHeldKeysOnInvalidation() {
        nodeWithSerfHealth();
        h.applyAt(3, new Command.CreateSession(session("s", 0, SessionBehavior.DELETE, 0, List.of("serfHealth"))));
        h.applyAt(4, acquire("service/web/leader", "s"));
        h.applyAt(5, set("untouched", "v"));

        h.applyAt(6, new Command.RegisterCheck(check("n1", "serfHealth", "", CheckStatus.CRITICAL)));

        assertThat(h.get("service/web/leader")).isNull();
        assertThat(h.keyIndex("service/web/leader")).isEqualTo(6);
        assertThat(h.get("untouched")).isNotNull();
    }

    @Test
    void lockDelaysSurviveASnapshotSoARestoredServerRefusesTheSame() throws Exception {
        nodeWithSerfHealth();
        h.applyAt(3, new Command.CreateSession(session("a", 60_000, SessionBehavior.RELEASE, 0, List.of())));
        h.applyAt(4, new Command.CreateSession(session("b", 0, SessionBehavior.RELEASE, 0, List.of())));
        h.applyAt(5, acquire("k", "a"));
        h.applyAt(6, new Command.DestroySession("a"));

        Store restored = new Store();
        restored.restoreSnapshot(new java.io.ByteArrayInputStream(h.snapshot()));

        assertThat(restored.apply(7, Fixtures.Harness.timeOf(7), acquire("k", "b")).success()).isFalse();
        assertThat(h.applyAt(7, acquire("k", "b")).success()).isFalse();
    }

    @Test
    void onlyTheLast256EventsAreKeptWithTheirIndexAsLTime() {
        for (int i = 1; i <= 300; i++) {
            h.applyAt(i, new Command.FireEvent(new Event("e" + i, "deploy", null, "", "", "", 0)));
        }

        List<Event> events = h.store.query(new Query.Events()).value();

        assertThat(events).hasSize(EventTable.CAPACITY);
        assertThat(events.get(0).id()).isEqualTo("e45");
        assertThat(events.get(255).lTime()).isEqualTo(300);
        assertThat(h.store.query(new Query.Events()).index()).isEqualTo(300);
    }
}
