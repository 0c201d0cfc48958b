package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AclCommandsTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private static AclToken token(String accessor, String secret, List<String> policies) {
        return new AclToken(accessor, secret, "", policies, List.of(), false, 0, 0, 0, 0);
    }

    private static AclPolicy policy(String id, String name, String rules) {
        return new AclPolicy(id, name, "", rules, List.of(), 0, 0);
    }

    private AclTables acl() {
        return h.store.query(new Query.Acl()).value();
    }

    @Test
    void bootstrapCreatesAManagementTokenTheBuiltinPolicyAndTheAnonymousToken() {
        Outcome outcome = h.apply(new Command.AclBootstrap(token("a1", "s1", List.of()), false));

        assertThat(outcome.success()).isTrue();
        AclToken management = h.store.aclTokenBySecret("s1");
        assertThat(management.accessorId()).isEqualTo("a1");
        assertThat(management.policies()).containsExactly(AclPolicy.GLOBAL_MANAGEMENT_ID);
        assertThat(management.createTime()).isEqualTo(Fixtures.Harness.timeOf(1));
        assertThat(management.createIndex()).isEqualTo(1);
        assertThat(h.store.aclPolicy(AclPolicy.GLOBAL_MANAGEMENT_ID).name()).isEqualTo("global-management");
        assertThat(h.store.aclTokenBySecret(AclToken.ANONYMOUS_SECRET_ID).accessorId())
                .isEqualTo(AclToken.ANONYMOUS_ACCESSOR_ID);
        assertThat(acl().bootstrapIndex()).isEqualTo(1);
    }

    @Test
    void aSecondBootstrapIsRefusedWithTheResetIndexAndChangesNothing() {
        h.apply(new Command.KvSet("k", Fixtures.bytes("v"), 0, Command.NO_CAS));
        h.apply(new Command.AclBootstrap(token("a1", "s1", List.of()), false));
        AclTables before = acl();

        Outcome second = h.apply(new Command.AclBootstrap(token("a2", "s2", List.of()), false));

        assertThat(second.success()).isFalse();
        assertThat(second.error()).isEqualTo("ACL bootstrap no longer allowed (reset index: 2)");
        assertThat(acl()).isEqualTo(before);
        assertThat(h.store.aclTokenBySecret("s2")).isNull();
    }

    @Test
    void theInitialManagementTokenIsCreatedOnceNeverRefusedAndEndsBootstrapping() {
        assertThat(h.apply(new Command.AclBootstrap(token("init", "configured", List.of()), true)).success())
                .isTrue();
        assertThat(h.apply(new Command.AclBootstrap(token("init", "configured", List.of()), true)).success())
                .as("every leader submits it again").isTrue();

        assertThat(h.store.aclTokenBySecret("configured").createIndex()).isEqualTo(1);
        assertThat(h.apply(new Command.AclBootstrap(token("a2", "s2", List.of()), false)).error())
                .startsWith(AclCommands.BOOTSTRAP_DONE);
    }

    @Test
    void initializeCreatesTheBuiltinsOnlyWhereMissing() {
        h.apply(new Command.AclInitialize());
        AclTables first = acl();
        h.apply(new Command.AclInitialize());

        assertThat(acl()).isEqualTo(first);
        assertThat(first.policies()).extracting(AclPolicy::id).containsExactly(AclPolicy.GLOBAL_MANAGEMENT_ID);
        assertThat(first.tokens()).extracting(AclToken::accessorId).containsExactly(AclToken.ANONYMOUS_ACCESSOR_ID);
        assertThat(first.bootstrapIndex()).as("initializing is not bootstrapping").isZero();
    }

    @Test
    void aPolicyNameBelongsToOnePolicy() {
        h.apply(new Command.AclSetPolicy(policy("p1", "readers", "")));

        Outcome clash = h.apply(new Command.AclSetPolicy(policy("p2", "readers", "")));
        Outcome rename = h.apply(new Command.AclSetPolicy(policy("p1", "writers", "")));
        Outcome reuse = h.apply(new Command.AclSetPolicy(policy("p2", "readers", "")));

        assertThat(clash.error()).isEqualTo("Invalid Policy: A Policy with Name \"readers\" already exists");
        assertThat(rename.success()).isTrue();
        assertThat(reuse.success()).as("the name was freed by the rename").isTrue();
        assertThat(acl().policies()).extracting(AclPolicy::name).containsExactly("writers", "readers");
    }

    @Test
    void anUpdatedPolicyKeepsItsCreateIndex() {
        h.apply(new Command.AclSetPolicy(policy("p1", "readers", "")));
        h.apply(new Command.AclSetPolicy(policy("p1", "readers", "key \"a\" { policy = \"read\" }")));

        AclPolicy updated = h.store.aclPolicy("p1");
        assertThat(updated.createIndex()).isEqualTo(1);
        assertThat(updated.modifyIndex()).isEqualTo(2);
        assertThat(updated.rules()).contains("key");
    }

    @Test
    void theBuiltinPolicyKeepsItsRulesAndCannotBeDeleted() {
        h.apply(new Command.AclInitialize());

        Outcome rules = h.apply(new Command.AclSetPolicy(policy(AclPolicy.GLOBAL_MANAGEMENT_ID,
                "global-management", "key_prefix \"\" { policy = \"deny\" }")));
        Outcome delete = h.apply(new Command.AclDeletePolicy(AclPolicy.GLOBAL_MANAGEMENT_ID));

        assertThat(rules.error()).contains("not permitted");
        assertThat(delete.error()).isEqualTo("Deletion of the builtin global-management policy is not permitted");
        assertThat(h.store.aclPolicy(AclPolicy.GLOBAL_MANAGEMENT_ID).rules()).isEmpty();
    }

    @Test
    void aSecretBelongsToOneTokenAndCannotChange() {
        h.apply(new Command.AclSetToken(token("a1", "s1", List.of("p1")), 0));

        Outcome sameSecret = h.apply(new Command.AclSetToken(token("a2", "s1", List.of()), 0));
        Outcome newSecret = h.apply(new Command.AclSetToken(token("a1", "other", List.of()), 0));

        assertThat(sameSecret.error()).isEqualTo("Invalid Token: SecretID is already in use");
        assertThat(newSecret.error()).contains("SecretID");
        assertThat(h.store.aclTokenBySecret("s1").policies()).containsExactly("p1");
        assertThat(h.store.aclTokenBySecret("other")).isNull();
    }

    @Test
    void anUpdateKeepsCreateTimeExpirationAndLocality() {
        h.apply(new Command.AclSetToken(token("a1", "s1", List.of("p1")), 60_000));
        AclToken created = h.store.aclTokenBySecret("s1");
        h.apply(new Command.AclSetToken(token("a1", "s1", List.of("p2")), 0));

        AclToken updated = h.store.aclTokenBySecret("s1");
        assertThat(created.expirationTime()).isEqualTo(Fixtures.Harness.timeOf(1) + 60_000);
        assertThat(updated.expirationTime()).isEqualTo(created.expirationTime());
        assertThat(updated.createTime()).isEqualTo(created.createTime());
        assertThat(updated.policies()).containsExactly("p2");
        assertThat(updated.expiredAt(created.expirationTime())).isTrue();
        assertThat(updated.expiredAt(created.expirationTime() - 1)).isFalse();

        AclToken local = new AclToken("a1", "s1", "", List.of(), List.of(), true, 0, 0, 0, 0);
        assertThat(h.apply(new Command.AclSetToken(local, 0)).error()).isEqualTo("Cannot toggle local mode of a1");
    }

    @Test
    void anExpiredTokenIsDeletedOnlyOnceItsTimeHasPassedOnTheEntryClock() {
        // Entries are a second apart: created at entry 1 with 1.5 s to live, the token expires between 2 and 3.
        h.apply(new Command.AclSetToken(token("a1", "s1", List.of()), 1_500));

        Outcome early = h.apply(new Command.AclExpireToken("a1"));
        Outcome due = h.apply(new Command.AclExpireToken("a1"));

        assertThat(early.success()).isFalse();
        assertThat(due.success()).isTrue();
        assertThat(h.store.aclTokenBySecret("s1")).isNull();
        assertThat(h.apply(new Command.AclExpireToken("a1")).success()).as("already gone").isFalse();
    }

    @Test
    void aTokenWithoutAnExpirationIsNeverExpired() {
        h.apply(new Command.AclSetToken(token("a1", "s1", List.of()), 0));

        assertThat(h.apply(new Command.AclExpireToken("a1")).success()).isFalse();
        assertThat(h.store.aclTokenBySecret("s1")).isNotNull();
    }

    @Test
    void theAnonymousTokenCanBeChangedButNotDeleted() {
        h.apply(new Command.AclInitialize());
        AclToken anonymous = h.store.aclTokenBySecret(AclToken.ANONYMOUS_SECRET_ID);
        AclToken withPolicy = new AclToken(anonymous.accessorId(), anonymous.secretId(), "dns", List.of("p1"),
                List.of(), false, 0, 0, 0, 0);

        assertThat(h.apply(new Command.AclSetToken(withPolicy, 0)).success()).isTrue();
        assertThat(h.apply(new Command.AclDeleteToken(AclToken.ANONYMOUS_ACCESSOR_ID)).error())
                .isEqualTo("Delete operation not permitted on the anonymous token");
        assertThat(h.store.aclTokenBySecret(AclToken.ANONYMOUS_SECRET_ID).policies()).containsExactly("p1");
    }

    @Test
    void deletingForgetsTheSecretAndTheName() {
        h.apply(new Command.AclSetToken(token("a1", "s1", List.of()), 0));
        h.apply(new Command.AclSetPolicy(policy("p1", "readers", "")));
        h.apply(new Command.AclSetRole(new AclRole("r1", "ops", "", List.of("p1"), 0, 0)));

        h.apply(new Command.AclDeleteToken("a1"));
        h.apply(new Command.AclDeletePolicy("p1"));
        h.apply(new Command.AclDeleteRole("r1"));

        assertThat(h.store.aclTokenBySecret("s1")).isNull();
        assertThat(acl()).isEqualTo(AclTables.EMPTY);
        assertThat(h.apply(new Command.AclSetToken(token("a9", "s1", List.of()), 0)).success()).isTrue();
        assertThat(h.apply(new Command.AclSetPolicy(policy("p9", "readers", ""))).success()).isTrue();
        assertThat(h.apply(new Command.AclSetRole(new AclRole("r9", "ops", "", List.of(), 0, 0))).success())
                .isTrue();
    }

    @Test
    void aRoleNameBelongsToOneRole() {
        h.apply(new Command.AclSetRole(new AclRole("r1", "ops", "", List.of(), 0, 0)));

        assertThat(h.apply(new Command.AclSetRole(new AclRole("r2", "ops", "", List.of(), 0, 0))).error())
                .isEqualTo("Invalid Role: A Role with Name \"ops\" already exists");
        assertThat(h.store.aclRole("r2")).isNull();
    }

    @Test
    void aclWritesMoveOnlyTheirOwnTableAndTheAclIndex() {
        h.apply(new Command.KvSet("k", Fixtures.bytes("v"), 0, Command.NO_CAS));
        h.apply(new Command.AclSetPolicy(policy("p1", "readers", "")));
        h.apply(new Command.AclSetToken(token("a1", "s1", List.of("p1")), 0));

        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(1);
        assertThat(h.store.tableIndex(Table.ACL_POLICIES)).isEqualTo(2);
        assertThat(h.store.tableIndex(Table.ACL_TOKENS)).isEqualTo(3);
        assertThat(h.store.tableIndex(Table.ACL_ROLES)).isEqualTo(1);
        assertThat(h.store.aclIndex()).isEqualTo(3);
        assertThat(h.store.query(new Query.Acl()).index()).isEqualTo(3);
    }

    @Test
    void aWatchOnAclDataWakesOnAnAclWriteOnly() {
        h.apply(new Command.AclSetPolicy(policy("p1", "readers", "")));
        boolean[] woken = new boolean[1];
        h.store.watch(new Query.Acl(), h.store.aclIndex(), () -> woken[0] = true);

        h.apply(new Command.KvSet("k", Fixtures.bytes("v"), 0, Command.NO_CAS));
        assertThat(woken[0]).isFalse();
        h.apply(new Command.AclDeletePolicy("p1"));
        assertThat(woken[0]).isTrue();
    }

    @Test
    void aclDataSurvivesASnapshotAndAForwardedRead() throws IOException {
        h.apply(new Command.AclBootstrap(token("a1", "s1", List.of()), false));
        h.apply(new Command.AclSetPolicy(new AclPolicy("p1", "readers", "d", "key \"k\" { policy = \"read\" }",
                List.of("dc1"), 0, 0)));
        h.apply(new Command.AclSetRole(new AclRole("r1", "ops", "", List.of("p1"), 0, 0)));
        h.apply(new Command.AclSetToken(new AclToken("a2", "s2", "app", List.of("p1"), List.of("r1"), true, 0, 0, 0,
                0), 5_000));

        Store restored = new Store();
        restored.restoreSnapshot(new ByteArrayInputStream(h.snapshot()));
        Query.Acl query = new Query.Acl();
        Indexed<AclTables> forwarded = QueryCodec.decodeResult(query,
                QueryCodec.encodeResult(query, h.store.query(query)));

        assertThat(restored.query(query)).isEqualTo(h.store.query(query));
        assertThat(forwarded).isEqualTo(h.store.query(query));
        assertThat(restored.aclTokenBySecret("s2").roles()).containsExactly("r1");
        assertThat(restored.tableIndex(Table.ACL_ROLES)).isEqualTo(3);
        assertThat(restored.aclIndex()).isEqualTo(h.store.aclIndex()).isEqualTo(4);
        assertThat(restored.apply(h.index() + 1, 0, new Command.AclBootstrap(token("a3", "s3", List.of()), false))
                .error()).startsWith(AclCommands.BOOTSTRAP_DONE);
        assertThat(Map.of("secret", restored.aclTokenBySecret("s2").toString())).doesNotContainValue("s2");
    }
}
