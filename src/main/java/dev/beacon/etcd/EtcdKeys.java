package dev.beacon.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.beacon.acl.Permissions;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ReadOptions;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.EtcdError;
import dev.beacon.state.KvEntry;
import dev.beacon.state.KvEvent;
import dev.beacon.state.KvSubtree;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;

/**
 * etcd v2's {@code /v2/keys}, with an etcd member's guarantees: a read sees this server's state (with
 * {@code quorum=true}, the leader's, confirmed by a quorum), and a write is answered once this server has applied
 * it, so a client reads its own writes on the server it wrote through. Writes go through Raft as
 * {@link Command.KvPut} and {@link Command.KvRemove}, watches through {@link EtcdWatches}. With ACLs on, a request
 * acts as the token in {@code X-Consul-Token} (else the default or anonymous token) under Consul's key rules.
 */
final class EtcdKeys {
    static final int MAX_VALUE_BYTES = 512 * 1024;
    private static final int UNAUTHORIZED = 110;
    /**
     * How long a write's answer waits for this server to apply it; after that it is answered as etcd answers a write
     * its member did not apply in time, although committed it will be applied.
     */
    private static final Duration APPLY_WAIT = Duration.ofSeconds(5);
    private static final String NOT_APPLIED = "etcdserver: request timed out: the write was committed, but this "
            + "member has not applied it yet";
    private static final String PREV_VALUE_EMPTY = "\"prevValue\" cannot be empty";
    private static final String NO_VALUE_ON_SUCCESS = "noValueOnSuccess";

    private final BlockingQueries queries;
    private final Replicator replicator;
    private final EtcdWatches watches;
    private final EtcdStoreCounters counters;
    private final Function<String, Permissions> permissions;
    private final LongSupplier clock;

    EtcdKeys(BlockingQueries queries, Replicator replicator, EtcdWatches watches, EtcdStoreCounters counters,
             Function<String, Permissions> permissions, LongSupplier clock) {
        this.queries = queries;
        this.replicator = replicator;
        this.watches = watches;
        this.counters = counters;
        this.permissions = permissions;
        this.clock = clock;
    }

    /**
     * @param path the key without etcd's leading slash, cleaned ({@code a/b}; empty for the root)
     * @param token the request's ACL token, empty for none
     */
    CompletableFuture<EtcdReply> handle(String method, String path, EtcdParams params, String token) {
        refuseMalformed(method, params);
        Permissions may = permissions.apply(token);
        return switch (method) {
            case "GET", "HEAD" -> waits(params) ? watch(path, params, may) : get(path, params, may);
            case "PUT" -> put(path, params, may);
            case "POST" -> post(path, params, may);
            case "DELETE" -> delete(path, params, may);
            default -> CompletableFuture.completedFuture(
                    new EtcdReply(405, "Method Not Allowed", EtcdReply.NO_INDEX));
        };
    }

    /**
     * Whether a read is a watch: {@code wait=true}, unless {@code quorum=true}, which etcd serves as its QGET, a read
     * that has no wait.
     */
    static boolean waits(EtcdParams params) {
        return params.flag("wait", false) && !params.flag("quorum", false);
    }

    private CompletableFuture<EtcdReply> get(String path, EtcdParams params, Permissions may) {
        boolean recursive = params.flag("recursive", false);
        // Read only to refuse a malformed value: listings are always sorted.
        params.flag("sorted", false);
        ReadOptions.Consistency consistency = params.flag("quorum", false) ? ReadOptions.Consistency.CONSISTENT
                : ReadOptions.Consistency.STALE;
        return queries.read(new ReadOptions(consistency, 0, Duration.ZERO), new Query.KvSubtree(path))
                .thenApply(read -> {
                    KvSubtree tree = visible(read.value(), may);
                    EtcdNode node = EtcdNodes.read(path, tree, recursive, clock.getAsLong());
                    if (node == null) {
                        counters.get(false);
                        boolean hidden = tree != read.value() && EtcdNodes.read(path, read.value(), false, 0) != null;
                        return EtcdReply.failure(hidden ? unauthorized(path, read.index())
                                : absent(path, read.value().absence(), may, read.index()));
                    }
                    counters.get(true);
                    return new EtcdReply(200, new EtcdAnswer("get", node, null), read.index());
                }).exceptionally(error -> {
                    counters.get(false);
                    return EtcdReply.clusterFailure(error);
                });
    }

    private CompletableFuture<EtcdReply> watch(String path, EtcdParams params, Permissions may) {
        if (!may.isManagement() && !may.keyRead(path)) {
            return CompletableFuture.completedFuture(EtcdReply.failure(unauthorized(path, 0)));
        }
        counters.watchRequested();
        return watches.watch(path, params.flag("recursive", false), params.index("waitIndex"));
    }

    /** The next event of a streamed watch the first request already authorized. */
    CompletableFuture<EtcdReply> watchFrom(String path, boolean recursive, long fromIndex) {
        return watches.watch(path, recursive, fromIndex);
    }

    /**
     * Refuses a request as etcd does before it looks at the key: every parameter etcd knows, whatever the method, in
     * etcd's order, so that the first malformed one is the one named.
     */
    private static void refuseMalformed(String method, EtcdParams params) {
        params.index("prevIndex");
        params.index("waitIndex");
        for (String flag : List.of("recursive", "sorted", "wait", "dir", "quorum", "stream")) {
            params.flag(flag, false);
        }
        if (params.flag("wait", false) && !method.equals("GET")) {
            throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.INVALID_FIELD,
                    "\"wait\" can only be used with GET requests", 0));
        }
        String prevValue = params.get("prevValue");
        if (prevValue != null && prevValue.isEmpty()) {
            throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.PREV_VALUE_REQUIRED, PREV_VALUE_EMPTY, 0));
        }
        params.flag(NO_VALUE_ON_SUCCESS, false);
        long ttl = ttlMillis(params);
        params.optionalFlag("prevExist");
        if (params.flag("refresh", false)) {
            // etcd lets a refresh carry an empty value, which it ignores as it ignores any value then.
            String value = params.get("value");
            if (value != null && !value.isEmpty()) {
                throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.REFRESH_VALUE,
                        "A value was provided on a refresh", 0));
            }
            if (ttl == 0) {
                throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.REFRESH_TTL_REQUIRED, "No TTL value set",
                        0));
            }
        }
    }

    private CompletableFuture<EtcdReply> put(String path, EtcdParams params, Permissions may) {
        Boolean prevExist = params.optionalFlag("prevExist");
        // prevExist=false is etcd's create, which looks at no other condition and refreshes nothing.
        boolean create = Boolean.FALSE.equals(prevExist);
        String prevValue = create ? null : params.get("prevValue");
        boolean dir = params.flag("dir", false);
        Command.KvPut command = new Command.KvPut(path, dir ? null : bytes(params.get("value")), dir,
                ttlMillis(params), !create && params.flag("refresh", false), prevExist,
                prevValue == null ? null : bytes(prevValue), create ? 0 : params.index("prevIndex"), false);
        return write(command, dir ? path + "/" : path, may, false, params.flag(NO_VALUE_ON_SUCCESS, false));
    }

    private CompletableFuture<EtcdReply> post(String path, EtcdParams params, Permissions may) {
        boolean dir = params.flag("dir", false);
        Command.KvPut command = new Command.KvPut(path, dir ? null : bytes(params.get("value")), dir,
                ttlMillis(params), false, null, null, 0, true);
        return write(command, path.isEmpty() ? "" : path + "/", may, true, params.flag(NO_VALUE_ON_SUCCESS, false));
    }

    private CompletableFuture<EtcdReply> delete(String path, EtcdParams params, Permissions may) {
        String prevValue = params.get("prevValue");
        boolean dir = params.flag("dir", false);
        boolean recursive = params.flag("recursive", false);
        Command.KvRemove command = new Command.KvRemove(path, dir, recursive,
                prevValue == null ? null : bytes(prevValue), params.index("prevIndex"));
        return write(command, dir || recursive ? path + "/" : path, may, dir || recursive, false);
    }

    /**
     * Submits a write the token may make on {@code key} (on everything under it, for {@code tree}), and answers
     * with the event it made (only its action, for {@code actionOnly}: etcd's {@code noValueOnSuccess}) or etcd's
     * error.
     */
    private CompletableFuture<EtcdReply> write(Command command, String key, Permissions may, boolean tree,
                                               boolean actionOnly) {
        if (!may.isManagement() && !(tree ? may.keyWritePrefix(key) : may.keyWrite(key))) {
            return CompletableFuture.completedFuture(EtcdReply.failure(unauthorized(key, 0)));
        }
        return replicator.submitAndApplyHere(command, APPLY_WAIT)
                .thenApply(outcome -> answer(command, outcome, actionOnly))
                .exceptionally(error -> {
                    count(command, false);
                    return EtcdReply.clusterFailure(error);
                });
    }

    private EtcdReply answer(Command command, Outcome outcome, boolean actionOnly) {
        if (!outcome.success()) {
            EtcdError refused = EtcdError.decode(outcome.error());
            count(command, false);
            return EtcdReply.failure(refused != null ? EtcdFailure.of(refused, outcome.index())
                    : EtcdFailure.of(EtcdFailure.RAFT_INTERNAL, String.valueOf(outcome.error()), outcome.index()));
        }
        // The outcome of this server's own apply carries the event; one applied here with a restored snapshot, or not
        // yet, carries none: the history has the former.
        KvEvent event = outcome.results().isEmpty() ? watches.recorded(outcome.index())
                : (KvEvent) outcome.results().get(0);
        if (event == null) {
            count(command, false);
            return EtcdReply.failure(EtcdFailure.of(EtcdFailure.RAFT_INTERNAL, NOT_APPLIED, outcome.index()));
        }
        count(command, true);
        boolean created = event.action().equals(KvEvent.CREATE)
                || (event.action().equals(KvEvent.SET) && event.prevNode() == null);
        // etcd's noValueOnSuccess leaves out the nodes of every write but a delete.
        boolean bare = actionOnly && !event.action().equals(KvEvent.DELETE)
                && !event.action().equals(KvEvent.COMPARE_AND_DELETE);
        return new EtcdReply(created ? 201 : 200, bare ? new EtcdAnswer(event.action(), null, null)
                : EtcdNodes.answer(event, clock.getAsLong()), outcome.index());
    }

    private void count(Command command, boolean succeeded) {
        if (command instanceof Command.KvRemove remove) {
            if (remove.prevValue() != null || remove.prevIndex() > 0) {
                counters.compareAndDelete(succeeded);
            } else {
                counters.delete(succeeded);
            }
            return;
        }
        Command.KvPut put = (Command.KvPut) command;
        if (put.prevValue() != null || put.prevIndex() > 0) {
            counters.compareAndSwap(succeeded);
        } else if (Boolean.TRUE.equals(put.prevExist())) {
            counters.update(succeeded);
        } else if (Boolean.FALSE.equals(put.prevExist()) || put.inOrder()) {
            counters.create(succeeded);
        } else {
            counters.set(succeeded);
        }
    }

    /** The tree as a token may read it: keys it may not read left out. */
    private static KvSubtree visible(KvSubtree tree, Permissions may) {
        if (may.isManagement()) {
            return tree;
        }
        KvEntry self = tree.self() != null && may.keyRead(tree.self().key()) ? tree.self() : null;
        List<KvEntry> under = new ArrayList<>();
        for (KvEntry e : tree.under()) {
            if (may.keyRead(e.key())) {
                under.add(e);
            }
        }
        return self == tree.self() && under.size() == tree.under().size() ? tree
                : new KvSubtree(self, under, tree.expiries(), tree.absence());
    }

    /**
     * etcd's error for a read of a key that is not there: where its walk stopped, unless that is a key the token may
     * not read (then the key asked for is named, so that nothing is told of keys it cannot see).
     */
    private static EtcdFailure absent(String path, KvSubtree.Absence absence, Permissions may, long index) {
        if (absence == null || !(may.isManagement() || may.keyRead(absence.key()))) {
            return EtcdFailure.of(EtcdError.KEY_NOT_FOUND, "/" + path, index);
        }
        return EtcdFailure.of(absence.throughFile() ? EtcdError.NOT_DIR : EtcdError.KEY_NOT_FOUND,
                "/" + absence.key(), index);
    }

    private static EtcdFailure unauthorized(String key, long index) {
        return new EtcdFailure(UNAUTHORIZED, "The request requires user authentication",
                "Permission denied on \"" + key + "\"", index);
    }

    /**
     * {@code ttl} in seconds as milliseconds; absent or empty (etcd's way to clear one) is none. etcd's {@code ttl=0}
     * is a key that expires at once (at the next expiry round); the command's 0 means none, so it is one millisecond.
     */
    private static long ttlMillis(EtcdParams params) {
        String ttl = params.get("ttl");
        if (ttl == null || ttl.isEmpty()) {
            return 0;
        }
        try {
            long seconds = Long.parseLong(ttl);
            if (seconds < 0 || seconds > Long.MAX_VALUE / 1000) {
                throw new NumberFormatException(ttl);
            }
            return seconds == 0 ? 1 : seconds * 1000;
        } catch (NumberFormatException e) {
            throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.TTL_NAN, EtcdParams.invalid("ttl"), 0));
        }
    }

    private static byte[] bytes(String value) {
        byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_VALUE_BYTES) {
            throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.INVALID_FIELD,
                    "value is larger than " + MAX_VALUE_BYTES + " bytes", 0));
        }
        return bytes;
    }
}
