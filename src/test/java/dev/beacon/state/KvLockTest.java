package dev.beacon.state;

import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Consul's ?acquire / ?release on KV keys, bound to sessions. */
class KvLockTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    @BeforeEach
    void sessions() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)));
        h.applyAt(3, new Command.CreateSession(session("s2", "n1", SessionBehavior.DELETE)));
    }

    private static Command.KvLock lock(String key, String value, String session) {
        return new Command.KvLock(key, value.getBytes(StandardCharsets.UTF_8), 0, session);
    }

    private static Command.KvUnlock unlock(String key, String value, String session) {
        return new Command.KvUnlock(key, value.getBytes(StandardCharsets.UTF_8), 0, session);
    }

    @Test
    void acquiringAFreeKeySetsSessionValueAndLockIndex() {
        assertThat(h.applyAt(5, lock("leader", "a", "s1")).success()).isTrue();

        KvEntry e = h.store.kvGet("leader").value();
        assertThat(e.session()).isEqualTo("s1");
        assertThat(e.lockIndex()).isEqualTo(1);
        assertThat(e.modifyIndex()).isEqualTo(5);
        assertThat(new String(e.value(), StandardCharsets.UTF_8)).isEqualTo("a");
    }

    @Test
    void anotherSessionIsRefusedAndTheKeyIsUntouched() {
        h.applyAt(5, lock("leader", "a", "s1"));

        Outcome outcome = h.applyAt(6, lock("leader", "b", "s2"));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isNull();
        KvEntry e = h.store.kvGet("leader").value();
        assertThat(e.session()).isEqualTo("s1");
        assertThat(e.modifyIndex()).isEqualTo(5);
    }

    @Test
    void theHolderReacquiringUpdatesTheValueWithoutANewLockIndex() {
        h.applyAt(5, lock("leader", "a", "s1"));

        assertThat(h.applyAt(6, lock("leader", "a2", "s1")).success()).isTrue();

        KvEntry e = h.store.kvGet("leader").value();
        assertThat(e.lockIndex()).isEqualTo(1);
        assertThat(e.modifyIndex()).isEqualTo(6);
    }

    @Test
    void releaseByTheHolderFreesTheKeyAndTheNextHolderGetsANewLockIndex() {
        h.applyAt(5, lock("leader", "a", "s1"));

        assertThat(h.applyAt(6, unlock("leader", "done", "s1")).success()).isTrue();
        assertThat(h.store.kvGet("leader").value().session()).isNull();
        assertThat(h.applyAt(7, lock("leader", "b", "s2")).success()).isTrue();

        KvEntry e = h.store.kvGet("leader").value();
        assertThat(e.session()).isEqualTo("s2");
        assertThat(e.lockIndex()).isEqualTo(2);
    }

    @Test
    void releaseByANonHolderIsRefused() {
        h.applyAt(5, lock("leader", "a", "s1"));

        assertThat(h.applyAt(6, unlock("leader", "x", "s2")).success()).isFalse();
        assertThat(h.applyAt(7, unlock("missing", "x", "s1")).success()).isFalse();

        assertThat(h.store.kvGet("leader").value().session()).isEqualTo("s1");
    }

    @Test
    void acquireWithAnUnknownSessionIsAnErrorAndWritesNothing() {
        Outcome outcome = h.applyAt(5, lock("leader", "a", "nope"));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isEqualTo("invalid session \"nope\"");
        assertThat(h.store.kvGet("leader").value()).isNull();
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(1);
    }

    @Test
    void destroyingTheHolderReleasesOrDeletesItsKeys() {
        h.applyAt(5, lock("released", "a", "s1"));
        h.applyAt(6, lock("deleted", "b", "s2"));

        h.applyAt(7, new Command.DestroySession("s1"));
        h.applyAt(8, new Command.DestroySession("s2"));

        KvEntry released = h.store.kvGet("released").value();
        assertThat(released.session()).isNull();
        assertThat(released.modifyIndex()).isEqualTo(7);
        assertThat(h.store.kvGet("deleted").value()).isNull();
        assertThat(h.store.kvGet("deleted").index()).isEqualTo(8);
    }
}
