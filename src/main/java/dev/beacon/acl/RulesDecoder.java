package dev.beacon.acl;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Gives the tree of either format its meaning: which resources, labels and dispositions, each checked. */
final class RulesDecoder {
    private static final Set<String> ENTERPRISE_SCOPES =
            Set.of("namespace", "namespace_prefix", "partition", "partition_prefix");
    private static final String ENTERPRISE_ONLY = " are a Consul Enterprise feature and are not supported";

    private final List<ResourceRule> resources = new ArrayList<>();
    private final Map<GlobalResource, Access> globals = new EnumMap<>(GlobalResource.class);

    private RulesDecoder() {
    }

    static Rules decode(Node.Block root) {
        RulesDecoder decoder = new RulesDecoder();
        for (Node.Entry entry : root.entries()) {
            decoder.topLevel(entry);
        }
        return new Rules(decoder.resources, decoder.globals);
    }

    private void topLevel(Node.Entry entry) {
        String name = entry.name();
        for (GlobalResource global : GlobalResource.values()) {
            if (global.keyword().equals(name)) {
                global(global, entry);
                return;
            }
        }
        for (Resource resource : Resource.values()) {
            if (resource.keyword(false).equals(name) || resource.keyword(true).equals(name)) {
                labelled(resource, resource.keyword(true).equals(name), entry);
                return;
            }
        }
        if (ENTERPRISE_SCOPES.contains(name)) {
            throw RulesException.atLine(entry.line(), name + " rules" + ENTERPRISE_ONLY);
        }
        throw RulesException.atLine(entry.line(), "unknown rule " + RulesException.quote(name)
                + " (expected acl, agent, event, key, keyring, mesh, node, operator, peering, query, service or"
                + " session, or one of those with _prefix)");
    }

    private void global(GlobalResource global, Node.Entry entry) {
        String keyword = global.keyword();
        if (!(entry.value() instanceof Node.Text)) {
            throw RulesException.atLine(entry.line(),
                    keyword + " takes a quoted string, like " + keyword + " = \"read\"");
        }
        if (globals.containsKey(global)) {
            throw RulesException.atLine(entry.line(), keyword + " is given more than once");
        }
        globals.put(global, access((Node.Text) entry.value(), keyword + " policy", false));
    }

    private void labelled(Resource resource, boolean prefix, Node.Entry entry) {
        String keyword = resource.keyword(prefix);
        if (!(entry.value() instanceof Node.Block)) {
            throw RulesException.atLine(entry.line(),
                    keyword + " takes labelled blocks, like " + keyword + " \"name\" { policy = \"read\" }");
        }
        for (Node.Entry labelled : ((Node.Block) entry.value()).entries()) {
            resources.add(rule(resource, prefix, labelled));
        }
    }

    private ResourceRule rule(Resource resource, boolean prefix, Node.Entry labelled) {
        String keyword = resource.keyword(prefix);
        String what = keyword + " " + RulesException.quote(labelled.name());
        if (!(labelled.value() instanceof Node.Block)) {
            throw RulesException.atLine(labelled.line(),
                    what + " must be a block, like " + what + " { policy = \"read\" }");
        }
        Access policy = null;
        Access intentions = null;
        for (Node.Entry attribute : ((Node.Block) labelled.value()).entries()) {
            String name = attribute.name();
            if (name.equals("policy")) {
                requireOnce(policy, attribute, what);
                policy = access(text(attribute, what), keyword + " policy", resource.allowsList());
            } else if (name.equals("intentions") && resource == Resource.SERVICE) {
                requireOnce(intentions, attribute, what);
                intentions = access(text(attribute, what), keyword + " intentions", false);
            } else if (name.equals("sentinel")) {
                throw RulesException.atLine(attribute.line(), "sentinel policies" + ENTERPRISE_ONLY);
            } else {
                String expected = resource == Resource.SERVICE ? "policy or intentions" : "policy";
                throw RulesException.atLine(attribute.line(), "unknown attribute " + RulesException.quote(name) + " in "
                        + what + " (expected " + expected + ")");
            }
        }
        if (policy == null) {
            throw RulesException.atLine(labelled.line(), what + " has no policy");
        }
        return new ResourceRule(resource, labelled.name(), prefix, policy, intentions);
    }

    private static void requireOnce(Access earlier, Node.Entry attribute, String what) {
        if (earlier != null) {
            throw RulesException.atLine(attribute.line(), attribute.name() + " is given more than once in " + what);
        }
    }

    private static Node.Text text(Node.Entry attribute, String what) {
        if (!(attribute.value() instanceof Node.Text)) {
            throw RulesException.atLine(attribute.line(),
                    attribute.name() + " of " + what + " must be a quoted string");
        }
        return (Node.Text) attribute.value();
    }

    private static Access access(Node.Text value, String what, boolean listAllowed) {
        Access access = Access.named(value.value());
        if (access == null || (access == Access.LIST && !listAllowed)) {
            String expected = listAllowed ? "read, write, list or deny" : "read, write or deny";
            throw RulesException.atLine(value.line(), "invalid " + what + " " + RulesException.quote(value.value())
                    + " (" + expected + ")");
        }
        return access;
    }
}
