package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.beacon.state.Command;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
import dev.beacon.state.Session;
import dev.beacon.state.SessionBehavior;
import dev.beacon.state.Store;
import org.junit.jupiter.api.Test;

/** What the leader's session and tombstone timers propose, on a real store with a hand-driven clock. */
class LeaderTimersTest {
    private static final long T0 = 1_700_000_000_000L;
    private final Store store = new Store();
    private final AtomicLong clock = new AtomicLong(T0);
    /** This server's monotonic clock, in milliseconds; it led since long before the tests' sessions unless reset. */
    private final AtomicLong monotonic = new AtomicLong(0);
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final List<Command> proposed = new ArrayList<>();
    /** Proposals complete only when the test says so, like a commit that takes its time. */
    private final List<CompletableFuture<Outcome>> inFlight = new ArrayList<>();

    private CompletableFuture<Outcome> propose(Command command) {
        proposed.add(command);
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        inFlight.add(done);
        return done;
    }

    /** The leader's session timer over the test's store and clocks. */
    private SessionExpiry sessionExpiry() {
        return new SessionExpiry(leading::get, store, this::propose, clock::get, monotonic::get);
    }

    /** Node n1, at index 1, for sessions to belong to. */
    private void nodeN1() {
        store.apply(1, T0, new Command.RegisterNode(new Node("n1", "", "10.0.0.1", "dc1", java.util.Map.of(),
                java.util.Map.of(), 0, 0)));
    }

    private void session(long index, String id, long ttlMillis) {
        store.apply(index, T0, new Command.CreateSession(new Session(id, "", "n1", 0, SessionBehavior.RELEASE,
                ttlMillis, List.of(), List.of(), 0, 0, 0)));
    }

    @Test
    void aSessionIsProposedForExpiryOnceTwiceItsTtlHasLapsedAsConsulsLeaderDoes() {
        nodeN1();
        session(2, "short", 10_000);
        SessionExpiry expiry = sessionExpiry();
        expiry.expireLapsed();
        monotonic.set(20_000);

        clock.set(T0 + 10_000);
        expiry.expireLapsed();
        assertThat(proposed).as("the TTL alone has lapsed").isEmpty();

        clock.set(T0 + 19_999);
        expiry.expireLapsed();
        assertThat(proposed).isEmpty();

        clock.set(T0 + 20_000);
        expiry.expireLapsed();
        assertThat(proposed).containsExactly(new Command.ExpireSession("short"));
    }

    @Test
    void aLapsedSessionIsProposedOnceWhileItsExpiryIsInFlightAndOnlyByTheLeader() {
        nodeN1();
        session(2, "short", 10_000);
        session(3, "forever", 0);
        SessionExpiry expiry = sessionExpiry();
        expiry.expireLapsed();
        monotonic.set(20_000);

        clock.set(T0 + 20_000);
        expiry.expireLapsed();
        expiry.expireLapsed();
        assertThat(proposed).containsExactly(new Command.ExpireSession("short"));

        inFlight.get(0).complete(new Outcome(4, true, null));
        leading.set(false);
        expiry.expireLapsed();
        assertThat(proposed).hasSize(1);
        leading.set(true);
        expiry.expireLapsed();
        assertThat(proposed).as("leading again: twice the TTL first").hasSize(1);
        monotonic.addAndGet(20_000);
        expiry.expireLapsed();
        assertThat(proposed).hasSize(2);
    }

    @Test
    void aNewLeaderWhoseClockIsAheadLetsEverySessionLiveTwiceItsTtlFromTheElection() {
        nodeN1();
        session(2, "renewed", 30_000);
        session(3, "abandoned", 30_000);
        SessionExpiry expiry = sessionExpiry();
        clock.set(T0 + Duration.ofHours(1).toMillis());           // stamped by a leader an hour behind this one

        expiry.expireLapsed();                                    // elected: its TTLs start now
        monotonic.addAndGet(59_999);
        expiry.expireLapsed();
        assertThat(proposed).isEmpty();

        clock.addAndGet(40_000);
        store.apply(4, clock.get(), new Command.RenewSession("renewed"));
        clock.addAndGet(20_000);
        monotonic.addAndGet(1);
        expiry.expireLapsed();

        assertThat(proposed).containsExactly(new Command.ExpireSession("abandoned"));
    }

    @Test
    void tombstonesAreReapedOnlyOnceOlderThanTheTtlAndOnlyIfThereAreAny() {
        TombstoneReaper reaper = new TombstoneReaper(leading::get, store, this::propose, clock::get,
                Duration.ofMinutes(15));
        store.apply(1, T0, new Command.KvSet("a", null, 0, Command.NO_CAS));
        reaper.reap();                                            // mark (T0, 1): nothing deleted yet
        store.apply(2, T0, new Command.KvDelete("a", false, Command.NO_CAS));
        clock.set(T0 + Duration.ofMinutes(1).toMillis());
        reaper.reap();                                            // mark (T0+1m, 2)
        clock.set(T0 + Duration.ofMinutes(15).toMillis());
        reaper.reap();                                            // only (T0, 1) is old enough: tombstone is at 2
        assertThat(proposed).isEmpty();

        clock.set(T0 + Duration.ofMinutes(16).toMillis());
        reaper.reap();

        assertThat(proposed).containsExactly(new Command.ReapTombstones(2));
    }
}
