package dev.beacon.acl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.beacon.state.AclToken;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.Store;

/**
 * Deletes expired ACL tokens, as Consul's leader does (an expired token already resolves to nothing). Every server
 * runs it on a timer and only the leader acts; the state machine deletes a token only if it has expired by the
 * entry's own time, so a leader whose clock runs ahead cannot delete one early. One deletion is in flight at a time.
 */
public final class TokenReaper {
    private final BooleanSupplier leading;
    private final Store store;
    private final Function<Command, CompletableFuture<Outcome>> submit;
    private final LongSupplier clock;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    public TokenReaper(BooleanSupplier leading, Store store, Function<Command, CompletableFuture<Outcome>> submit,
                       LongSupplier clock) {
        this.leading = leading;
        this.store = store;
        this.submit = submit;
        this.clock = clock;
    }

    /** One pass: submits the deletion of one expired token, if any. */
    public void reap() {
        if (!leading.getAsBoolean() || !inFlight.compareAndSet(false, true)) {
            return;
        }
        long now = clock.getAsLong();
        AclToken expired = store.query(new Query.Acl()).value().tokens().stream()
                .filter(t -> t.expiredAt(now)).findFirst().orElse(null);
        if (expired == null) {
            inFlight.set(false);
            return;
        }
        submit.apply(new Command.AclExpireToken(expired.accessorId())).whenComplete((o, e) -> inFlight.set(false));
    }
}
