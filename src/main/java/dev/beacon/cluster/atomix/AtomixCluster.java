package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.beacon.cluster.ClusterMember;
import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.CompactionPolicy;
import dev.beacon.cluster.LogCompaction;
import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.RaftMembership;
import dev.beacon.cluster.RaftPeer;
import dev.beacon.cluster.RaftTls;
import dev.beacon.state.Store;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.Node;
import io.atomix.cluster.discovery.BootstrapDiscoveryProvider;
import io.atomix.core.Atomix;
import io.atomix.core.AtomixBuilder;
import io.atomix.primitive.Recovery;
import io.atomix.primitive.operation.OperationId;
import io.atomix.primitive.operation.PrimitiveOperation;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.service.ServiceConfig;
import io.atomix.primitive.session.SessionClient;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.ReadConsistency;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.cluster.impl.RaftMemberContext;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftCompactionConfig;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.partition.RaftPartitionGroup;
import io.atomix.protocols.raft.partition.RaftPartitionGroupConfig;
import io.atomix.storage.StorageLevel;
import io.atomix.utils.memory.MemorySize;
import io.atomix.utils.net.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's membership in the Raft cluster, on Atomix. It starts in the background (a server whose peers are
 * not up yet keeps waiting for them, it does not fail), hosts the store's state machine, and opens two client
 * sessions to it: one whose reads use the leader's lease (Consul's default mode) and one that confirms
 * leadership first (Consul's {@code consistent} mode).
 */
public final class AtomixCluster implements ClusterView, LogCompaction, RaftMembership {
    private static final Logger log = LoggerFactory.getLogger(AtomixCluster.class);
    private static final String SYSTEM_GROUP = "system";
    static final String DATA_GROUP = "data";
    private static final String NODE_NAME = "beacon.node-name";
    private static final String DATACENTER = "beacon.datacenter";
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The servers' own sessions with the state machine. Their keep-alives are applied like commands, so a snapshot
     * of a large store, which holds the state machine for seconds, expired 5 s sessions and failed the writes in
     * flight on them ("session closed"). They guard nothing of Beacon's (its sessions are in the store), so a
     * long timeout costs nothing.
     */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    /** Atomix messaging subject on which a server hands out chunks of its snapshot files. */
    private static final String SNAPSHOT_CHUNK = "beacon-snapshot-chunk";
    private static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(30);
    private static final RefusedReadRetry REFUSED_READS =
            new RefusedReadRetry(Duration.ofMillis(100), OPERATION_TIMEOUT);

    private final ClusterSettings settings;
    /** Server-to-server TLS, or null for plain TCP. */
    private final RaftTls tls;
    private final Store store;
    private final StoreType storeType;
    private final PromptCommits promptCommits;
    private final OwnOutcomes ownOutcomes = new OwnOutcomes();
    private final LeaderReads leaderReads;
    private final SnapshotFiles snapshotFiles;
    private final StoreSnapshots snapshots;
    private final CompactionPolicy compactionPolicy;
    private final KnownServers knownServers;
    private final Atomix atomix;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile SessionClient leaseSession;
    private volatile SessionClient linearizableSession;
    private volatile RaftServer raftServer;
    /** {@link #raftServer}'s context, looked up once: the term is read on every etcd answer. */
    private volatile RaftContext raftContext;
    /** The data group's; null until joined. */
    private volatile ParkedCommands parkedCommands;
    private volatile long lastLeaderSeenNanos;
    private volatile boolean stopped;

    /** @throws IllegalStateException if another process already listens on this server's Raft address */
    public AtomixCluster(ClusterSettings settings, Store store) {
        this(settings, store, null);
    }

    /** @param tls server-to-server TLS, or null for plain TCP */
    public AtomixCluster(ClusterSettings settings, Store store, RaftTls tls) {
        this.settings = settings;
        this.tls = tls;
        this.store = store;
        this.compactionPolicy = new CompactionPolicy(settings.segmentSize());
        this.snapshotFiles = new SnapshotFiles(settings.dataDir().resolve("snapshots"), settings.localMember());
        snapshotFiles.setRecordedIndex(new RecordedSnapshot(new LocalRaftContext(this::dataPartition)));
        this.leaderReads = new LeaderReads(this::dataPartition);
        this.snapshots = new StoreSnapshots(snapshotFiles);
        this.promptCommits = new PromptCommits(this::dataPartition);
        this.storeType = new StoreType(store, snapshots, leaderReads, promptCommits, ownOutcomes);
        this.knownServers = new KnownServers(settings.dataDir());
        requireRaftAddressFree();
        // No server of this data directory runs (its address is free), so its log can be put right.
        SegmentTails.clear(settings.dataDir(), settings.maxEntrySize());
        this.atomix = buildAtomix();
        serveSnapshotChunks();
    }

    /** Lets followers fetch this server's snapshot files, and this server fetch theirs. */
    private void serveSnapshotChunks() {
        atomix.getMessagingService().registerHandler(SNAPSHOT_CHUNK, (from, request) -> {
            ByteBuffer wanted = ByteBuffer.wrap(request);
            try {
                long index = wanted.getLong();
                long offset = wanted.getLong();
                SnapshotFiles.Kind kind = wanted.hasRemaining() ? SnapshotFiles.Kind.of(wanted.get())
                        : SnapshotFiles.Kind.STATE;
                return snapshotFiles.chunk(kind, index, offset);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, ForkJoinPool.commonPool());
        snapshotFiles.setChunkSource((member, kind, index, offset) -> {
            byte[] request = ByteBuffer.allocate(2 * Long.BYTES + 1).putLong(index).putLong(offset).put(kind.code())
                    .array();
            try {
                return atomix.getMessagingService()
                        .sendAndReceive(Address.from(member), SNAPSHOT_CHUNK, request, CHUNK_TIMEOUT)
                        .get(CHUNK_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching a snapshot from " + member, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("could not fetch a snapshot chunk from " + member + ": " + e, e);
            }
        });
    }

    private Atomix buildAtomix() {
        AtomixBuilder builder = Atomix.builder(new NodeRegistry(storeType));
        if (tls != null) {
            builder.withTlsEnabled().withKeyStore(tls.keyStore().toString())
                    .withKeyStorePassword(tls.keyStorePassword()).withTrustStore(tls.trustStore().toString())
                    .withTrustStorePassword(tls.trustStorePassword());
        }
        Address local = Address.from(settings.localMember());
        Set<String> servers = new TreeSet<>(settings.members());
        servers.addAll(knownServers.load());
        List<Node> bootstrap = servers.stream()
                .map(m -> Node.builder().withId(m).withAddress(Address.from(m)).build())
                .toList();
        Atomix built = builder
                .withClusterId("beacon-" + settings.datacenter())
                .withMemberId(settings.localMember())
                .withAddress(local)
                .withMessagingInterface(local.host())
                .withProperty(NODE_NAME, settings.nodeName())
                .withProperty(DATACENTER, settings.datacenter())
                .withMembershipProvider(BootstrapDiscoveryProvider.builder().withNodes(bootstrap).build())
                // Atomix keeps only the protocol's configuration and builds its own from the configuration's type.
                .withMembershipProtocol(new NullSafeMembership(new NullSafeMembership.Config()))
                .withManagementGroup(raftGroup(SYSTEM_GROUP))
                .withPartitionGroups(raftGroup(DATA_GROUP))
                .withShutdownHook(false)
                .build();
        ClientRequestRetries.install(built.getCommunicationService());
        return built;
    }

    /**
     * Log segments are memory-mapped. With {@code StorageLevel.DISK} Atomix's segment reader re-reads
     * 2 x {@code maxEntrySize} from the file (preallocated, so it is zeros past the tail) on every
     * {@code hasNext()} at the end of the log, which the leader calls several times per entry and follower.
     * At 2 MB entries that is ~4 MB copied per call, and it made a three-server write 3x slower than a
     * single server's (bench/README.md, "Atomix's log reader at the tail"). A mapped reader reads in place.
     * <p>
     * Atomix snapshots by itself when a segment fills, except "under high load" (over 100 entries a second), so
     * under steady writes it never would: {@link #compactWhenLogOutgrows} makes up for that. Atomix also snapshots
     * at every segment while "running out of memory", which it judges by the machine's free physical memory
     * without the page cache: with a busy page cache (the mapped log) that is always, and a 1.3 GB store was
     * rewritten every 100,000 writes. Its memory check is switched off (the smallest buffer it accepts; it refuses
     * 0): the heap is guarded by the storage quota. So is its "running out of disk" check by share of the disk
     * (less than 20 % of it free, true on many a busy disk), which likewise snapshotted at every segment: a million
     * keys were rewritten ten times in four minutes, each time stalling every write for up to 14 s. Its other disk
     * check stays: it still compacts at every segment when less than two segments' room is left. The log itself
     * is bounded by {@link #compactWhenLogOutgrows}.
     */
    private RaftPartitionGroup raftGroup(String name) {
        RaftPartitionGroupConfig config = new RaftPartitionGroupConfig()
                .setName(name)
                .setMembers(new HashSet<>(settings.members()))
                .setPartitions(1)
                .setPartitionSize(settings.members().size())
                .setCompactionConfig(new RaftCompactionConfig()
                        .setFreeMemoryBuffer(Double.MIN_VALUE)
                        .setFreeDiskBuffer(Double.MIN_VALUE));
        config.getStorageConfig()
                .setLevel(StorageLevel.MAPPED)
                .setDirectory(settings.dataDir().resolve(name).toAbsolutePath().toString())
                .setSegmentSize(MemorySize.from(settings.segmentSize()))
                .setMaxEntrySize(new MemorySize(settings.maxEntrySize()))
                .setFlushOnCommit(true);
        return new RaftPartitionGroup(config);
    }

    /** Starts joining in the background; {@link #whenReady()} completes once the store can be used. */
    public void start() {
        log.info("Starting Raft server {} ({}) with members {}", settings.localMember(), settings.nodeName(),
                settings.members());
        RaftServerTuning tuning = new RaftServerTuning(settings.timeouts(), settings.members().size() == 1);
        BooleanSupplier giveUp = () -> stopped || ready.isCompletedExceptionally();
        raftPartitions().forEach(partition -> {
            TruncationGuard.installWhenBuilt(partition, settings.maxEntrySize(), giveUp);
            LeaderStickiness.installWhenBuilt(partition, giveUp);
            tuning.tuneWhenRunning(partition, giveUp);
        });
        SnapshotsOnRequestOnly.installWhenBuilt(dataPartition(), giveUp);
        promptCommits.installWhenBuilt(dataPartition(), giveUp);
        IdleLogReaders.installWhenBuilt(dataPartition(), giveUp);
        atomix.start()
                .thenCompose(v -> openSession(ReadConsistency.LINEARIZABLE_LEASE))
                .thenCompose(lease -> {
                    leaseSession = lease;
                    return openSession(ReadConsistency.LINEARIZABLE);
                })
                .whenComplete((linearizable, error) -> {
                    if (error != null) {
                        log.error("Could not join the cluster", error);
                        ready.completeExceptionally(error);
                        return;
                    }
                    linearizableSession = linearizable;
                    MessagingTimers.dropCancelled(atomix.getMessagingService());
                    RaftServer server = RaftIntrospection.serverOf(dataPartition());
                    raftContext = RaftIntrospection.contextOf(server);
                    raftServer = server;
                    rememberServers(raftServer);
                    redirectToNewLeaders();
                    new ReturningFollowers(this::raftPartitions, atomix.getMembershipService()).start();
                    List<RaftPartition> partitions = raftPartitions(); // [system group, data group]
                    partitions.forEach(StaggeredPolls::start);
                    ParkedCommands.start(partitions.get(0));
                    parkedCommands = ParkedCommands.start(partitions.get(1));
                    log.info("Joined the cluster as {}", settings.localMember());
                    ready.complete(null);
                });
    }

    /** Saves the Raft configuration's servers now and whenever it changes, for {@link #buildAtomix()}. */
    private void rememberServers(RaftServer server) {
        Runnable save = () -> knownServers.save(server.cluster().getMembers().stream()
                .map(member -> member.memberId().id()).sorted().toList());
        save.run();
        server.cluster().addListener(event -> save.run());
    }

    /**
     * Atomix only logs a warning when its Raft port is taken and the server then runs on without a cluster,
     * answering HTTP as if all were well. Probing the port before Atomix exists (its thread pools would keep a
     * failed process alive) turns that into a failed start with a clear message. Only "in use" is fatal here:
     * anything else (a name that does not resolve yet) is left to Atomix.
     */
    private void requireRaftAddressFree() {
        String member = settings.localMember();
        int colon = member.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(member.substring(0, colon),
                Integer.parseInt(member.substring(colon + 1)));
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (BindException e) {
            throw new IllegalStateException("Cannot listen for Raft on " + member + ": " + e.getMessage()
                    + " (another server using beacon.ports.raft?)", e);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Could not probe the Raft address {}: {}", member, e.toString());
        }
    }

    /** Hands each leader this server's replica finds to the sessions at once ({@link LeaderRedirect}). */
    private void redirectToNewLeaders() {
        LeaderRedirect redirect = new LeaderRedirect(dataPartition(), () -> List.of(leaseSession, linearizableSession));
        raftContext.addLeaderElectionListener(leader -> {
            try {
                redirect.leaderFound(leader.memberId());
            } catch (RuntimeException e) {
                log.warn("Could not point the sessions at the new leader {}; they find it themselves", leader, e);
            }
        });
    }

    private CompletableFuture<SessionClient> openSession(ReadConsistency consistency) {
        return dataPartition().getClient()
                .sessionBuilder(StoreType.NAME, storeType, new ServiceConfig())
                .withReadConsistency(consistency)
                .withRecoveryStrategy(Recovery.RECOVER)
                .withMinTimeout(Duration.ofMillis(500))
                .withMaxTimeout(SESSION_TIMEOUT)
                .build()
                .connect();
    }

    /** This server's Raft partitions: the management group's and the data group's. */
    List<RaftPartition> raftPartitions() {
        return List.of(partitionOf(atomix.getPartitionService().getSystemPartitionGroup()), dataPartition());
    }

    private RaftPartition dataPartition() {
        return partitionOf(atomix.getPartitionService().getPartitionGroup(DATA_GROUP));
    }

    private static RaftPartition partitionOf(PartitionGroup group) {
        return (RaftPartition) group.getPartitions().iterator().next();
    }

    /**
     * Snapshots this server's store and drops the log segments the snapshot covers; a follower behind the oldest
     * kept entry is sent the snapshot. The snapshot is prepared first ({@link StoreSnapshots#prepare}), so that
     * writing its file does not hold the state machine, and stands for the store at the index Atomix takes it at.
     */
    @Override
    public CompletableFuture<Void> compactLog() {
        CompletableFuture<Void> prepared;
        try {
            prepared = snapshots.prepare(store);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (prepared == null) {
            // One is being prepared: Atomix's snapshot takes it, waiting for its file if need be.
            return dataPartition().snapshot();
        }
        return prepared.thenCompose(written -> dataPartition().snapshot())
                .whenComplete((done, failure) -> snapshots.discardIfUnused(prepared));
    }

    /**
     * Snapshots when {@link CompactionPolicy} says so, with a log segment as the least log worth a snapshot. This is
     * the data partition's only snapshot rule ({@link SnapshotsOnRequestOnly}): left to Atomix, a busy server never
     * compacted, and every segment it kept held buffers of 2 x max-entry-size on the heap.
     */
    @Override
    public void compactWhenLogOutgrows(long stateBytes) {
        if (isReady() && !snapshots.isPreparing() && compactionPolicy.due(snapshots.appliedSinceSnapshot(),
                snapshots.lastSnapshotBytes(), stateBytes)) {
            compactLog();
        }
    }

    /** How many of the data group's commands parked behind a false sequence gap were committed here as leader. */
    long parkedCommandsReleased() {
        ParkedCommands parked = parkedCommands;
        return parked == null ? 0 : parked.released();
    }

    public void stop() {
        stopped = true;
        try {
            atomix.stop().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Atomix did not stop cleanly", e);
        }
        StrandedRaftServers.stop(raftPartitions(), Duration.ofSeconds(5));
    }

    @Override
    public CompletableFuture<Void> whenReady() {
        return ready;
    }

    @Override
    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    @Override
    public ClusterSettings settings() {
        return settings;
    }

    /** The outcomes of this server's writes that it answers from its own apply. */
    OwnOutcomes ownOutcomes() {
        return ownOutcomes;
    }

    /**
     * Runs an operation on the leader, through the lease session or, with {@code linearizable}, the other. One that
     * never reached a server (a peer just restarted) is sent again, within the same overall timeout; a failure is
     * answered in Consul's terms ({@link AtomixFailures}).
     */
    CompletableFuture<byte[]> execute(OperationId operation, byte[] payload, boolean linearizable) {
        SessionClient session = linearizable ? linearizableSession : leaseSession;
        if (session == null) {
            return CompletableFuture.failedFuture(new NoLeaderException("No cluster leader"));
        }
        return REFUSED_READS.run(() -> session.execute(PrimitiveOperation.operation(operation, payload))
                        .thenApply(AtomixCluster::servedOrRefused))
                .orTimeout(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(AtomixFailures.translate(failure,
                        operation.equals(StoreOperations.APPLY), leader().isPresent())));
    }

    private static byte[] servedOrRefused(byte[] result) {
        if (result.length == 0) {
            throw new ReadRefusedException();
        }
        return result;
    }

    @Override
    public Optional<String> leader() {
        RaftServer server = raftServer;
        if (server == null) {
            return Optional.empty();
        }
        RaftMember leader = server.cluster().getLeader();
        if (leader == null) {
            return Optional.empty();
        }
        lastLeaderSeenNanos = System.nanoTime();
        return Optional.of(leader.memberId().id());
    }

    @Override
    public long lastContactMillis() {
        if (leader().isPresent()) {
            return 0;
        }
        long seen = lastLeaderSeenNanos;
        return seen == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - seen);
    }

    @Override
    public long term() {
        RaftContext context = raftContext;
        return context == null ? 0 : context.getTerm();
    }

    @Override
    public long commitIndex() {
        RaftContext context = raftContext;
        return context == null ? 0 : context.getCommitIndex();
    }

    @Override
    public boolean isLeader() {
        RaftServer server = raftServer;
        return server != null && server.isLeader();
    }

    @Override
    public boolean mayAnswerDefaultReads() {
        return raftServer != null && leaderReads.mayAnswer(true);
    }

    @Override
    public Map<String, Long> followerLastContact() {
        RaftServer server = raftServer;
        if (server == null || !server.isLeader()) {
            return Map.of();
        }
        long now = System.currentTimeMillis();
        Map<String, Long> contact = new LinkedHashMap<>();
        for (RaftMemberContext member : raftContext.getCluster().getRemoteMemberStates()) {
            if (member.getResponseTime() > 0) {
                contact.put(member.getMember().memberId().id(), Math.max(0, now - member.getResponseTime()));
            }
        }
        return contact;
    }

    /**
     * The Raft configuration as this server last learnt it: the configured members until it has joined, then what
     * the log says (servers removed or added since start included).
     */
    @Override
    public List<RaftPeer> peers() {
        Optional<String> leader = leader();
        RaftServer server = raftServer;
        List<RaftPeer> peers = new ArrayList<>();
        if (server == null) {
            for (String member : settings.members()) {
                peers.add(new RaftPeer(nodeNameOf(member), member, false, true));
            }
            return peers;
        }
        for (RaftMember member : server.cluster().getMembers()) {
            String address = member.memberId().id();
            peers.add(new RaftPeer(nodeNameOf(address), address, leader.map(address::equals).orElse(false),
                    member.getType() == RaftMember.Type.ACTIVE));
        }
        peers.sort(Comparator.comparing(RaftPeer::address));
        return peers;
    }

    /** Removes the server from both Raft groups, the data group last: its quorum is what writes wait for. */
    @Override
    public CompletableFuture<Void> removePeer(String address) {
        CompletableFuture<Void> removed = CompletableFuture.completedFuture(null);
        for (RaftPartition partition : raftPartitions()) {
            RaftServer server = RaftIntrospection.serverOf(partition);
            removed = removed.thenCompose(v -> server == null
                    ? CompletableFuture.failedFuture(new NoLeaderException("No cluster leader"))
                    : PeerRemoval.remove(server, address));
        }
        return removed.orTimeout(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        AtomixFailures.translate(failure, true, leader().isPresent())));
    }

    private List<String> voters() {
        return peers().stream().filter(RaftPeer::voter).map(RaftPeer::address).toList();
    }

    @Override
    public List<ClusterMember> members() {
        List<ClusterMember> members = new ArrayList<>();
        List<String> servers = voters();
        for (Member member : atomix.getMembershipService().getMembers()) {
            String address = member.id().id();
            members.add(new ClusterMember(nodeNameOf(address), member.address().host(), member.address().port(),
                    member.properties().getProperty(DATACENTER, settings.datacenter()),
                    member.isActive() && member.isReachable(), servers.contains(address)));
        }
        members.sort(Comparator.comparing(m -> m.host() + ":" + m.port()));
        return members;
    }

    @Override
    public Map<String, Boolean> serverLiveness() {
        Map<String, Boolean> alive = new LinkedHashMap<>();
        for (String member : voters()) {
            Member m = memberOf(member);
            alive.put(member, m != null && m.isActive() && m.isReachable());
        }
        return alive;
    }

    private String nodeNameOf(String memberId) {
        if (memberId.equals(settings.localMember())) {
            return settings.nodeName();
        }
        Member member = memberOf(memberId);
        return member == null ? memberId : member.properties().getProperty(NODE_NAME, memberId);
    }

    private Member memberOf(String memberId) {
        return atomix.getMembershipService().getMember(MemberId.from(memberId));
    }
}
