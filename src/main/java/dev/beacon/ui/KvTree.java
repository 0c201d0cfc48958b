package dev.beacon.ui;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.beacon.api.kv.KvKeys;
import org.springframework.web.util.UriUtils;

/**
 * The KV store seen as folders: {@code /} separates them, a key ending in {@code /} is a folder. UI addresses
 * are {@code /ui/kv/} plus the key with each segment percent-encoded, so any key name makes a working link.
 */
public final class KvTree {
    static final String SEPARATOR = "/";
    static final String ROOT = "/ui/kv/";

    private KvTree() {
    }

    /** One entry of a folder listing: a key, or a sub-folder standing for every key under it. */
    public record Item(String key, String name, boolean folder, String href) {
    }

    /** A step of the path shown above a folder or key, from the root down. */
    public record Crumb(String name, String href) {
    }

    /** The keys and sub-folders directly inside {@code folder} (which is empty or ends with the separator). */
    static List<Item> children(String folder, List<String> keys) {
        List<Item> items = new ArrayList<>();
        for (String key : KvKeys.keysOf(keys, folder, SEPARATOR)) {
            if (key.equals(folder)) {
                continue;
            }
            String name = key.substring(folder.length());
            items.add(new Item(key, name, key.endsWith(SEPARATOR), href(key)));
        }
        return items;
    }

    /** Items of another datacenter's folder page, linking within that datacenter; {@code dc} null: this one's. */
    static List<Item> inDatacenter(List<Item> items, String dc) {
        return dc == null ? items : items.stream()
                .map(i -> new Item(i.key(), i.name(), i.folder(), UiLayout.url(i.href(), "dc", dc))).toList();
    }

    /** The crumbs above a key or folder of datacenter {@code dc} (null: this one). */
    static List<Crumb> crumbsIn(String key, String dc) {
        List<Crumb> crumbs = crumbs(key);
        return dc == null ? crumbs : crumbs.stream().map(c -> new Crumb(c.name(), UiLayout.url(c.href(), "dc", dc)))
                .toList();
    }

    /** The UI address of a key or folder. */
    static String href(String key) {
        StringBuilder href = new StringBuilder(ROOT);
        int start = 0;
        while (start < key.length()) {
            int slash = key.indexOf(SEPARATOR, start);
            int end = slash < 0 ? key.length() : slash;
            href.append(UriUtils.encodePathSegment(key.substring(start, end), StandardCharsets.UTF_8));
            if (slash < 0) {
                break;
            }
            href.append(SEPARATOR);
            start = slash + 1;
        }
        return href.toString();
    }

    /** The folder that holds a key or folder: "" for the top level. */
    static String parent(String key) {
        String trimmed = key.endsWith(SEPARATOR) ? key.substring(0, key.length() - 1) : key;
        int slash = trimmed.lastIndexOf(SEPARATOR);
        return slash < 0 ? "" : trimmed.substring(0, slash + 1);
    }

    /** The folders above a key or folder, from the root; the last crumb is the key or folder itself. */
    static List<Crumb> crumbs(String key) {
        List<Crumb> crumbs = new ArrayList<>();
        crumbs.add(new Crumb("Key/Value", ROOT));
        int start = 0;
        while (start < key.length()) {
            int slash = key.indexOf(SEPARATOR, start);
            int end = slash < 0 ? key.length() : slash + 1;
            crumbs.add(new Crumb(key.substring(start, end), href(key.substring(0, end))));
            start = end;
        }
        return crumbs;
    }

    /** A key or folder from the path of a UI address (the part after /ui/kv/, still percent-encoded). */
    static String fromPath(String rawPath) {
        return UriUtils.decode(rawPath, StandardCharsets.UTF_8);
    }
}
