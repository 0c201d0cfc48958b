package dev.beacon.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class PermissionsTest {

    private static Permissions compile(Permissions fallback, String... policies) {
        return Permissions.compile(Arrays.stream(policies).map(Rules::parse).toList(), fallback);
    }

    private static Permissions denyByDefault(String... policies) {
        return compile(Permissions.DENY_ALL, policies);
    }

    private static Permissions allowByDefault(String... policies) {
        return compile(Permissions.ALLOW_ALL, policies);
    }

    @Test
    void readWriteAndDenyOnEveryLabelledResource() {
        Permissions p = denyByDefault("service \"r\" { policy = \"read\" } service \"w\" { policy = \"write\" }"
                + " node \"r\" { policy = \"read\" } node \"w\" { policy = \"write\" }"
                + " session \"r\" { policy = \"read\" } session \"w\" { policy = \"write\" }"
                + " agent \"r\" { policy = \"read\" } agent \"w\" { policy = \"write\" }"
                + " event \"r\" { policy = \"read\" } event \"w\" { policy = \"write\" }"
                + " query \"r\" { policy = \"read\" } query \"w\" { policy = \"write\" }"
                + " key \"r\" { policy = \"read\" } key \"w\" { policy = \"write\" }");
        assertThat(List.of(p.serviceRead("r"), p.nodeRead("r"), p.sessionRead("r"), p.agentRead("r"), p.eventRead("r"),
                p.queryRead("r"), p.keyRead("r"))).containsOnly(true);
        assertThat(List.of(p.serviceWrite("r"), p.nodeWrite("r"), p.sessionWrite("r"), p.agentWrite("r"),
                p.eventWrite("r"), p.queryWrite("r"), p.keyWrite("r"))).containsOnly(false);
        assertThat(List.of(p.serviceWrite("w"), p.nodeWrite("w"), p.sessionWrite("w"), p.agentWrite("w"),
                p.eventWrite("w"), p.queryWrite("w"), p.keyWrite("w"), p.serviceRead("w"), p.keyRead("w")))
                .containsOnly(true);
        Permissions denied = allowByDefault("service_prefix \"\" { policy = \"deny\" }"
                + " node_prefix \"\" { policy = \"deny\" } session_prefix \"\" { policy = \"deny\" }"
                + " agent_prefix \"\" { policy = \"deny\" }"
                + " event_prefix \"\" { policy = \"deny\" } query_prefix \"\" { policy = \"deny\" }"
                + " key_prefix \"\" { policy = \"deny\" }");
        assertThat(List.of(denied.serviceRead("x"), denied.nodeRead("x"), denied.sessionRead("x"),
                denied.agentRead("x"), denied.eventRead("x"), denied.queryRead("x"), denied.keyRead("x"),
                denied.keyList("x"))).containsOnly(false);
    }

    @Test
    void whereNoRuleAppliesTheFallbackAnswers() {
        String rules = "service \"web\" { policy = \"read\" }";
        assertThat(allowByDefault(rules).serviceWrite("db")).isTrue();
        assertThat(denyByDefault(rules).serviceWrite("db")).isFalse();
        assertThat(allowByDefault(rules).serviceWrite("web")).isFalse();
        assertThat(allowByDefault(rules).nodeWrite("n")).isTrue();
        assertThat(denyByDefault(rules).nodeRead("n")).isFalse();
        assertThat(allowByDefault().operatorWrite()).isTrue();
        assertThat(denyByDefault().operatorRead()).isFalse();
    }

    @Test
    void anExactRuleWinsOverAnyPrefixRule() {
        Permissions p = denyByDefault("key_prefix \"app/\" { policy = \"deny\" }\n"
                + "key \"app/config\" { policy = \"write\" }\nkey_prefix \"app/config\" { policy = \"deny\" }");
        assertThat(p.keyWrite("app/config")).isTrue();
        assertThat(p.keyRead("app/config2")).isFalse();
        assertThat(p.keyRead("app/other")).isFalse();
    }

    @Test
    void theLongestMatchingPrefixWins() {
        Permissions p = denyByDefault("key_prefix \"\" { policy = \"read\" }\n"
                + "key_prefix \"app/\" { policy = \"write\" }\nkey_prefix \"app/secret/\" { policy = \"deny\" }");
        assertThat(p.keyWrite("app/x")).isTrue();
        assertThat(p.keyRead("app/secret/y")).isFalse();
        assertThat(p.keyRead("app/secret")).isTrue();
        assertThat(p.keyWrite("app/secret")).isTrue();
        assertThat(p.keyRead("other")).isTrue();
        assertThat(p.keyWrite("other")).isFalse();
        assertThat(p.keyRead("")).isTrue();
    }

    @Test
    void mergingPoliciesTheStrongerDispositionWins() {
        assertThat(denyByDefault("key \"a\" { policy = \"write\" }", "key \"a\" { policy = \"deny\" }").keyRead("a"))
                .isFalse();
        assertThat(denyByDefault("key \"a\" { policy = \"deny\" }", "key \"a\" { policy = \"write\" }").keyRead("a"))
                .isFalse();
        assertThat(denyByDefault("key \"a\" { policy = \"read\" }", "key \"a\" { policy = \"write\" }").keyWrite("a"))
                .isTrue();
        Permissions list = denyByDefault("key_prefix \"a\" { policy = \"read\" }",
                "key_prefix \"a\" { policy = \"list\" }");
        assertThat(list.keyList("a/")).isTrue();
        assertThat(list.keyWrite("a/")).isFalse();
        assertThat(denyByDefault("key_prefix \"a\" { policy = \"list\" }", "key_prefix \"a\" { policy = \"write\" }")
                .keyWrite("a/")).isTrue();
        // Prefix and exact rules of one name are separate rules, not merged with each other.
        Permissions both = denyByDefault("service_prefix \"web\" { policy = \"deny\" }",
                "service \"web\" { policy = \"write\" }");
        assertThat(both.serviceWrite("web")).isTrue();
        assertThat(both.serviceRead("web2")).isFalse();
        assertThat(denyByDefault("operator = \"write\"", "operator = \"read\"").operatorWrite()).isTrue();
        assertThat(denyByDefault("operator = \"write\"", "operator = \"deny\"").operatorRead()).isFalse();
    }

    @Test
    void theSameBlockTwiceInOnePolicyIsMerged() {
        Permissions p = allowByDefault("node \"a\" { policy = \"write\" }\nnode \"a\" { policy = \"deny\" }");
        assertThat(p.nodeRead("a")).isFalse();
    }

    @Test
    void listOnKeysAllowsListingAndReading() {
        Permissions p = denyByDefault("key_prefix \"bar\" { policy = \"list\" }",
                "key_prefix \"baz\" { policy = \"read\" }");
        assertThat(p.keyList("bar/")).isTrue();
        assertThat(p.keyRead("bar/x")).isTrue();
        assertThat(p.keyWrite("bar/x")).isFalse();
        assertThat(p.keyList("baz/")).isFalse();
        assertThat(p.keyRead("baz/x")).isTrue();
        assertThat(denyByDefault("key_prefix \"\" { policy = \"write\" }").keyList("any")).isTrue();
    }

    @Test
    void keyWritePrefixNeedsWriteOnEverythingBelow() {
        String writeAll = "key_prefix \"\" { policy = \"write\" }";
        assertThat(denyByDefault(writeAll).keyWritePrefix("app/")).isTrue();
        Permissions exactRead = denyByDefault(writeAll, "key \"app/locked\" { policy = \"read\" }");
        assertThat(exactRead.keyWritePrefix("app/")).isFalse();
        assertThat(exactRead.keyWritePrefix("")).isFalse();
        assertThat(exactRead.keyWritePrefix("app/other")).isTrue();
        assertThat(exactRead.keyWritePrefix("other/")).isTrue();
        assertThat(exactRead.keyWrite("app/x")).isTrue();
        Permissions denyBelow = denyByDefault(writeAll, "key_prefix \"app/secret/\" { policy = \"deny\" }");
        assertThat(denyBelow.keyWritePrefix("app/")).isFalse();
        assertThat(denyBelow.keyWritePrefix("app/secret/x")).isFalse();
        assertThat(denyBelow.keyWritePrefix("app/public/")).isTrue();
        assertThat(denyByDefault("key_prefix \"app/\" { policy = \"read\" }").keyWritePrefix("app/x/")).isFalse();
        assertThat(denyByDefault("key_prefix \"app/\" { policy = \"write\" }").keyWritePrefix("app/")).isTrue();
        assertThat(denyByDefault("key_prefix \"app/\" { policy = \"write\" }").keyWritePrefix("ap")).isFalse();
        assertThat(allowByDefault("key_prefix \"app/\" { policy = \"write\" }").keyWritePrefix("ap")).isTrue();
    }

    @Test
    void keyWritePrefixWithoutACoveringRuleFallsBack() {
        assertThat(allowByDefault().keyWritePrefix("app/")).isTrue();
        assertThat(denyByDefault().keyWritePrefix("app/")).isFalse();
        assertThat(allowByDefault("key \"app/x\" { policy = \"write\" }").keyWritePrefix("app/")).isTrue();
        assertThat(denyByDefault("key \"app/x\" { policy = \"write\" }").keyWritePrefix("app/")).isFalse();
        assertThat(allowByDefault("key \"app/x\" { policy = \"read\" }").keyWritePrefix("app/")).isFalse();
        assertThat(allowByDefault("key \"app/x\" { policy = \"list\" }").keyWritePrefix("app/")).isFalse();
    }

    @Test
    void readAllNeedsACatchAllPrefixAndNoLesserRule() {
        assertThat(denyByDefault("service_prefix \"\" { policy = \"read\" }").serviceReadAll()).isTrue();
        assertThat(denyByDefault("service_prefix \"\" { policy = \"read\" } service \"a\" { policy = \"write\" }")
                .serviceReadAll()).isTrue();
        assertThat(allowByDefault("service_prefix \"\" { policy = \"read\" } service \"admin\" { policy = \"deny\" }")
                .serviceReadAll()).isFalse();
        assertThat(allowByDefault("service_prefix \"\" { policy = \"deny\" }").serviceReadAll()).isFalse();
        assertThat(allowByDefault("service \"web\" { policy = \"read\" }").serviceReadAll()).isTrue();
        assertThat(denyByDefault("service \"web\" { policy = \"read\" }").serviceReadAll()).isFalse();
        assertThat(allowByDefault("service_prefix \"web\" { policy = \"deny\" }").serviceReadAll()).isFalse();
        assertThat(denyByDefault("node_prefix \"\" { policy = \"read\" }").nodeReadAll()).isTrue();
        assertThat(allowByDefault("node_prefix \"\" { policy = \"write\" }", "node \"x\" { policy = \"deny\" }")
                .nodeReadAll()).isFalse();
        assertThat(denyByDefault("service_prefix \"\" { policy = \"read\" }").nodeReadAll()).isFalse();
    }

    @Test
    void intentionsFollowTheServicePolicyUnlessGiven() {
        Permissions p = denyByDefault("service \"web\" { policy = \"write\" }\nservice \"db\" { policy = \"read\","
                + " intentions = \"write\" }\nservice \"admin\" { policy = \"deny\" }\nservice_prefix \"\" {"
                + " policy = \"read\" intentions = \"deny\" }");
        assertThat(p.intentionRead("web")).isTrue();
        assertThat(p.intentionWrite("web")).isFalse();
        assertThat(p.intentionWrite("db")).isTrue();
        assertThat(p.intentionRead("admin")).isFalse();
        assertThat(p.intentionRead("other")).isFalse();
        assertThat(p.intentionRead("*")).isTrue();
        assertThat(p.intentionWrite("*")).isFalse();
        assertThat(denyByDefault("service_prefix \"\" { policy = \"read\", intentions = \"write\" }")
                .intentionWrite("*")).isTrue();
        assertThat(allowByDefault("service_prefix \"\" { policy = \"deny\" }").intentionRead("*")).isFalse();
        assertThat(allowByDefault().intentionRead("*")).isTrue();
        Permissions merged = denyByDefault("service \"a\" { policy = \"read\" }",
                "service \"a\" { policy = \"read\", intentions = \"write\" }");
        assertThat(merged.intentionWrite("a")).isTrue();
    }

    @Test
    void unlabelledRules() {
        Permissions p = denyByDefault("operator = \"read\"\nacl = \"write\"\nkeyring = \"read\"");
        assertThat(p.operatorRead()).isTrue();
        assertThat(p.operatorWrite()).isFalse();
        assertThat(p.aclRead()).isTrue();
        assertThat(p.aclWrite()).isTrue();
        assertThat(p.keyringRead()).isTrue();
        assertThat(p.keyringWrite()).isFalse();
        assertThat(allowByDefault("acl = \"read\"").aclWrite()).isFalse();
        assertThat(allowByDefault("keyring = \"deny\"").keyringRead()).isFalse();
    }

    @Test
    void meshAndPeeringFollowOperatorWhenNotGiven() {
        Permissions operatorRead = denyByDefault("operator = \"read\"");
        assertThat(operatorRead.meshRead()).isTrue();
        assertThat(operatorRead.meshWrite()).isFalse();
        assertThat(operatorRead.peeringRead()).isTrue();
        assertThat(operatorRead.peeringWrite()).isFalse();
        Permissions own = denyByDefault("operator = \"read\"\nmesh = \"write\"\npeering = \"deny\"");
        assertThat(own.meshWrite()).isTrue();
        assertThat(own.peeringRead()).isFalse();
        // Peering falls back to operator, never to mesh.
        Permissions meshOnly = denyByDefault("mesh = \"write\"");
        assertThat(meshOnly.peeringRead()).isFalse();
        assertThat(allowByDefault("mesh = \"deny\"").peeringWrite()).isTrue();
        assertThat(allowByDefault("operator = \"deny\"").meshRead()).isFalse();
    }

    @Test
    void theStaticPermissions() {
        assertThat(Permissions.ALLOW_ALL.keyWrite("x")).isTrue();
        assertThat(Permissions.ALLOW_ALL.operatorWrite()).isTrue();
        assertThat(Permissions.ALLOW_ALL.aclRead()).isFalse();
        assertThat(Permissions.ALLOW_ALL.aclWrite()).isFalse();
        assertThat(Permissions.ALLOW_ALL.isManagement()).isFalse();
        assertThat(Permissions.DENY_ALL.keyRead("x")).isFalse();
        assertThat(Permissions.DENY_ALL.serviceReadAll()).isFalse();
        assertThat(Permissions.DENY_ALL.isManagement()).isFalse();
        assertThat(Permissions.MANAGEMENT.isManagement()).isTrue();
        assertThat(Permissions.MANAGEMENT.aclWrite()).isTrue();
        assertThat(Permissions.MANAGEMENT.keyWritePrefix("")).isTrue();
        assertThat(Permissions.MANAGEMENT.peeringWrite()).isTrue();
    }

    @Test
    void onlyTheManagementConstantIsManagement() {
        Permissions p = Permissions.compile(List.of(Rules.parse("acl = \"write\"\noperator = \"write\"")),
                Permissions.MANAGEMENT);
        assertThat(p.isManagement()).isFalse();
        assertThat(p.aclWrite()).isTrue();
        assertThat(p.keyWrite("anything")).isTrue();
    }

    @Test
    void anotherCompiledPermissionsCanBeTheFallback() {
        Permissions inner = denyByDefault("key_prefix \"shared/\" { policy = \"read\" }");
        Permissions outer = compile(inner, "key_prefix \"mine/\" { policy = \"write\" }");
        assertThat(outer.keyWrite("mine/x")).isTrue();
        assertThat(outer.keyRead("shared/x")).isTrue();
        assertThat(outer.keyWrite("shared/x")).isFalse();
        assertThat(outer.keyRead("other")).isFalse();
    }

    @Test
    void noPoliciesAtAllIsTheFallback() {
        assertThat(Permissions.compile(List.of(), Permissions.ALLOW_ALL).serviceWrite("x")).isTrue();
        assertThat(Permissions.compile(List.of(Rules.EMPTY), Permissions.DENY_ALL).serviceRead("x")).isFalse();
    }

    @Test
    void theDocumentationExamplesBehaveAsDescribed() {
        Permissions agents = denyByDefault("agent \"foo\" {\n  policy = \"write\"\n}\nagent_prefix \"\" {\n"
                + "  policy = \"read\"\n}\nagent_prefix \"bar\" {\n  policy = \"deny\"\n}");
        assertThat(agents.agentWrite("foo")).isTrue();
        assertThat(agents.agentRead("any")).isTrue();
        assertThat(agents.agentWrite("any")).isFalse();
        assertThat(agents.agentRead("bar1")).isFalse();

        Permissions events = denyByDefault("{\"event_prefix\": {\"\": {\"policy\": \"read\"}},"
                + " \"event\": {\"deploy\": {\"policy\": \"write\"}}}");
        assertThat(events.eventRead("anything")).isTrue();
        assertThat(events.eventWrite("deploy")).isTrue();
        assertThat(events.eventWrite("deploy2")).isFalse();

        Permissions keys = denyByDefault("key_prefix \"\" {\n policy = \"deny\"\n}\n\nkey_prefix \"bar\" {\n"
                + " policy = \"list\"\n}\n\nkey_prefix \"baz\" {\n policy = \"read\"\n}");
        assertThat(keys.keyRead("baz")).isTrue();
        assertThat(keys.keyList("baz")).isFalse();
        assertThat(keys.keyList("bar")).isTrue();
        assertThat(keys.keyRead("foo")).isFalse();

        Permissions queries = allowByDefault("query_prefix \"\" {\n  policy = \"read\"\n}\nquery \"foo\" {\n"
                + "  policy = \"write\"\n}");
        assertThat(queries.queryRead("any")).isTrue();
        assertThat(queries.queryWrite("any")).isFalse();
        assertThat(queries.queryWrite("foo")).isTrue();

        Permissions sessions = allowByDefault("session_prefix \"\" {\n  policy = \"read\"\n}\nsession \"app\" {\n"
                + "  policy = \"write\"\n}\nsession \"admin\" {\n  policy = \"deny\"\n}");
        assertThat(sessions.sessionRead("node1")).isTrue();
        assertThat(sessions.sessionWrite("node1")).isFalse();
        assertThat(sessions.sessionWrite("app")).isTrue();
        assertThat(sessions.sessionRead("admin")).isFalse();
    }
}
