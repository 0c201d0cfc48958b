package dev.beacon.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.beacon.acl.Permissions;

/**
 * Who sent a request, as the authorize stage resolved its token: the token's accessor id (never its secret) and
 * what it may do. Handlers ask it before they act and filter what they answer with it.
 *
 * @param accessorId the token's accessor id; empty for the anonymous token
 * @param permissions what the token may do
 */
public record Caller(String accessorId, Permissions permissions) {
    /** Every request while ACLs are off: it may do everything, ACL management included, as in Consul. */
    public static final Caller ANYONE = new Caller("", Permissions.MANAGEMENT);

    /**
     * Refuses the request with Consul's message unless {@code allowed}.
     *
     * @param permission the permission that was needed, as Consul names it, e.g. {@code key:write}
     * @param on         what it was needed on (a key, a service name), or null for one that names nothing
     * @throws ApiException 403 {@code Permission denied: ...}
     */
    public void require(boolean allowed, String permission, String on) {
        if (!allowed) {
            throw denied(permission, on);
        }
    }

    /** What a listing keeps of {@code items}: those the caller may see, and whether any were left out. */
    public <T> Filtered<T> filter(List<T> items, Predicate<? super T> mayRead) {
        if (permissions.isManagement()) {
            return new Filtered<>(items, false);
        }
        List<T> kept = new ArrayList<>(items.size());
        for (T item : items) {
            if (mayRead.test(item)) {
                kept.add(item);
            }
        }
        return new Filtered<>(kept, kept.size() < items.size());
    }

    /** A listing after ACL filtering; {@code dropped} becomes {@code X-Consul-Results-Filtered-By-ACLs}. */
    public record Filtered<T>(List<T> items, boolean dropped) {
    }

    public ApiException denied(String permission, String on) {
        String who = accessorId.isEmpty() ? "anonymous token" : "token with AccessorID '" + accessorId + "'";
        String what = on == null ? "" : " on \"" + on + "\"";
        String anonymousHint = accessorId.isEmpty() ? ". The anonymous token is used implicitly when a request does "
                + "not specify a token." : "";
        return ApiException.forbidden("Permission denied: " + who + " lacks permission '" + permission + "'" + what
                + anonymousHint);
    }
}
