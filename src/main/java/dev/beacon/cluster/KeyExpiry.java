package dev.beacon.cluster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;

/**
 * The leader's timer for keys with a time to live (etcd's TTL, Beacon's {@code ?ttl=} on Consul's KV). It
 * proposes the expiry of every key whose time has passed by the leader's clock; the state machine decides again
 * from the entry's own time and the key's own expiry, so a write or refresh ordered first keeps the key, whoever
 * leads. Followers do nothing.
 */
public final class KeyExpiry {
    /** Proposals per pass, so a mass expiry is spread over passes instead of flooding the log at once. */
    static final int MAX_PER_PASS = 1000;

    private final BooleanSupplier leading;
    private final Store store;
    private final Function<Command, CompletableFuture<Outcome>> submit;
    private final LongSupplier clock;
    /** Expiries submitted and not yet applied, so a slow commit is not proposed twice. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public KeyExpiry(BooleanSupplier leading, Store store, Function<Command, CompletableFuture<Outcome>> submit,
                     LongSupplier clock) {
        this.leading = leading;
        this.store = store;
        this.submit = submit;
        this.clock = clock;
    }

    /** One pass; run it a few times a second (etcd expires a key within about half a second of its time). */
    public void expireLapsed() {
        if (!leading.getAsBoolean()) {
            return;
        }
        int proposed = 0;
        for (Map.Entry<String, Long> due : store.kvExpiredAt(clock.getAsLong()).entrySet()) {
            if (proposed == MAX_PER_PASS) {
                return;
            }
            String key = due.getKey();
            if (pending.add(key)) {
                proposed++;
                submit.apply(new Command.KvExpire(key, due.getValue()))
                        .whenComplete((outcome, error) -> pending.remove(key));
            }
        }
    }
}
