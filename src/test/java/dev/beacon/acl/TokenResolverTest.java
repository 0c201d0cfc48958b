package dev.beacon.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclRole;
import dev.beacon.state.AclToken;
import dev.beacon.state.Command;
import dev.beacon.state.Store;
import org.junit.jupiter.api.Test;

class TokenResolverTest {
    private static final long T0 = 1_700_000_000_000L;
    private final Store store = new Store();
    private long index;
    private long now = T0;
    private final TokenResolver resolver = new TokenResolver(store, "dc1", Permissions.DENY_ALL, () -> now);

    private void apply(Command command) {
        index++;
        store.apply(index, T0, command);
    }

    private void policy(String id, String rules, List<String> datacenters) {
        apply(new Command.AclSetPolicy(new AclPolicy(id, "name-" + id, "", rules, datacenters, 0, 0)));
    }

    private void token(String secret, List<String> policies, List<String> roles, long ttl) {
        apply(new Command.AclSetToken(new AclToken("accessor-" + secret, secret, "", policies, roles, false, 0, 0,
                0, 0), ttl));
    }

    @Test
    void aTokenGetsItsPoliciesAndItsRolesPoliciesOverTheDefault() {
        policy("p1", "key_prefix \"a/\" { policy = \"write\" }", List.of());
        policy("p2", "key_prefix \"b/\" { policy = \"read\" }", List.of());
        apply(new Command.AclSetRole(new AclRole("r1", "readers", "", List.of("p2"), 0, 0)));
        token("s1", List.of("p1"), List.of("r1"), 0);

        Permissions may = resolver.resolve("s1").permissions();

        assertThat(may.keyWrite("a/x")).isTrue();
        assertThat(may.keyRead("b/x")).as("through the role").isTrue();
        assertThat(may.keyWrite("b/x")).isFalse();
        assertThat(may.keyRead("c/x")).as("the default policy").isFalse();
    }

    @Test
    void aPolicyLimitedToOtherDatacentersGrantsNothingHere() {
        policy("p1", "key_prefix \"\" { policy = \"write\" }", List.of("dc2"));
        token("s1", List.of("p1"), List.of(), 0);

        assertThat(resolver.resolve("s1").permissions().keyRead("x")).isFalse();
    }

    @Test
    void aLinkToTheBuiltinPolicyIsManagement() {
        apply(new Command.AclInitialize());
        token("s1", List.of(AclPolicy.GLOBAL_MANAGEMENT_ID), List.of(), 0);

        assertThat(resolver.resolve("s1").permissions().isManagement()).isTrue();
    }

    @Test
    void unknownAndExpiredSecretsResolveToNothingAndNoSecretToTheAnonymousToken() {
        token("s1", List.of(), List.of(), 60_000);

        assertThat(resolver.resolve("s1")).isNotNull();
        now = T0 + 60_000;
        assertThat(resolver.resolve("s1")).as("expired").isNull();
        assertThat(resolver.resolve("nobody")).isNull();
        TokenResolver.Resolution anonymous = resolver.resolve("");
        assertThat(anonymous.token()).as("no anonymous token yet: the default policy").isNull();
        assertThat(anonymous.permissions()).isSameAs(Permissions.DENY_ALL);

        apply(new Command.AclInitialize());
        assertThat(resolver.resolve("").token().accessorId()).isEqualTo(AclToken.ANONYMOUS_ACCESSOR_ID);
    }

    @Test
    void aChangedPolicyTakesEffectAtTheNextResolution() {
        policy("p1", "key \"k\" { policy = \"read\" }", List.of());
        token("s1", List.of("p1"), List.of(), 0);
        assertThat(resolver.resolve("s1").permissions().keyWrite("k")).isFalse();

        policy("p1", "key \"k\" { policy = \"write\" }", List.of());

        assertThat(resolver.resolve("s1").permissions().keyWrite("k")).isTrue();
    }
}
