package dev.beacon.state;

import java.util.List;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeString;

/**
 * The ACL commands. Uniqueness of names and secrets, the builtin policy and the anonymous token are kept here, so
 * that two writes racing through different servers cannot both win. Refusals carry Consul's messages.
 */
final class AclCommands {
    /** The start of the refusal of a second bootstrap; the API answers it as Consul does, 403. */
    static final String BOOTSTRAP_DONE = "ACL bootstrap no longer allowed";

    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(22, Command.AclBootstrap.class,
                    (out, c) -> {
                        AclCodec.writeToken(out, c.token());
                        out.writeBoolean(c.initialManagement());
                    },
                    in -> new Command.AclBootstrap(AclCodec.readToken(in), in.readBoolean()),
                    AclCommands::bootstrap).growing(),
            CommandType.of(23, Command.AclInitialize.class,
                    (out, c) -> {
                    },
                    in -> new Command.AclInitialize(),
                    (c, at) -> {
                        initialize(at);
                        return Outcome.ok(at.index());
                    }).growing(),
            CommandType.of(24, Command.AclSetPolicy.class,
                    (out, c) -> AclCodec.writePolicy(out, c.policy()),
                    in -> new Command.AclSetPolicy(AclCodec.readPolicy(in)),
                    (c, at) -> setPolicy(c.policy(), at)).growing(),
            CommandType.of(25, Command.AclDeletePolicy.class,
                    (out, c) -> writeString(out, c.id()),
                    in -> new Command.AclDeletePolicy(readString(in)),
                    (c, at) -> deletePolicy(c.id(), at)),
            CommandType.of(26, Command.AclSetToken.class,
                    (out, c) -> {
                        AclCodec.writeToken(out, c.token());
                        out.writeLong(c.expirationTtlMillis());
                    },
                    in -> new Command.AclSetToken(AclCodec.readToken(in), in.readLong()),
                    (c, at) -> setToken(c.token(), c.expirationTtlMillis(), at)).growing(),
            CommandType.of(27, Command.AclDeleteToken.class,
                    (out, c) -> writeString(out, c.accessorId()),
                    in -> new Command.AclDeleteToken(readString(in)),
                    (c, at) -> deleteToken(c.accessorId(), at)),
            CommandType.of(30, Command.AclExpireToken.class,
                    (out, c) -> writeString(out, c.accessorId()),
                    in -> new Command.AclExpireToken(readString(in)),
                    (c, at) -> {
                        AclToken token = at.acl().token(c.accessorId());
                        return token != null && token.expiredAt(at.time()) ? deleteToken(c.accessorId(), at)
                                : Outcome.refused(at.index());
                    }),
            CommandType.of(28, Command.AclSetRole.class,
                    (out, c) -> AclCodec.writeRole(out, c.role()),
                    in -> new Command.AclSetRole(AclCodec.readRole(in)),
                    (c, at) -> setRole(c.role(), at)).growing(),
            CommandType.of(29, Command.AclDeleteRole.class,
                    (out, c) -> writeString(out, c.id()),
                    in -> new Command.AclDeleteRole(readString(in)),
                    (c, at) -> deleteRole(c.id(), at)));

    private AclCommands() {
    }

    private static Outcome bootstrap(Command.AclBootstrap c, Applying at) {
        AclTable acl = at.acl();
        long done = acl.bootstrapIndex();
        if (done > 0 && !c.initialManagement()) {
            return Outcome.error(at.index(), BOOTSTRAP_DONE + " (reset index: " + done + ")");
        }
        AclToken token = c.token();
        boolean taken = acl.token(token.accessorId()) != null || acl.tokenBySecret(token.secretId()) != null;
        if (taken && !c.initialManagement()) {
            return Outcome.error(at.index(), "Invalid Token: AccessorID or SecretID is already in use");
        }
        initialize(at);
        if (!taken) {
            acl.putToken(new AclToken(token.accessorId(), token.secretId(), token.description(),
                    List.of(AclPolicy.GLOBAL_MANAGEMENT_ID), List.of(), false, at.time(), 0, at.index(),
                    at.index()));
            at.changes().table(Table.ACL_TOKENS);
        }
        if (done == 0) {
            acl.markBootstrapped(at.index());
            at.changes().table(Table.ACL_TOKENS);
        }
        return Outcome.ok(at.index());
    }

    private static void initialize(Applying at) {
        AclTable acl = at.acl();
        if (acl.policy(AclPolicy.GLOBAL_MANAGEMENT_ID) == null) {
            AclPolicy builtin = AclPolicy.globalManagement(at.index());
            AclPolicy sameName = acl.policyByName(builtin.name());
            if (sameName != null) {
                acl.removePolicy(sameName.id());
            }
            acl.putPolicy(builtin);
            at.changes().table(Table.ACL_POLICIES);
        }
        if (acl.token(AclToken.ANONYMOUS_ACCESSOR_ID) == null) {
            acl.putToken(AclToken.anonymous(at.index(), at.time()));
            at.changes().table(Table.ACL_TOKENS);
        }
    }

    private static Outcome setPolicy(AclPolicy policy, Applying at) {
        AclTable acl = at.acl();
        AclPolicy sameName = acl.policyByName(policy.name());
        if (sameName != null && !sameName.id().equals(policy.id())) {
            return Outcome.error(at.index(), "Invalid Policy: A Policy with Name \"" + policy.name()
                    + "\" already exists");
        }
        AclPolicy prior = acl.policy(policy.id());
        if (policy.id().equals(AclPolicy.GLOBAL_MANAGEMENT_ID) && prior != null) {
            if (!policy.rules().equals(prior.rules())) {
                return Outcome.error(at.index(),
                        "Changing the Rules for the builtin global-management policy is not permitted");
            }
            if (!policy.datacenters().equals(prior.datacenters())) {
                return Outcome.error(at.index(),
                        "Changing the Datacenters of the builtin global-management policy is not permitted");
            }
        }
        acl.putPolicy(policy.at(prior == null ? at.index() : prior.createIndex(), at.index()));
        at.changes().table(Table.ACL_POLICIES);
        return Outcome.ok(at.index());
    }

    private static Outcome deletePolicy(String id, Applying at) {
        if (id.equals(AclPolicy.GLOBAL_MANAGEMENT_ID)) {
            return Outcome.error(at.index(), "Deletion of the builtin global-management policy is not permitted");
        }
        if (at.acl().policy(id) != null) {
            at.acl().removePolicy(id);
            at.changes().table(Table.ACL_POLICIES);
        }
        return Outcome.ok(at.index());
    }

    private static Outcome setToken(AclToken token, long expirationTtl, Applying at) {
        AclTable acl = at.acl();
        AclToken prior = acl.token(token.accessorId());
        AclToken sameSecret = acl.tokenBySecret(token.secretId());
        if (prior == null) {
            if (sameSecret != null) {
                return Outcome.error(at.index(), "Invalid Token: SecretID is already in use");
            }
            long expiration = expirationTtl > 0 ? at.time() + expirationTtl : 0;
            acl.putToken(token.at(at.time(), expiration, at.index(), at.index()));
        } else {
            if (!prior.secretId().equals(token.secretId())) {
                return Outcome.error(at.index(), "Changing a token's SecretID is not permitted");
            }
            if (prior.local() != token.local()) {
                return Outcome.error(at.index(), "Cannot toggle local mode of " + token.accessorId());
            }
            acl.putToken(token.at(prior.createTime(), prior.expirationTime(), prior.createIndex(), at.index()));
        }
        at.changes().table(Table.ACL_TOKENS);
        return Outcome.ok(at.index());
    }

    private static Outcome deleteToken(String accessorId, Applying at) {
        if (accessorId.equals(AclToken.ANONYMOUS_ACCESSOR_ID)) {
            return Outcome.error(at.index(), "Delete operation not permitted on the anonymous token");
        }
        if (at.acl().token(accessorId) != null) {
            at.acl().removeToken(accessorId);
            at.changes().table(Table.ACL_TOKENS);
        }
        return Outcome.ok(at.index());
    }

    private static Outcome setRole(AclRole role, Applying at) {
        AclTable acl = at.acl();
        AclRole sameName = acl.roleByName(role.name());
        if (sameName != null && !sameName.id().equals(role.id())) {
            return Outcome.error(at.index(), "Invalid Role: A Role with Name \"" + role.name()
                    + "\" already exists");
        }
        AclRole prior = acl.role(role.id());
        acl.putRole(role.at(prior == null ? at.index() : prior.createIndex(), at.index()));
        at.changes().table(Table.ACL_ROLES);
        return Outcome.ok(at.index());
    }

    private static Outcome deleteRole(String id, Applying at) {
        if (at.acl().role(id) != null) {
            at.acl().removeRole(id);
            at.changes().table(Table.ACL_ROLES);
        }
        return Outcome.ok(at.index());
    }
}
