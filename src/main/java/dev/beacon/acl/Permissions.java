package dev.beacon.acl;

import java.util.List;
import java.util.Objects;

/**
 * What one token may do: its policies' rules merged and compiled for fast checks. Immutable and thread-safe.
 *
 * <p>Each check is answered by the token's most specific rule, as Consul does: an exact rule over any prefix
 * rule, else the longest matching prefix rule; {@code deny} denies, {@code read} allows reading, {@code list} (keys
 * only) allows listing and reading, {@code write} allows everything. Where no rule applies the fallback answers,
 * normally {@link #ALLOW_ALL} or {@link #DENY_ALL} after the agent's default policy.
 */
public sealed interface Permissions permits StaticPermissions, CompiledPermissions {

    /**
     * Consul's default policy {@code allow}: everything is allowed except managing ACLs (and snapshots), which
     * needs a management token.
     */
    Permissions ALLOW_ALL = new StaticPermissions(true, false);

    /** Consul's default policy {@code deny}: everything is denied. */
    Permissions DENY_ALL = new StaticPermissions(false, false);

    /** A global-management token: everything is allowed, ACLs included. */
    Permissions MANAGEMENT = new StaticPermissions(true, true);

    /**
     * Merges the rules of all the token's policies (for one resource and the same exact name, or the same prefix,
     * deny wins over write, write over list, list over read) and compiles them.
     *
     * @param policies the rules of each of the token's policies, in any order
     * @param fallback answers the checks no rule applies to
     */
    static Permissions compile(List<Rules> policies, Permissions fallback) {
        return new CompiledPermissions(new PolicyMerger(policies), Objects.requireNonNull(fallback, "fallback"));
    }

    /** True only for {@link #MANAGEMENT}. */
    boolean isManagement();

    /** Reading the KV entry {@code key}. */
    boolean keyRead(String key);

    /** Listing the keys under {@code prefix} (a recursive read or a keys listing). */
    boolean keyList(String prefix);

    /** Writing or deleting the KV entry {@code key}. */
    boolean keyWrite(String key);

    /**
     * Writing everything under {@code prefix}, as a recursive delete needs: the longest prefix rule covering
     * {@code prefix} must grant write and no rule, exact or prefix, within {@code prefix} may grant less. With no
     * prefix rule covering it and nothing within it restricting, the fallback answers.
     */
    boolean keyWritePrefix(String prefix);

    /** Discovering the service {@code name}. */
    boolean serviceRead(String name);

    /** Registering the service {@code name}. */
    boolean serviceWrite(String name);

    /**
     * Reading every service, whatever its name: denied if any service rule grants less than read, allowed if a
     * {@code service_prefix ""} rule grants read, else the fallback's answer.
     */
    boolean serviceReadAll();

    /**
     * Reading the intentions whose destination is {@code service}: a service rule's {@code intentions}, or read
     * where its policy is read or write and deny where it is deny. For {@code "*"}, whether some intentions may be
     * read at all.
     */
    boolean intentionRead(String service);

    /**
     * Writing the intentions whose destination is {@code service}, decided like {@link #intentionRead}; for
     * {@code "*"}, write on every name is needed.
     */
    boolean intentionWrite(String service);

    /** Reading the node {@code name}. */
    boolean nodeRead(String name);

    /** Registering the node {@code name}. */
    boolean nodeWrite(String name);

    /** Reading every node, decided like {@link #serviceReadAll()}. */
    boolean nodeReadAll();

    /** Reading the sessions of the node {@code node}. */
    boolean sessionRead(String node);

    /** Creating sessions on the node {@code node}. */
    boolean sessionWrite(String node);

    /** Reading the agent endpoints of the agent on node {@code node}. */
    boolean agentRead(String node);

    /** Changing the agent on node {@code node} (join, leave, maintenance, ...). */
    boolean agentWrite(String node);

    /** Listing the user event {@code name}. */
    boolean eventRead(String name);

    /** Firing the user event {@code name}. */
    boolean eventWrite(String name);

    /** Reading the prepared query {@code name}. */
    boolean queryRead(String name);

    /** Creating, changing or deleting the prepared query {@code name}. */
    boolean queryWrite(String name);

    /** The read-only operator endpoints. */
    boolean operatorRead();

    /** The operator endpoints that change the cluster. */
    boolean operatorWrite();

    /** Reading ACL tokens, policies and roles. */
    boolean aclRead();

    /** Managing ACLs; also needed for snapshots, which hold every token's secret. */
    boolean aclWrite();

    /** Listing the gossip keyring. */
    boolean keyringRead();

    /** Changing the gossip keyring. */
    boolean keyringWrite();

    /** Reading mesh configuration; without a {@code mesh} rule, the {@code operator} rule decides. */
    boolean meshRead();

    /** Changing mesh configuration; without a {@code mesh} rule, the {@code operator} rule decides. */
    boolean meshWrite();

    /** Reading peerings; without a {@code peering} rule, the {@code operator} rule decides. */
    boolean peeringRead();

    /** Creating or deleting peerings; without a {@code peering} rule, the {@code operator} rule decides. */
    boolean peeringWrite();
}
