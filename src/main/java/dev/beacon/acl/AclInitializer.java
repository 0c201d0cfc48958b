package dev.beacon.acl;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclToken;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader does when ACLs are on, as Consul's leader does: makes sure the builtin management policy and the
 * anonymous token exist, and creates the configured initial management token (which ends bootstrapping). Every
 * server runs it on a timer; on a follower a pass does nothing. The state machine creates each only if missing, so
 * two leaders in a row cannot create two.
 */
public final class AclInitializer {
    private static final Logger log = LoggerFactory.getLogger(AclInitializer.class);

    private final BooleanSupplier leading;
    private final Store store;
    private final Function<Command, CompletableFuture<Outcome>> submit;
    private final String initialManagementSecret;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    /** @param initialManagementSecret the configured initial management token's secret, or null */
    public AclInitializer(BooleanSupplier leading, Store store, Function<Command, CompletableFuture<Outcome>> submit,
                          String initialManagementSecret) {
        this.leading = leading;
        this.store = store;
        this.submit = submit;
        this.initialManagementSecret = initialManagementSecret == null || initialManagementSecret.isBlank() ? null
                : initialManagementSecret;
    }

    /** One pass: submits what is missing, one command at a time. */
    public void ensure() {
        if (!leading.getAsBoolean() || inFlight.get()) {
            return;
        }
        Command missing = missing();
        if (missing == null || !inFlight.compareAndSet(false, true)) {
            return;
        }
        submit.apply(missing).whenComplete((outcome, error) -> {
            inFlight.set(false);
            if (error != null) {
                log.warn("Could not initialize ACLs (will retry): {}", error.toString());
            } else if (outcome.error() != null) {
                log.warn("Could not initialize ACLs: {}", outcome.error());
            }
        });
    }

    private Command missing() {
        if (initialManagementSecret != null && store.aclTokenBySecret(initialManagementSecret) == null) {
            log.info("Creating the initial management token");
            return new Command.AclBootstrap(new AclToken(UUID.randomUUID().toString(), initialManagementSecret,
                    "Initial Management Token", List.of(), List.of(), false, 0, 0, 0, 0), true);
        }
        if (store.aclPolicy(AclPolicy.GLOBAL_MANAGEMENT_ID) == null
                || store.aclTokenBySecret(AclToken.ANONYMOUS_SECRET_ID) == null) {
            return new Command.AclInitialize();
        }
        return null;
    }
}
