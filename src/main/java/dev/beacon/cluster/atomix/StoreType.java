package dev.beacon.cluster.atomix;

import dev.beacon.state.Store;
import io.atomix.primitive.PrimitiveBuilder;
import io.atomix.primitive.PrimitiveManagementService;
import io.atomix.primitive.PrimitiveType;
import io.atomix.primitive.SyncPrimitive;
import io.atomix.primitive.config.PrimitiveConfig;
import io.atomix.primitive.service.PrimitiveService;
import io.atomix.primitive.service.ServiceConfig;

/**
 * The Atomix primitive type that hosts Beacon's store. Each server registers its own instance, bound to its own
 * {@link Store}, so the state machine Atomix creates on that server applies to that server's copy (several
 * servers can then live in one JVM, as the integration tests run them). Clients talk to it through raw sessions
 * ({@link AtomixCluster}), never through Atomix's typed builders.
 */
final class StoreType implements PrimitiveType<StoreType.UnusedBuilder, StoreType.Config, SyncPrimitive> {
    static final String NAME = "beacon-store";

    private final Store store;
    private final StoreSnapshots snapshots;
    private final LeaderReads leaderReads;
    private final PromptCommits promptCommits;
    private final OwnOutcomes ownOutcomes;

    StoreType(Store store, StoreSnapshots snapshots, LeaderReads leaderReads, PromptCommits promptCommits,
              OwnOutcomes ownOutcomes) {
        this.store = store;
        this.snapshots = snapshots;
        this.leaderReads = leaderReads;
        this.promptCommits = promptCommits;
        this.ownOutcomes = ownOutcomes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PrimitiveService newService(ServiceConfig config) {
        return new StoreService(this, store, snapshots, leaderReads, promptCommits, ownOutcomes);
    }

    @Override
    public Config newConfig() {
        return new Config();
    }

    @Override
    public UnusedBuilder newBuilder(String name, Config config, PrimitiveManagementService managementService) {
        throw new UnsupportedOperationException("the Beacon store is reached through AtomixCluster sessions");
    }

    /** Atomix's type signature wants a config class; the store has no settings of its own. */
    static final class Config extends PrimitiveConfig<Config> {
        @Override
        public PrimitiveType getType() {
            return null;
        }
    }

    /** Atomix's type signature wants a builder class; see {@link #newBuilder}. */
    abstract static class UnusedBuilder extends PrimitiveBuilder<UnusedBuilder, Config, SyncPrimitive> {
        UnusedBuilder(StoreType type, String name, Config config, PrimitiveManagementService service) {
            super(type, name, config, service);
        }
    }
}
