package dev.beacon.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a transaction's operations in order, all at one index. Every operation runs even after one fails, so
 * the caller hears of every error (as Consul reports them); if any failed, the KV table is rolled back and no
 * change is published, so a failed transaction leaves no trace.
 */
final class TxnApplier {
    private final KvTable kv;
    private final SessionTable sessions;

    TxnApplier(KvTable kv, SessionTable sessions) {
        this.kv = kv;
        this.sessions = sessions;
    }

    Outcome apply(long index, List<TxnOp> ops, Changes changes) {
        Changes txnChanges = new Changes();
        List<KvEntry> results = new ArrayList<>();
        List<TxnError> errors = new ArrayList<>();
        kv.beginUndo();
        try {
            for (int i = 0; i < ops.size(); i++) {
                String error = applyOne(index, ops.get(i), txnChanges, results);
                if (error != null) {
                    errors.add(new TxnError(i, error));
                }
            }
        } finally {
            if (errors.isEmpty()) {
                kv.endUndo();
            } else {
                kv.rollback();
            }
        }
        if (!errors.isEmpty()) {
            return new Outcome(index, false, null, List.of(), errors);
        }
        changes.addAll(txnChanges);
        return new Outcome(index, true, null, results, List.of());
    }

    /** Runs one operation; returns Consul's error text, or null on success. */
    private String applyOne(long index, TxnOp op, Changes changes, List<KvEntry> results) {
        String key = op.key();
        KvEntry existing = kv.get(key);
        switch (op.verb()) {
            case SET -> {
                kv.set(index, new Command.KvSet(key, op.value(), op.flags(), Command.NO_CAS), changes);
                results.add(withoutValue(kv.get(key)));
            }
            case CAS -> {
                if (!kv.set(index, new Command.KvSet(key, op.value(), op.flags(), op.index()), changes).success()) {
                    return "failed to set key \"" + key + "\", index is stale";
                }
                results.add(withoutValue(kv.get(key)));
            }
            case LOCK -> {
                if (!sessions.contains(op.session())) {
                    return "invalid session \"" + op.session() + "\"";
                }
                Command.KvLock lock = new Command.KvLock(key, op.value(), op.flags(), op.session());
                if (!kv.lock(index, lock, changes).success()) {
                    return "failed to lock key \"" + key + "\", lock is already held";
                }
                results.add(withoutValue(kv.get(key)));
            }
            case UNLOCK -> {
                Command.KvUnlock unlock = new Command.KvUnlock(key, op.value(), op.flags(), op.session());
                if (!kv.unlock(index, unlock, changes).success()) {
                    return "failed to unlock key \"" + key + "\", lock isn't held, or is held by another session";
                }
                results.add(withoutValue(kv.get(key)));
            }
            case GET -> {
                if (existing == null) {
                    return "key \"" + key + "\" doesn't exist";
                }
                results.add(existing);
            }
            case GET_TREE -> results.addAll(kv.list(key));
            case CHECK_INDEX -> {
                if (existing == null) {
                    return "key \"" + key + "\" doesn't exist";
                }
                if (existing.modifyIndex() != op.index()) {
                    return "current modify index " + existing.modifyIndex() + " != " + op.index();
                }
                results.add(withoutValue(existing));
            }
            case CHECK_SESSION -> {
                if (existing == null) {
                    return "key \"" + key + "\" doesn't exist";
                }
                if (!Text.orEmpty(op.session()).equals(Text.orEmpty(existing.session()))) {
                    return "current session \"" + Text.orEmpty(existing.session()) + "\" != \""
                            + Text.orEmpty(op.session()) + "\"";
                }
                results.add(withoutValue(existing));
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

    private static KvEntry withoutValue(KvEntry e) {
        return new KvEntry(e.key(), null, e.flags(), e.createIndex(), e.modifyIndex(), e.lockIndex(), e.session());
    }
}
