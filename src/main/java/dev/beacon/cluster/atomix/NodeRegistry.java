package dev.beacon.cluster.atomix;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.atomix.cluster.discovery.BootstrapDiscoveryProvider;
import io.atomix.cluster.discovery.DnsDiscoveryProvider;
import io.atomix.cluster.discovery.MulticastDiscoveryProvider;
import io.atomix.cluster.discovery.NodeDiscoveryProvider;
import io.atomix.cluster.protocol.GroupMembershipProtocol;
import io.atomix.cluster.protocol.HeartbeatMembershipProtocol;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.core.AtomixRegistry;
import io.atomix.core.barrier.DistributedCyclicBarrierType;
import io.atomix.core.collection.DistributedCollectionType;
import io.atomix.core.counter.AtomicCounterType;
import io.atomix.core.counter.DistributedCounterType;
import io.atomix.core.election.LeaderElectionType;
import io.atomix.core.election.LeaderElectorType;
import io.atomix.core.idgenerator.AtomicIdGeneratorType;
import io.atomix.core.list.DistributedListType;
import io.atomix.core.lock.AtomicLockType;
import io.atomix.core.lock.DistributedLockType;
import io.atomix.core.log.DistributedLogType;
import io.atomix.core.map.AtomicCounterMapType;
import io.atomix.core.map.AtomicMapType;
import io.atomix.core.map.AtomicNavigableMapType;
import io.atomix.core.map.AtomicSortedMapType;
import io.atomix.core.map.DistributedMapType;
import io.atomix.core.map.DistributedNavigableMapType;
import io.atomix.core.map.DistributedSortedMapType;
import io.atomix.core.multimap.AtomicMultimapType;
import io.atomix.core.multimap.DistributedMultimapType;
import io.atomix.core.multiset.DistributedMultisetType;
import io.atomix.core.profile.ClientProfile;
import io.atomix.core.profile.ConsensusProfile;
import io.atomix.core.profile.DataGridProfile;
import io.atomix.core.profile.Profile;
import io.atomix.core.queue.DistributedQueueType;
import io.atomix.core.semaphore.AtomicSemaphoreType;
import io.atomix.core.semaphore.DistributedSemaphoreType;
import io.atomix.core.set.DistributedNavigableSetType;
import io.atomix.core.set.DistributedSetType;
import io.atomix.core.set.DistributedSortedSetType;
import io.atomix.core.transaction.TransactionType;
import io.atomix.core.tree.AtomicDocumentTreeType;
import io.atomix.core.value.AtomicValueType;
import io.atomix.core.value.DistributedValueType;
import io.atomix.core.workqueue.WorkQueueType;
import io.atomix.primitive.PrimitiveType;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.partition.impl.PrimaryElectorType;
import io.atomix.primitive.protocol.PrimitiveProtocol;
import io.atomix.primitive.session.impl.SessionIdGeneratorType;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.protocols.raft.partition.RaftPartitionGroup;
import io.atomix.utils.NamedType;

/**
 * The types Atomix looks up by kind and name: the ones its own classpath scan finds in the Atomix jars this server
 * ships (a test keeps the two lists equal), plus this server's {@link StoreType} instance, so that the state
 * machine is bound to this server's replica.
 * <p>
 * Listed rather than scanned: the scan read every class file of the Atomix jars and took about 0.3 s of a server's
 * start on the main thread, a tenth of a dev server's. The lists are those of the scan, not only what Beacon uses,
 * because servers exchange their partition groups' configuration in a serializer built from the registered group
 * types: a server with fewer types would not understand one with the full set (a rolling upgrade).
 */
final class NodeRegistry implements AtomixRegistry {
    private final Map<Class<?>, Map<String, NamedType>> types;

    NodeRegistry(StoreType storeType) {
        this.types = Map.of(
                PrimitiveType.class, byName(atomixPrimitives(), storeType),
                PartitionGroup.Type.class, byName(List.of(new RaftPartitionGroup.Type())),
                PrimitiveProtocol.Type.class, byName(List.of(new MultiRaftProtocol.Type())),
                Profile.Type.class, byName(List.of(new ConsensusProfile.Type(), new ClientProfile.Type(),
                        new DataGridProfile.Type())),
                NodeDiscoveryProvider.Type.class, byName(List.of(new BootstrapDiscoveryProvider.Type(),
                        new DnsDiscoveryProvider.Type(), new MulticastDiscoveryProvider.Type())),
                GroupMembershipProtocol.Type.class, byName(List.of(new HeartbeatMembershipProtocol.Type(),
                        new SwimMembershipProtocol.Type())));
    }

    /** The primitive types in the Atomix jars; Beacon itself opens only atomic maps and its store. */
    static List<PrimitiveType> atomixPrimitives() {
        return List.of(new AtomicCounterMapType(), new AtomicCounterType(), new AtomicDocumentTreeType(),
                new AtomicIdGeneratorType(), new AtomicLockType(), new AtomicMapType(), new AtomicMultimapType(),
                new AtomicNavigableMapType(), new AtomicSemaphoreType(), new AtomicSortedMapType(),
                new AtomicValueType(), new DistributedCollectionType(), new DistributedCounterType(),
                new DistributedCyclicBarrierType(), new DistributedListType(), new DistributedLockType(),
                new DistributedLogType(), new DistributedMapType(), new DistributedMultimapType(),
                new DistributedMultisetType(), new DistributedNavigableMapType(), new DistributedNavigableSetType(),
                new DistributedQueueType(), new DistributedSemaphoreType(), new DistributedSetType(),
                new DistributedSortedMapType(), new DistributedSortedSetType(), new DistributedValueType(),
                new LeaderElectionType(), new LeaderElectorType(), new PrimaryElectorType(),
                new SessionIdGeneratorType(), new TransactionType(), new WorkQueueType());
    }

    private static Map<String, NamedType> byName(List<? extends NamedType> list, NamedType... more) {
        return Stream.concat(list.stream(), Arrays.stream(more))
                .collect(Collectors.toUnmodifiableMap(NamedType::name, Function.identity()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends NamedType> Collection<T> getTypes(Class<T> type) {
        return (Collection<T>) types.getOrDefault(type, Map.of()).values();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends NamedType> T getType(Class<T> type, String name) {
        return (T) types.getOrDefault(type, Map.of()).get(name);
    }
}
