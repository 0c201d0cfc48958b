package dev.beacon.acl;

import java.util.Objects;

/**
 * One labelled rule, such as {@code key_prefix "app/" { policy = "read" }}.
 *
 * @param resource   the kind of resource
 * @param name       the label: an exact name, or a prefix when {@code prefix} is set ({@code ""} matches all)
 * @param prefix     whether the rule is a {@code _prefix} rule
 * @param policy     the disposition
 * @param intentions for service rules, the disposition on intentions given explicitly; null when not given
 */
public record ResourceRule(Resource resource, String name, boolean prefix, Access policy, Access intentions) {
    public ResourceRule {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        if (policy == Access.LIST && !resource.allowsList()) {
            throw new IllegalArgumentException("list is valid on key rules only");
        }
        if (intentions != null && (resource != Resource.SERVICE || intentions == Access.LIST)) {
            throw new IllegalArgumentException("intentions are read, write or deny, on service rules only");
        }
    }
}
