package dev.beacon.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Session;
import dev.beacon.state.Store;

/**
 * The leader's session timer. It proposes the expiry of every session not renewed for {@link #TTL_MULTIPLIER}
 * times its TTL by the leader's clock; the state machine decides again from the entry's own time (there the TTL
 * itself is the bound), so a renewal ordered before the expiry keeps the session alive, whoever leads. Followers
 * do nothing, and nothing is written while sessions live.
 *
 * <p>A new leader first lets every session live as long again from its own election, as Consul's leader resets its
 * session timers when it is elected (a TTL is a lower bound, extended at creation, renewal and failover). The
 * renewal times in the store were stamped by the previous leader's clock: a new leader whose clock is ahead would
 * otherwise expire every session at once, and with them the locks they hold.
 */
public final class SessionExpiry {
    /**
     * Consul's leader ends a session only after twice its TTL without a renewal (its {@code SessionTTLMultiplier}),
     * and clients count on that grace: Patroni asks for half the TTL it means and renews once per loop, so a loop
     * slowed by a failover would otherwise lose its leader lock.
     */
    static final long TTL_MULTIPLIER = 2;
    private static final long NOT_LEADING = Long.MIN_VALUE;

    private final BooleanSupplier leading;
    private final Store store;
    private final Function<Command, CompletableFuture<Outcome>> submit;
    private final LongSupplier clock;
    private final LongSupplier monotonicMillis;
    /** Expiries submitted and not yet applied, so a slow commit is not proposed twice. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** When this server was first seen leading, by {@link #monotonicMillis}; passes run one at a time. */
    private long leadingSince = NOT_LEADING;

    /**
     * @param clock           the wall clock, as the leader stamps its entries
     * @param monotonicMillis a clock that only moves forward, for how long this server has led
     */
    public SessionExpiry(BooleanSupplier leading, Store store,
                         Function<Command, CompletableFuture<Outcome>> submit, LongSupplier clock,
                         LongSupplier monotonicMillis) {
        this.leading = leading;
        this.store = store;
        this.submit = submit;
        this.clock = clock;
        this.monotonicMillis = monotonicMillis;
    }

    /** One pass: run it often (a pass per second keeps an expiry within a second of its time). */
    public void expireLapsed() {
        if (!leading.getAsBoolean()) {
            leadingSince = NOT_LEADING;
            return;
        }
        long since = monotonicMillis.getAsLong();
        if (leadingSince == NOT_LEADING) {
            leadingSince = since;
        }
        long led = since - leadingSince;
        long now = clock.getAsLong();
        for (Session session : store.sessions().value()) {
            long lifetime = session.ttlMillis() * TTL_MULTIPLIER;
            if (lifetime > 0 && led >= lifetime && now >= session.renewedAt() + lifetime
                    && pending.add(session.id())) {
                submit.apply(new Command.ExpireSession(session.id()))
                        .whenComplete((outcome, error) -> pending.remove(session.id()));
            }
        }
    }
}
