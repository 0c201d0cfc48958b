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
 * The leader's session timer. It proposes the expiry of every session whose TTL has run out by the leader's
 * clock; the state machine decides again from the entry's own time, so a renewal ordered before the expiry
 * keeps the session alive, whoever leads. Followers do nothing, and nothing is written while sessions live.
 */
public final class SessionExpiry {
    private final BooleanSupplier leading;
    private final Store store;
    private final Function<Command, CompletableFuture<Outcome>> submit;
    private final LongSupplier clock;
    /** Expiries submitted and not yet applied, so a slow commit is not proposed twice. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public SessionExpiry(BooleanSupplier leading, Store store,
                         Function<Command, CompletableFuture<Outcome>> submit, LongSupplier clock) {
        this.leading = leading;
        this.store = store;
        this.submit = submit;
        this.clock = clock;
    }

    /** One pass: run it often (Consul lets a session live up to twice its TTL; a pass per second is well inside). */
    public void expireLapsed() {
        if (!leading.getAsBoolean()) {
            return;
        }
        long now = clock.getAsLong();
        for (Session session : store.sessions().value()) {
            if (session.ttlMillis() > 0 && now >= session.renewedAt() + session.ttlMillis()
                    && pending.add(session.id())) {
                submit.apply(new Command.ExpireSession(session.id()))
                        .whenComplete((outcome, error) -> pending.remove(session.id()));
            }
        }
    }
}
