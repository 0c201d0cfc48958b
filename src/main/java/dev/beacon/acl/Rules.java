package dev.beacon.acl;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of one ACL policy, as parsed from Consul's rule language.
 *
 * @param resources the labelled rules ({@code key "a" {...}}, {@code service_prefix "" {...}}, ...) in the order
 *                  written; the same resource and label may appear more than once (they are merged when compiled)
 * @param globals   the unlabelled rules ({@code operator = "read"}, ...) that were given
 */
public record Rules(List<ResourceRule> resources, Map<GlobalResource, Access> globals) {
    /** No rules at all: every check falls through to the fallback. */
    public static final Rules EMPTY = new Rules(List.of(), Map.of());

    public Rules {
        resources = List.copyOf(resources);
        globals = Map.copyOf(globals);
    }

    /**
     * Parses rules written in HCL or, when the first non-blank character is <code>{</code>, in JSON: the two forms
     * Consul accepts in a policy's {@code Rules} field. Blank (or null) text has no rules.
     *
     * @throws RulesException if the text is malformed or names an unknown resource or disposition; the message is
     *                        one line and says where
     */
    public static Rules parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Node.Block tree = text.strip().startsWith("{") ? JsonRulesReader.read(text) : HclParser.parse(text);
        return RulesDecoder.decode(tree);
    }

    /** The disposition of an unlabelled rule, or null if the policy does not give one. */
    public Access global(GlobalResource resource) {
        return globals.get(Objects.requireNonNull(resource));
    }
}
