package dev.beacon.state;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies a transaction's operations in order, all at one index. Every operation runs even after one fails, so
 * the caller hears of every error (as Consul reports them); if any failed, its journal scope is closed without
 * committing, which undoes every table write it made, and no change is published, so a failed transaction leaves
 * no trace.
 * <p>
 * Catalog writes go through the store's own command dispatch, so a transaction has every side effect the plain
 * command has (a deleted node's sessions are destroyed, for one).
 */
final class TxnApplier {
    private final Applying at;
    private final KvTable kv;
    private final SessionTable sessions;
    private final Catalog catalog;

    /** A transaction applied at the entry {@code at} describes. */
    TxnApplier(Applying at) {
        this.at = at;
        this.kv = at.kv();
        this.sessions = at.sessions();
        this.catalog = at.catalog();
    }

    Outcome apply(List<TxnOperation> ops) {
        long index = at.index();
        Changes txnChanges = new Changes();
        List<TxnResult> results = new ArrayList<>();
        List<TxnError> errors = new ArrayList<>();
        try (Journal.Scope scope = at.tables().journal().begin()) {
            for (int i = 0; i < ops.size(); i++) {
                String error = ops.get(i) instanceof TxnOp op
                        ? applyOne(index, at.time(), op, txnChanges, results)
                        : applyCatalog(index, (CatalogTxnOp) ops.get(i), txnChanges, results);
                if (error != null) {
                    errors.add(new TxnError(i, error));
                }
            }
            if (errors.isEmpty()) {
                scope.commit();
            }
        }
        if (!errors.isEmpty()) {
            return new Outcome(index, false, null, List.of(), errors);
        }
        at.changes().addAll(txnChanges);
        return new Outcome(index, true, null, results, List.of());
    }

    /** Runs one KV operation; returns Consul's error text, or null on success. */
    private String applyOne(long index, long time, TxnOp op, Changes changes, List<TxnResult> results) {
        String key = op.key();
        // Most verbs look only at the key's indexes and session: its value is read only for a GET.
        KvEntry existing = kv.getWithoutValue(key);
        switch (op.verb()) {
            case SET -> {
                kv.set(index, new Command.KvSet(key, op.value(), op.flags(), Command.NO_CAS), changes, 0);
                results.add(kv.getWithoutValue(key));
            }
            case CAS -> {
                if (!kv.set(index, new Command.KvSet(key, op.value(), op.flags(), op.index()), changes, 0).success()) {
                    return "failed to set key \"" + key + "\", index is stale";
                }
                results.add(kv.getWithoutValue(key));
            }
            case LOCK -> {
                if (!sessions.contains(op.session())) {
                    return "invalid session \"" + op.session() + "\"";
                }
                Command.KvLock lock = new Command.KvLock(key, op.value(), op.flags(), op.session());
                if (!kv.lock(index, time, lock, changes).success()) {
                    return "failed to lock key \"" + key + "\", lock is already held";
                }
                results.add(kv.getWithoutValue(key));
            }
            case UNLOCK -> {
                Command.KvUnlock unlock = new Command.KvUnlock(key, op.value(), op.flags(), op.session());
                if (!kv.unlock(index, unlock, changes).success()) {
                    return "failed to unlock key \"" + key + "\", lock isn't held, or is held by another session";
                }
                results.add(kv.getWithoutValue(key));
            }
            case GET -> {
                if (existing == null) {
                    return "key \"" + key + "\" doesn't exist";
                }
                results.add(kv.get(key));
            }
            case GET_OR_EMPTY -> results.add(existing != null ? kv.get(key)
                    // As Consul: the entry the operation named, with no value, and no error.
                    : new KvEntry(key, null, op.flags(), 0, op.index(), 0, op.session()));
            case GET_TREE -> results.addAll(kv.list(key));
            case CHECK_INDEX -> {
                if (existing == null) {
                    return "key \"" + key + "\" doesn't exist";
                }
                if (existing.modifyIndex() != op.index()) {
                    return "current modify index " + existing.modifyIndex() + " != " + op.index();
                }
                results.add(existing);
            }
            case CHECK_SESSION -> {
                if (existing == null) {
                    return "key \"" + key + "\" doesn't exist";
                }
                if (!Text.orEmpty(op.session()).equals(Text.orEmpty(existing.session()))) {
                    return "current session \"" + Text.orEmpty(existing.session()) + "\" != \""
                            + Text.orEmpty(op.session()) + "\"";
                }
                results.add(existing);
            }
            case CHECK_NOT_EXISTS -> {
                if (existing != null) {
                    return "key \"" + key + "\" exists";
                }
            }
            case DELETE -> kv.delete(index, new Command.KvDelete(key, false, Command.NO_CAS), changes);
            case DELETE_TREE -> kv.delete(index, new Command.KvDelete(key, true, Command.NO_CAS), changes);
            case DELETE_CAS -> {
                if (existing == null || existing.modifyIndex() != op.index()) {
                    return "failed to delete key \"" + key + "\", index is stale";
                }
                kv.delete(index, new Command.KvDelete(key, false, op.index()), changes);
            }
            default -> throw new IllegalArgumentException("unknown verb " + op.verb());
        }
        return null;
    }

    /** Runs one catalog operation; returns Consul's error text, or null on success. */
    private String applyCatalog(long index, CatalogTxnOp op, Changes changes, List<TxnResult> results) {
        if (op instanceof CatalogTxnOp.OnNode n) {
            String name = n.node().name();
            String what = "node \"" + name + "\"";
            return applyCatalog(index, op, catalog.node(name), what, new Command.RegisterNode(n.node()),
                    new Command.DeregisterNode(name), () -> catalog.node(name), changes, results);
        }
        if (op instanceof CatalogTxnOp.OnService s) {
            ServiceInstance service = s.service();
            String what = "service \"" + service.id() + "\" on node \"" + service.node() + "\"";
            return applyCatalog(index, op, catalog.service(service.node(), service.id()), what,
                    new Command.RegisterService(service),
                    new Command.DeregisterService(service.node(), service.id()),
                    () -> catalog.service(service.node(), service.id()), changes, results);
        }
        HealthCheck check = ((CatalogTxnOp.OnCheck) op).check();
        String what = "check \"" + check.checkId() + "\" on node \"" + check.node() + "\"";
        return applyCatalog(index, op, catalog.check(check.node(), check.checkId()), what,
                new Command.RegisterCheck(check), new Command.DeregisterCheck(check.node(), check.checkId()),
                () -> catalog.check(check.node(), check.checkId()), changes, results);
    }

    /**
     * The verbs are the same for every catalog row: {@code existing} is the row now (or null), {@code what}
     * names it in errors, {@code set} and {@code delete} write it, and {@code current} reads it back.
     */
    private String applyCatalog(long index, CatalogTxnOp op, TxnResult existing, String what, Command set,
                                Command delete, Supplier<TxnResult> current, Changes changes,
                                List<TxnResult> results) {
        switch (op.verb()) {
            case GET -> {
                if (existing == null) {
                    return what + " doesn't exist";
                }
                results.add(existing);
                return null;
            }
            case SET -> {
                return write(index, set, current, changes, results);
            }
            case CAS -> {
                boolean indexMatches = op.index() == 0 ? existing == null
                        : existing != null && existing.modifyIndex() == op.index();
                return indexMatches ? write(index, set, current, changes, results)
                        : "failed to set " + what + ", index is stale";
            }
            case DELETE -> {
                at.recordingInto(changes).apply(delete);
                return null;
            }
            case DELETE_CAS -> {
                if (existing == null || existing.modifyIndex() != op.index()) {
                    return "failed to delete " + what + ", index is stale";
                }
                at.recordingInto(changes).apply(delete);
                return null;
            }
            default -> throw new IllegalArgumentException("unknown verb " + op.verb());
        }
    }

    private String write(long index, Command set, Supplier<TxnResult> current, Changes changes,
                         List<TxnResult> results) {
        Outcome outcome = at.recordingInto(changes).apply(set);
        if (!outcome.success()) {
            return outcome.error();
        }
        results.add(current.get());
        return null;
    }
}
