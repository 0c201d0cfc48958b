package dev.beacon.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * etcd v2's tree of keys over the KV table, as etcd decides writes: {@code /a/b} is the KV key {@code a/b} (a
 * file) or {@code a/b/} (a directory, with or without such a key: a key under {@code a/b/} makes it one, as Consul
 * users' folders do). A file wins where both exist (Consul writes can make both). Writes are refused with etcd's
 * errors: a file where a parent is a file, a value on a directory, a failed comparison, the root.
 */
final class EtcdTree {
    private enum Kind { FILE, DIR }

    private EtcdTree() {
    }

    static Outcome put(Command.KvPut c, Applying at) {
        KvTable kv = at.kv();
        long index = at.index();
        String path = c.inOrder() ? inOrderPath(c.path(), index) : c.path();
        if (path.isEmpty()) {
            return error(index, EtcdError.ROOT_READ_ONLY, "/");
        }
        String fileAbove = fileAncestor(kv, path);
        if (fileAbove != null) {
            return error(index, EtcdError.NOT_DIR, "/" + fileAbove);
        }
        Kind current = kind(kv, path);
        boolean compares = c.prevValue() != null || c.prevIndex() > 0;
        if (Boolean.FALSE.equals(c.prevExist()) && current != null) {
            return error(index, EtcdError.NODE_EXIST, "/" + path);
        }
        if ((Boolean.TRUE.equals(c.prevExist()) || compares || c.refresh()) && current == null) {
            return absent(kv, path, index);
        }
        String action;
        if (compares) {
            if (current == Kind.DIR) {
                return error(index, EtcdError.NOT_FILE, "/" + path);
            }
            KvEntry file = kv.get(path);
            String mismatch = mismatch(c.prevValue(), c.prevIndex(), file);
            if (mismatch != null) {
                return error(index, EtcdError.TEST_FAILED, mismatch);
            }
            action = KvEvent.COMPARE_AND_SWAP;
        } else if (Boolean.TRUE.equals(c.prevExist())) {
            action = KvEvent.UPDATE;
        } else {
            action = Boolean.FALSE.equals(c.prevExist()) || c.inOrder() ? KvEvent.CREATE : KvEvent.SET;
        }
        if (current == Kind.DIR && !(c.dir() && KvEvent.UPDATE.equals(action))) {
            // A value on a directory, or a directory set again: etcd only lets an update change a directory's TTL.
            return error(index, EtcdError.NOT_FILE, "/" + path);
        }
        long expiry = c.ttlMillis() > 0 ? at.time() + c.ttlMillis() : 0;
        Changes changes = at.changes();
        if (c.dir()) {
            if (current == Kind.FILE) {
                kv.removeKey(path, index, KvEvent.DELETE, changes);
            }
            kv.write(path + "/", null, index, expiry, action, false, changes);
        } else {
            byte[] value = c.refresh() ? kv.get(path).value() : c.value();
            kv.write(path, value == null ? new byte[0] : value, index, expiry, action, action.equals(KvEvent.SET),
                    changes);
        }
        if (c.refresh()) {
            changes.refreshOnly();
        }
        return done(index, changes);
    }

    static Outcome remove(Command.KvRemove c, Applying at) {
        KvTable kv = at.kv();
        long index = at.index();
        String path = c.path();
        if (path.isEmpty()) {
            return error(index, EtcdError.ROOT_READ_ONLY, "/");
        }
        Kind current = kind(kv, path);
        if (current == null) {
            return absent(kv, path, index);
        }
        boolean compares = c.prevValue() != null || c.prevIndex() > 0;
        Changes changes = at.changes();
        if (compares) {
            if (current == Kind.DIR) {
                return error(index, EtcdError.NOT_FILE, "/" + path);
            }
            String mismatch = mismatch(c.prevValue(), c.prevIndex(), kv.get(path));
            if (mismatch != null) {
                return error(index, EtcdError.TEST_FAILED, mismatch);
            }
            kv.removeKey(path, index, KvEvent.COMPARE_AND_DELETE, changes);
        } else if (current == Kind.FILE) {
            kv.removeKey(path, index, KvEvent.DELETE, changes);
        } else {
            if (!c.dir() && !c.recursive()) {
                return error(index, EtcdError.NOT_FILE, "/" + path);
            }
            if (!c.recursive() && kv.anyBelow(path + "/")) {
                return error(index, EtcdError.DIR_NOT_EMPTY, "/" + path);
            }
            kv.removeTree(path + "/", index, changes, KvEvent.DELETE);
        }
        return done(index, changes);
    }

    /** Deletes a key whose time to live has passed, unless it was written or refreshed since the leader saw it. */
    static Outcome expire(Command.KvExpire c, Applying at) {
        KvTable kv = at.kv();
        if (kv.expiry(c.key()) != c.expiry() || c.expiry() > at.time()) {
            return Outcome.refused(at.index());
        }
        if (c.key().endsWith("/")) {
            kv.removeTree(c.key(), at.index(), at.changes(), KvEvent.EXPIRE);
        } else {
            kv.removeKey(c.key(), at.index(), KvEvent.EXPIRE, at.changes());
        }
        return Outcome.ok(at.index());
    }

    /** etcd names an in-order key after the index that created it, zero-padded so names sort as numbers. */
    private static String inOrderPath(String directory, long index) {
        String name = String.format("%020d", index);
        return directory.isEmpty() ? name : directory + "/" + name;
    }

    private static Kind kind(KvTable kv, String path) {
        if (kv.exists(path)) {
            return Kind.FILE;
        }
        return kv.anyUnder(path + "/") ? Kind.DIR : null;
    }

    /** The nearest ancestor of {@code path} that is a file, or null. */
    private static String fileAncestor(KvTable kv, String path) {
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            String ancestor = path.substring(0, slash);
            if (kv.exists(ancestor)) {
                return ancestor;
            }
        }
        return null;
    }

    /**
     * etcd's error for a key that is not there, where its walk down the path stops: at a file on the way (Not a
     * directory), else at the first key on the way that does not exist.
     */
    private static Outcome absent(KvTable kv, String path, long index) {
        KvSubtree.Absence absence = absence(kv, path);
        return error(index, absence.throughFile() ? EtcdError.NOT_DIR : EtcdError.KEY_NOT_FOUND,
                "/" + absence.key());
    }

    /**
     * Where etcd's walk down to {@code path}, at which there is nothing, stops. A file on the way has every key
     * above it there (a key under a name makes it a directory), so the walk meets it before any missing key.
     */
    static KvSubtree.Absence absence(KvTable kv, String path) {
        String file = fileAncestor(kv, path);
        if (file != null) {
            return new KvSubtree.Absence(file, true);
        }
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            String ancestor = path.substring(0, slash);
            if (!kv.anyUnder(ancestor + "/")) {
                return new KvSubtree.Absence(ancestor, false);
            }
        }
        return new KvSubtree.Absence(path, false);
    }

    /** etcd's cause for a failed comparison, e.g. {@code [one != two] [3 != 7]}; null if both hold. */
    private static String mismatch(byte[] prevValue, long prevIndex, KvEntry file) {
        String current = file.value() == null ? "" : new String(file.value(), StandardCharsets.UTF_8);
        boolean valueFails = prevValue != null && !Arrays.equals(prevValue,
                file.value() == null ? new byte[0] : file.value());
        boolean indexFails = prevIndex > 0 && prevIndex != file.modifyIndex();
        if (!valueFails && !indexFails) {
            return null;
        }
        String valuePart = "[" + (prevValue == null ? "" : new String(prevValue,
                StandardCharsets.UTF_8)) + " != " + current + "]";
        String indexPart = "[" + prevIndex + " != " + file.modifyIndex() + "]";
        if (valueFails && indexFails) {
            return valuePart + " " + indexPart;
        }
        return valueFails ? valuePart : indexPart;
    }

    private static Outcome error(long index, int code, String cause) {
        return new EtcdError(code, cause).outcome(index);
    }

    /** Success, carrying the write's last event: the one etcd answers with (its action, node and prevNode). */
    private static Outcome done(long index, Changes changes) {
        List<KvEvent> events = changes.kvEvents();
        return new Outcome(index, true, null, List.of(events.get(events.size() - 1)), List.of());
    }
}
