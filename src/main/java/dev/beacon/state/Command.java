package dev.beacon.state;

import java.util.List;

/**
 * A write to the store. Commands are immutable data: they are encoded by {@link CommandCodec}, ordered by Raft and
 * applied by {@link Store#apply} on every server at the same index. Anything a command needs that is not
 * deterministic (ids, the caller's view of time) is decided before it is submitted and carried inside it.
 * <p>
 * The records below are the permitted types (declared in this file, so the list is not repeated); each one's tag,
 * encoding and effect are registered once in {@link CommandRegistry}.
 */
public sealed interface Command {

    /** {@code cas} of a write that does not compare. */
    long NO_CAS = -1;

    /** Sets a key. With {@code cas >= 0} it writes only if the key's ModifyIndex equals cas (0: key absent). */
    record KvSet(String key, byte[] value, long flags, long cas) implements Command {
    }

    /**
     * A {@link KvSet} as Consul (1.6 and later) applies it: a write that would leave the entry as it is (same value,
     * flags, session and lock index, and no time to live to clear) succeeds but writes nothing, so the key keeps
     * its ModifyIndex and no watcher wakes. Config tools re-write every key they own on a schedule; with a new
     * index each time, every watching client (Spring Cloud Consul's config watch) would reload for nothing. A type
     * of its own, so that the {@link KvSet} entries of logs written before replay as they were first applied.
     */
    record KvSetIfChanged(String key, byte[] value, long flags, long cas) implements Command {
    }

    /**
     * Beacon's {@code ?ttl=} on Consul's KV: a {@link KvSet} whose key expires {@code ttlMillis} after this entry's
     * time (as an etcd TTL does), unless written again first.
     */
    record KvSetExpiring(String key, byte[] value, long flags, long cas, long ttlMillis) implements Command {
    }

    /** Deletes a key, or every key under a prefix with {@code recurse}. {@code cas} as for {@link KvSet}. */
    record KvDelete(String key, boolean recurse, long cas) implements Command {
    }

    /**
     * etcd v2's write of one key ({@code PUT}, or {@code POST} with {@code inOrder}) in etcd's tree over the KV
     * store: {@code path} is the etcd key without its leading slash ({@code a/b} for {@code /a/b}); a directory is
     * the key with a trailing slash, a file the key itself. Refused with an {@link EtcdError} as etcd refuses it.
     *
     * @param value     the file's value; null for a directory
     * @param ttlMillis its time to live from this entry's time; 0 for none (which clears an earlier one)
     * @param refresh   only restart the time to live, keeping the value (etcd's {@code refresh=true})
     * @param prevExist null for no condition, else whether the key must exist ({@code prevExist})
     * @param prevValue the value the file must have ({@code prevValue}), or null
     * @param prevIndex the modified index the key must have ({@code prevIndex}), or 0
     * @param inOrder   create a new file in directory {@code path}, named after this entry's index
     */
    record KvPut(String path, byte[] value, boolean dir, long ttlMillis, boolean refresh, Boolean prevExist,
                 byte[] prevValue, long prevIndex, boolean inOrder) implements Command {
    }

    /** etcd v2's delete of one key, a directory ({@code dir}, with {@code recursive} if not empty). */
    record KvRemove(String path, boolean dir, boolean recursive, byte[] prevValue, long prevIndex)
            implements Command {
    }

    /**
     * Deletes a key whose time to live has run out: {@code key} as stored (a directory with its trailing slash).
     * The leader's timer submits it; the store checks that the key still has this {@code expiry} and that it has
     * passed at this entry's time, so a write or refresh ordered first wins.
     */
    record KvExpire(String key, long expiry) implements Command {
    }

    /** Registers or updates a node; its indexes are ignored. */
    record RegisterNode(Node node) implements Command {
    }

    /** Removes a node with all its services and checks. */
    record DeregisterNode(String name) implements Command {
    }

    /** Registers or updates a service instance on an existing node; its indexes are ignored. */
    record RegisterService(ServiceInstance service) implements Command {
    }

    /** Removes a service instance and the checks bound to it. */
    record DeregisterService(String node, String serviceId) implements Command {
    }

    /** Registers or updates a check on an existing node (and service, if it names one); indexes ignored. */
    record RegisterCheck(HealthCheck check) implements Command {
    }

    record DeregisterCheck(String node, String checkId) implements Command {
    }

    /** Creates a session; the id is chosen by the submitter. Indexes and renewal time are ignored. */
    record CreateSession(Session session) implements Command {
    }

    /** Destroys a session, releasing (or deleting) the keys it holds. */
    record DestroySession(String id) implements Command {
    }

    /** Restarts a session's TTL from this entry's time. */
    record RenewSession(String id) implements Command {
    }

    /**
     * Invalidates a session whose TTL has run out. The leader's timer submits it; the store checks the TTL again
     * against this entry's time, so a renewal that was ordered first wins.
     */
    record ExpireSession(String id) implements Command {
    }

    /** Records a user event; its id is chosen by the submitter, its LTime is the entry's index. */
    record FireEvent(Event event) implements Command {
    }

    /** Forgets KV tombstones at or below {@code upToIndex}, so deleted keys stop costing memory. */
    record ReapTombstones(long upToIndex) implements Command {
    }

    /** Sets a key and takes its lock for a session (Consul's {@code ?acquire}); refused if another holds it. */
    record KvLock(String key, byte[] value, long flags, String session) implements Command {
    }

    /** Sets a key and releases its lock (Consul's {@code ?release}); refused unless the session holds it. */
    record KvUnlock(String key, byte[] value, long flags, String session) implements Command {
    }

    /**
     * Consul's {@code /v1/catalog/register}: a node, optionally one service instance on it, and checks, all at one
     * index or none (a check must name the node, and a service that exists or is registered here).
     */
    record CatalogRegister(Node node, ServiceInstance service, List<HealthCheck> checks) implements Command {
        public CatalogRegister {
            checks = List.copyOf(checks);
        }
    }

    /** Consul's {@code /v1/txn}: KV and catalog operations applied all at one index, or none of them. */
    record Txn(List<TxnOperation> ops) implements Command {
        public Txn {
            ops = List.copyOf(ops);
        }
    }

    /**
     * Raises ({@code active}) or clears an alarm on behalf of one server. While any server's
     * {@link Alarm#NOSPACE} is raised, every server refuses the writes that add data.
     */
    record SetAlarm(String member, Alarm alarm, boolean active) implements Command {
        public SetAlarm {
            java.util.Objects.requireNonNull(member, "member");
            java.util.Objects.requireNonNull(alarm, "alarm");
        }
    }
    /**
     * Replaces the whole state with a snapshot's, as Consul's snapshot restore does. The snapshot's own indexes are
     * kept, so it must have been taken at a lower index than the entry that restores it ({@link AdvanceIndex}
     * moves the index on first where needed). The store applies it itself: it replaces every table at once.
     */
    record RestoreState(byte[] snapshot) implements Command {
        public RestoreState {
            java.util.Objects.requireNonNull(snapshot, "snapshot");
        }
    }

    /**
     * One part of a snapshot too large for one entry, in order from {@code part} 0; a part 0 of another restore
     * replaces an unfinished one. See {@link RestoreCommit}.
     */
    record RestoreStage(String restoreId, int part, byte[] bytes) implements Command {
        public RestoreStage {
            java.util.Objects.requireNonNull(restoreId, "restoreId");
            java.util.Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * Restores the snapshot whose {@code parts} parts ({@code length} bytes in all) {@link RestoreStage} staged,
     * as {@link RestoreState} would; refused if the staging holds another restore or another size.
     */
    record RestoreCommit(String restoreId, int parts, long length) implements Command {
        public RestoreCommit {
            java.util.Objects.requireNonNull(restoreId, "restoreId");
        }
    }

    /** Changes nothing: an entry that moves the Raft index on, past a snapshot's, before that snapshot is restored. */
    record AdvanceIndex() implements Command {
    }

    /**
     * Consul's ACL bootstrap: creates a management token (and the builtin policy it links to, if missing), once.
     * With {@code initialManagement} it is the configured initial management token: created if no token has its
     * secret yet, and never refused, but it also ends bootstrapping.
     */
    record AclBootstrap(AclToken token, boolean initialManagement) implements Command {
        public AclBootstrap {
            java.util.Objects.requireNonNull(token, "token");
        }
    }

    /** Creates what every cluster with ACLs has, if missing: the builtin management policy and the anonymous token. */
    record AclInitialize() implements Command {
    }

    /** Creates or updates a policy by id; its name must be unused by another policy. Indexes are ignored. */
    record AclSetPolicy(AclPolicy policy) implements Command {
        public AclSetPolicy {
            java.util.Objects.requireNonNull(policy, "policy");
        }
    }

    record AclDeletePolicy(String id) implements Command {
    }

    /**
     * Creates or updates a token by accessor id. A new token's create time is the entry's time, and a positive
     * {@code expirationTtlMillis} sets its expiration from it. Times and indexes in {@code token} are ignored.
     */
    record AclSetToken(AclToken token, long expirationTtlMillis) implements Command {
        public AclSetToken {
            java.util.Objects.requireNonNull(token, "token");
        }
    }

    record AclDeleteToken(String accessorId) implements Command {
    }

    /**
     * Deletes a token whose expiration time has passed. The leader's timer submits it; the store checks the
     * expiration again against this entry's time, so a leader with a fast clock cannot delete a live token.
     */
    record AclExpireToken(String accessorId) implements Command {
    }

    /** Creates or updates a role by id; its name must be unused by another role. Indexes are ignored. */
    record AclSetRole(AclRole role) implements Command {
        public AclSetRole {
            java.util.Objects.requireNonNull(role, "role");
        }
    }

    record AclDeleteRole(String id) implements Command {
    }

    /**
     * Creates ({@code create}) or replaces a prepared query by id. Its name may not be another query's; a
     * session it names must exist. Indexes are ignored.
     */
    record PreparedQuerySet(PreparedQuery query, boolean create) implements Command {
        public PreparedQuerySet {
            java.util.Objects.requireNonNull(query, "query");
        }
    }

    record PreparedQueryDelete(String id) implements Command {
    }
}
