package dev.beacon.acl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the longest rule prefix that a name starts with, without allocating: one binary search, then a walk up
 * the chain of shorter prefixes, which for real rule sets is a step or two.
 *
 * <p>Why the walk finds the answer: if {@code p} is the longest prefix of {@code name} among the rules, every
 * string sorted between {@code p} and {@code name} starts with {@code p}; so does the greatest rule not after
 * {@code name}, and {@code p} is on that rule's chain of ever shorter prefixes.
 */
final class PrefixIndex {
    private final String[] names;
    private final Access[] access;
    /** For each name, the index of the longest other name that is a prefix of it, or -1. */
    private final int[] parent;

    PrefixIndex(Map<String, Access> rules) {
        TreeMap<String, Access> sorted = new TreeMap<>(rules);
        int size = sorted.size();
        names = sorted.keySet().toArray(new String[0]);
        access = sorted.values().toArray(new Access[0]);
        parent = new int[size];
        // Sorted order visits a name's prefixes before the name: they form the chain on the stack.
        List<Integer> chain = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            while (!chain.isEmpty() && !names[i].startsWith(names[chain.get(chain.size() - 1)])) {
                chain.remove(chain.size() - 1);
            }
            parent[i] = chain.isEmpty() ? -1 : chain.get(chain.size() - 1);
            chain.add(i);
        }
    }

    /** The disposition of the longest prefix rule that {@code name} starts with, or null if none does. */
    Access longestMatch(String name) {
        int i = floor(names, name);
        while (i >= 0 && !name.startsWith(names[i])) {
            i = parent[i];
        }
        return i < 0 ? null : access[i];
    }

    /** The index of the greatest element of {@code sorted} not after {@code name}, or -1. */
    static int floor(String[] sorted, String name) {
        int found = Arrays.binarySearch(sorted, name);
        return found >= 0 ? found : -found - 2;
    }

    /** Whether some element of {@code sorted} starts with {@code prefix}. */
    static boolean anyStartsWith(String[] sorted, String prefix) {
        int found = Arrays.binarySearch(sorted, prefix);
        // The smallest element not before the prefix starts with it, if any element does.
        int ceiling = found >= 0 ? found : -found - 1;
        return ceiling < sorted.length && sorted[ceiling].startsWith(prefix);
    }
}
