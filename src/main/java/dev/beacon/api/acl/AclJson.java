package dev.beacon.api.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclRole;
import dev.beacon.state.AclToken;

/**
 * ACL tokens, policies and roles as Consul's API shows them. Links to policies and roles carry both ID and Name;
 * a link to one since deleted is left out, as Consul leaves it out. {@code Hash} is a digest of what the item
 * grants, so that clients can tell whether it changed, as they use Consul's.
 */
final class AclJson {
    private AclJson() {
    }

    record Link(@JsonProperty("ID") String id, @JsonProperty("Name") String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Token(@JsonProperty("AccessorID") String accessorId, @JsonProperty("SecretID") String secretId,
                 @JsonProperty("Description") String description, @JsonProperty("Policies") List<Link> policies,
                 @JsonProperty("Roles") List<Link> roles, @JsonProperty("Local") boolean local,
                 @JsonProperty("ExpirationTime") String expirationTime,
                 @JsonProperty("CreateTime") String createTime, @JsonProperty("Hash") String hash,
                 @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenStub(@JsonProperty("AccessorID") String accessorId, @JsonProperty("SecretID") String secretId,
                     @JsonProperty("Description") String description, @JsonProperty("Policies") List<Link> policies,
                     @JsonProperty("Roles") List<Link> roles, @JsonProperty("Local") boolean local,
                     @JsonProperty("ExpirationTime") String expirationTime,
                     @JsonProperty("CreateTime") String createTime, @JsonProperty("Hash") String hash,
                     @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex,
                     @JsonProperty("Legacy") boolean legacy) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Policy(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                  @JsonProperty("Description") @JsonInclude(JsonInclude.Include.ALWAYS) String description,
                  @JsonProperty("Rules") @JsonInclude(JsonInclude.Include.ALWAYS) String rules,
                  @JsonProperty("Datacenters") List<String> datacenters, @JsonProperty("Hash") String hash,
                  @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record PolicyStub(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                      @JsonProperty("Description") @JsonInclude(JsonInclude.Include.ALWAYS) String description,
                      @JsonProperty("Datacenters") List<String> datacenters, @JsonProperty("Hash") String hash,
                      @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {
    }

    record Role(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                @JsonProperty("Description") String description, @JsonProperty("Policies") List<Link> policies,
                @JsonProperty("Hash") String hash, @JsonProperty("CreateIndex") long createIndex,
                @JsonProperty("ModifyIndex") long modifyIndex) {
    }

    static Token token(AclToken t, AclItems acl) {
        return new Token(t.accessorId(), t.secretId(), t.description(), policyLinks(t.policies(), acl),
                roleLinks(t.roles(), acl), t.local(), time(t.expirationTime()), time(t.createTime()), hash(t),
                t.createIndex(), t.modifyIndex());
    }

    /** A token in a listing; its secret shown only to a caller who may write ACLs, as Consul shows it. */
    static TokenStub stub(AclToken t, AclItems acl, boolean showSecret) {
        return new TokenStub(t.accessorId(), showSecret ? t.secretId() : "<hidden>", t.description(),
                policyLinks(t.policies(), acl), roleLinks(t.roles(), acl), t.local(), time(t.expirationTime()),
                time(t.createTime()), hash(t), t.createIndex(), t.modifyIndex(), false);
    }

    static Policy policy(AclPolicy p) {
        return new Policy(p.id(), p.name(), p.description(), p.rules(), p.datacenters(), hash(p), p.createIndex(),
                p.modifyIndex());
    }

    static PolicyStub stub(AclPolicy p) {
        return new PolicyStub(p.id(), p.name(), p.description(), p.datacenters(), hash(p), p.createIndex(),
                p.modifyIndex());
    }

    static Role role(AclRole r, AclItems acl) {
        return new Role(r.id(), r.name(), r.description(), policyLinks(r.policies(), acl), hash(r), r.createIndex(),
                r.modifyIndex());
    }

    private static List<Link> policyLinks(List<String> ids, AclItems acl) {
        List<Link> links = new ArrayList<>();
        for (String id : ids) {
            acl.policy(id).ifPresent(p -> links.add(new Link(p.id(), p.name())));
        }
        return links;
    }

    private static List<Link> roleLinks(List<String> ids, AclItems acl) {
        List<Link> links = new ArrayList<>();
        for (String id : ids) {
            acl.role(id).ifPresent(r -> links.add(new Link(r.id(), r.name())));
        }
        return links;
    }

    /** A Raft entry time as Consul writes times (RFC 3339); null for none. */
    private static String time(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static String hash(AclToken t) {
        return digest(String.join("\n", t.description(), String.join(",", t.policies()),
                String.join(",", t.roles()), Boolean.toString(t.local())));
    }

    private static String hash(AclPolicy p) {
        return digest(String.join("\n", p.name(), p.description(), p.rules(), String.join(",", p.datacenters())));
    }

    private static String hash(AclRole r) {
        return digest(String.join("\n", r.name(), r.description(), String.join(",", r.policies())));
    }

    private static String digest(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
