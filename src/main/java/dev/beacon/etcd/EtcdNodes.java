package dev.beacon.etcd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.beacon.state.KeyOrder;
import dev.beacon.state.KvEntry;
import dev.beacon.state.KvEvent;
import dev.beacon.state.KvSubtree;

/**
 * Consul's keys as etcd v2's nodes: the key {@code a/b} is the file {@code /a/b}; {@code a/b/} (Consul's folder
 * convention) is the directory {@code /a/b}, as is any prefix that keys live under. Where Consul writes made both a
 * file and a directory of one name, the file is shown. Keys whose name starts with {@code _} are hidden from
 * listings, as etcd hides them. A directory with no folder key of its own takes the indexes of its oldest key.
 */
final class EtcdNodes {
    private EtcdNodes() {
    }

    /** The etcd key of a Consul key: a leading slash, and no trailing one. */
    static String etcdKey(String consulKey) {
        String trimmed = consulKey.endsWith("/") ? consulKey.substring(0, consulKey.length() - 1) : consulKey;
        return "/" + trimmed;
    }

    /**
     * The node at {@code path} (no leading slash; empty for the root), or null if there is none.
     *
     * @param recursive list every level below a directory, not only its children
     */
    static EtcdNode read(String path, KvSubtree tree, boolean recursive, long now) {
        if (tree.self() != null) {
            return file(tree.self(), tree.expiry(tree.self().key()), now);
        }
        if (!path.isEmpty() && tree.under().isEmpty()) {
            return null;
        }
        String dir = path.isEmpty() ? "" : path + "/";
        List<EtcdNode> children = children(dir, tree.under(), tree, recursive, now);
        if (path.isEmpty()) {
            return new EtcdNode(null, true, null, null, null, children, null, null);
        }
        return directory(dir, tree.under(), tree, now, children);
    }

    /** The node an event names, as etcd shows it in the event: a file's value, a directory, or a deleted key. */
    static EtcdNode eventNode(KvEntry entry, long expiry, long now) {
        if (entry.key().endsWith("/")) {
            return withTtl(new EtcdNode(etcdKey(entry.key()), true, null, null, null, null, entry.modifyIndex(),
                    entry.createIndex()), expiry, now);
        }
        EtcdValue value = entry.value() == null ? null : new EtcdValue(entry.value());
        return withTtl(new EtcdNode(etcdKey(entry.key()), null, value, null, null, null, entry.modifyIndex(),
                entry.createIndex()), expiry, now);
    }

    static EtcdAnswer answer(KvEvent event, long now) {
        EtcdNode node = eventNode(event.node(), event.expiry(), now);
        EtcdNode prev = event.prevNode() == null ? null : eventNode(event.prevNode(), event.prevExpiry(), now);
        return new EtcdAnswer(event.action(), node, prev);
    }

    private static EtcdNode file(KvEntry entry, long expiry, long now) {
        EtcdValue value = entry.value() == null ? EtcdValue.EMPTY : new EtcdValue(entry.value());
        return withTtl(new EtcdNode(etcdKey(entry.key()), null, value, null, null, null, entry.modifyIndex(),
                entry.createIndex()), expiry, now);
    }

    /** A directory: its own folder key's indexes and time to live if it has one, else its oldest key's indexes. */
    private static EtcdNode directory(String dir, List<KvEntry> below, KvSubtree tree, long now,
                                      List<EtcdNode> children) {
        long created = Long.MAX_VALUE;
        long modified = 0;
        for (KvEntry e : below) {
            if (e.key().equals(dir)) {
                created = e.createIndex();
                modified = e.modifyIndex();
                break;
            }
            if (e.createIndex() < created) {
                created = e.createIndex();
                modified = e.createIndex();
            }
        }
        return withTtl(new EtcdNode(etcdKey(dir), true, null, null, null, children, modified, created),
                tree.expiry(dir), now);
    }

    private static List<EtcdNode> children(String dir, List<KvEntry> below, KvSubtree tree, boolean recursive,
                                           long now) {
        Map<String, KvEntry> files = new LinkedHashMap<>();
        Map<String, List<KvEntry>> dirs = new LinkedHashMap<>();
        for (KvEntry e : below) {
            String rest = e.key().substring(dir.length());
            if (rest.isEmpty()) {
                continue;
            }
            int slash = rest.indexOf('/');
            if (slash < 0) {
                files.put(rest, e);
            } else {
                dirs.computeIfAbsent(rest.substring(0, slash), name -> new ArrayList<>()).add(e);
            }
        }
        // By UTF-8 bytes, as etcd sorts (String's own order puts characters beyond U+FFFF before U+E000..U+FFFF).
        java.util.TreeMap<String, EtcdNode> byName = new java.util.TreeMap<>(KeyOrder.CODE_POINTS);
        dirs.forEach((name, entries) -> {
            if (!name.startsWith("_") && !files.containsKey(name)) {
                String childDir = dir + name + "/";
                List<EtcdNode> grandChildren = recursive ? children(childDir, entries, tree, true, now) : null;
                byName.put(name, directory(childDir, entries, tree, now, grandChildren));
            }
        });
        files.forEach((name, e) -> {
            if (!name.startsWith("_")) {
                byName.put(name, file(e, tree.expiry(e.key()), now));
            }
        });
        return new ArrayList<>(byName.values());
    }

    private static EtcdNode withTtl(EtcdNode node, long expiry, long now) {
        if (expiry <= 0) {
            return node;
        }
        long remaining = Math.max(0, expiry - now);
        long ttl = (remaining + 999) / 1000;
        // etcd leaves out a TTL of 0 (a key due to expire at its next round), not the expiration.
        return new EtcdNode(node.key(), node.dir(), node.value(), Instant.ofEpochMilli(expiry).toString(),
                ttl == 0 ? null : ttl, node.nodes(), node.modifiedIndex(), node.createdIndex());
    }
}
