package dev.beacon.acl;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the rules of all of a token's policies into one rule per resource, kind of match and name, as Consul's
 * policy merger does: where two rules meet, the stronger disposition wins (deny, then write, list, read).
 */
final class PolicyMerger {
    private final Map<Resource, Map<String, Access>> exact = new EnumMap<>(Resource.class);
    private final Map<Resource, Map<String, Access>> prefix = new EnumMap<>(Resource.class);
    /** Service intentions given explicitly; those left out are derived from the policy once merged. */
    private final Map<String, Access> exactIntentions = new HashMap<>();
    private final Map<String, Access> prefixIntentions = new HashMap<>();
    private final Map<GlobalResource, Access> globals = new EnumMap<>(GlobalResource.class);

    PolicyMerger(List<Rules> policies) {
        for (Resource resource : Resource.values()) {
            exact.put(resource, new HashMap<>());
            prefix.put(resource, new HashMap<>());
        }
        for (Rules rules : policies) {
            add(rules);
        }
    }

    private void add(Rules rules) {
        for (ResourceRule rule : rules.resources()) {
            Map<String, Access> table = (rule.prefix() ? prefix : exact).get(rule.resource());
            table.merge(rule.name(), rule.policy(), Access::stronger);
            if (rule.intentions() != null) {
                Map<String, Access> intentions = rule.prefix() ? prefixIntentions : exactIntentions;
                intentions.merge(rule.name(), rule.intentions(), Access::stronger);
            }
        }
        rules.globals().forEach((resource, access) -> globals.merge(resource, access, Access::stronger));
    }

    RuleTable table(Resource resource) {
        return new RuleTable(exact.get(resource), prefix.get(resource));
    }

    /**
     * The intentions rules: a service rule without {@code intentions} grants read on them when its policy is read
     * or write, and denies them when its policy is deny.
     */
    RuleTable intentions() {
        return new RuleTable(withIntentions(exact.get(Resource.SERVICE), exactIntentions),
                withIntentions(prefix.get(Resource.SERVICE), prefixIntentions));
    }

    /** The merged unlabelled rule, or null if no policy gave one. */
    Access global(GlobalResource resource) {
        return globals.get(resource);
    }

    private static Map<String, Access> withIntentions(Map<String, Access> services, Map<String, Access> explicit) {
        Map<String, Access> intentions = new HashMap<>();
        services.forEach((name, policy) -> intentions.put(name,
                explicit.getOrDefault(name, policy == Access.DENY ? Access.DENY : Access.READ)));
        return intentions;
    }
}
