package dev.beacon.acl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged rules of one resource kind, ready for checks: exact names in a hash map, prefixes in a
 * {@link PrefixIndex}, and the answers that depend on all rules at once computed up front.
 */
final class RuleTable {
    private final Map<String, Access> exact;
    private final PrefixIndex prefixes;
    /** Sorted names of the rules, exact or prefix, that grant less than write. */
    private final String[] notWritable;
    private final Decision allRead;
    private final Decision allWrite;
    private final Decision anyRead;

    RuleTable(Map<String, Access> exact, Map<String, Access> prefix) {
        this.exact = new HashMap<>(exact);
        this.prefixes = new PrefixIndex(prefix);
        List<String> restricting = new ArrayList<>();
        collectNotWritable(exact, restricting);
        collectNotWritable(prefix, restricting);
        this.notWritable = restricting.stream().sorted().toArray(String[]::new);
        boolean catchAll = prefix.containsKey("");
        this.allRead = all(exact, prefix, Access.READ, catchAll);
        this.allWrite = all(exact, prefix, Access.WRITE, catchAll);
        this.anyRead = any(exact, prefix, Access.READ, catchAll);
    }

    /** The rule that applies to {@code name}: its exact rule, else its longest prefix rule; null if none. */
    Access lookup(String name) {
        Access rule = exact.get(name);
        return rule != null ? rule : prefixes.longestMatch(name);
    }

    /**
     * Whether everything under {@code prefix} may be written, as for a recursive delete: the longest prefix rule
     * covering it must grant write and no rule within it may grant less. Without a covering prefix rule (and
     * nothing within restricting) the fallback decides.
     */
    Decision writePrefix(String prefix) {
        Access covering = prefixes.longestMatch(prefix);
        if (covering != null && covering != Access.WRITE) {
            return Decision.DENY;
        }
        if (PrefixIndex.anyStartsWith(notWritable, prefix)) {
            return Decision.DENY;
        }
        return covering == null ? Decision.DEFAULT : Decision.ALLOW;
    }

    /** Read on every possible name: denied by any rule not granting read, allowed by a granting {@code ""} prefix. */
    Decision allRead() {
        return allRead;
    }

    /** Write on every possible name, decided like {@link #allRead()}. */
    Decision allWrite() {
        return allWrite;
    }

    /** Read on at least one name: allowed by any granting rule, denied by a {@code ""} prefix that does not grant. */
    Decision anyRead() {
        return anyRead;
    }

    private static void collectNotWritable(Map<String, Access> rules, List<String> into) {
        rules.forEach((name, access) -> {
            if (access != Access.WRITE) {
                into.add(name);
            }
        });
    }

    private static Decision all(Map<String, Access> exact, Map<String, Access> prefix, Access required,
            boolean catchAll) {
        if (!grantsAll(exact, required) || !grantsAll(prefix, required)) {
            return Decision.DENY;
        }
        return catchAll ? Decision.ALLOW : Decision.DEFAULT;
    }

    private static Decision any(Map<String, Access> exact, Map<String, Access> prefix, Access required,
            boolean catchAll) {
        if (grantsAny(exact, required) || grantsAny(prefix, required)) {
            return Decision.ALLOW;
        }
        return catchAll ? Decision.DENY : Decision.DEFAULT;
    }

    private static boolean grantsAll(Map<String, Access> rules, Access required) {
        return rules.values().stream().allMatch(access -> access.grants(required));
    }

    private static boolean grantsAny(Map<String, Access> rules, Access required) {
        return rules.values().stream().anyMatch(access -> access.grants(required));
    }
}
