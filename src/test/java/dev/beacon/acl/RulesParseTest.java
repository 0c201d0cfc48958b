package dev.beacon.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RulesParseTest {

    private static ResourceRule exact(Resource resource, String name, Access policy) {
        return new ResourceRule(resource, name, false, policy, null);
    }

    private static ResourceRule prefix(Resource resource, String name, Access policy) {
        return new ResourceRule(resource, name, true, policy, null);
    }

    @Test
    void aBlockPerResourceKindWithItsPrefixForm() {
        Rules rules = Rules.parse(String.join("\n",
                "key \"k\" { policy = \"write\" }",
                "key_prefix \"kp/\" { policy = \"list\" }",
                "service \"s\" { policy = \"read\" }",
                "service_prefix \"sp\" { policy = \"deny\" }",
                "node \"n\" { policy = \"write\" }",
                "node_prefix \"np\" { policy = \"read\" }",
                "session \"se\" { policy = \"write\" }",
                "session_prefix \"sep\" { policy = \"read\" }",
                "agent \"a\" { policy = \"write\" }",
                "agent_prefix \"ap\" { policy = \"deny\" }",
                "event \"e\" { policy = \"write\" }",
                "event_prefix \"ep\" { policy = \"read\" }",
                "query \"q\" { policy = \"write\" }",
                "query_prefix \"qp\" { policy = \"read\" }"));
        assertThat(rules.resources()).containsExactly(
                exact(Resource.KEY, "k", Access.WRITE), prefix(Resource.KEY, "kp/", Access.LIST),
                exact(Resource.SERVICE, "s", Access.READ), prefix(Resource.SERVICE, "sp", Access.DENY),
                exact(Resource.NODE, "n", Access.WRITE), prefix(Resource.NODE, "np", Access.READ),
                exact(Resource.SESSION, "se", Access.WRITE), prefix(Resource.SESSION, "sep", Access.READ),
                exact(Resource.AGENT, "a", Access.WRITE), prefix(Resource.AGENT, "ap", Access.DENY),
                exact(Resource.EVENT, "e", Access.WRITE), prefix(Resource.EVENT, "ep", Access.READ),
                exact(Resource.QUERY, "q", Access.WRITE), prefix(Resource.QUERY, "qp", Access.READ));
        assertThat(rules.globals()).isEmpty();
    }

    @Test
    void everyUnlabelledRule() {
        Rules rules = Rules.parse("operator = \"read\"\nacl = \"write\"\nkeyring = \"deny\"\nmesh = \"write\"\n"
                + "peering = \"read\"");
        assertThat(rules.globals()).isEqualTo(Map.of(GlobalResource.OPERATOR, Access.READ,
                GlobalResource.ACL, Access.WRITE, GlobalResource.KEYRING, Access.DENY,
                GlobalResource.MESH, Access.WRITE, GlobalResource.PEERING, Access.READ));
        assertThat(rules.global(GlobalResource.OPERATOR)).isEqualTo(Access.READ);
        assertThat(Rules.parse("acl = \"read\"").global(GlobalResource.MESH)).isNull();
    }

    @Test
    void serviceIntentionsWithOrWithoutACommaBetweenAttributes() {
        ResourceRule expected = new ResourceRule(Resource.SERVICE, "web", false, Access.READ, Access.WRITE);
        assertThat(Rules.parse("service \"web\" { policy = \"read\", intentions = \"write\" }").resources())
                .containsExactly(expected);
        assertThat(Rules.parse("service \"web\" { policy = \"read\" intentions = \"write\" }").resources())
                .containsExactly(expected);
        assertThat(Rules.parse("service \"web\" {\n  intentions = \"write\"\n  policy = \"read\"\n}").resources())
                .containsExactly(expected);
    }

    @Test
    void severalBlocksAndAttributesOnOneLine() {
        Rules rules = Rules.parse("key \"a\" { policy = \"read\", } key \"b\" { policy = \"write\" },"
                + " operator = \"read\" acl = \"write\"");
        assertThat(rules.resources()).containsExactly(exact(Resource.KEY, "a", Access.READ),
                exact(Resource.KEY, "b", Access.WRITE));
        assertThat(rules.globals()).containsOnly(Map.entry(GlobalResource.OPERATOR, Access.READ),
                Map.entry(GlobalResource.ACL, Access.WRITE));
    }

    @Test
    void theEmptyLabelIsAPrefixOfEverything() {
        assertThat(Rules.parse("key_prefix \"\" { policy = \"read\" }").resources())
                .containsExactly(prefix(Resource.KEY, "", Access.READ));
    }

    @Test
    void theObjectFormIsTheSameAsLabelledBlocks() {
        Rules blocks = Rules.parse("key \"foo\" { policy = \"read\" }\nkey_prefix \"\" { policy = \"list\" }");
        assertThat(Rules.parse("key = { \"foo\" = { policy = \"read\" } }\n"
                + "key_prefix = { \"\" = { policy = \"list\" } }")).isEqualTo(blocks);
        assertThat(Rules.parse("key { foo { policy = \"read\" } }\nkey_prefix { \"\" { policy = \"list\" } }"))
                .isEqualTo(blocks);
    }

    @Test
    void aBlockRepeatedIsKeptTwiceInOrder() {
        assertThat(Rules.parse("key \"a\" { policy = \"read\" }\nkey \"a\" { policy = \"deny\" }").resources())
                .containsExactly(exact(Resource.KEY, "a", Access.READ), exact(Resource.KEY, "a", Access.DENY));
    }

    @Test
    void commentsOfAllThreeKinds() {
        Rules rules = Rules.parse(String.join("\n",
                "# a hash comment",
                "// a slash comment",
                "/* a block comment",
                "   over lines */ key \"a\" { /* inline */ policy = \"read\" } # trailing",
                "operator = \"read\" // trailing"));
        assertThat(rules.resources()).containsExactly(exact(Resource.KEY, "a", Access.READ));
        assertThat(rules.global(GlobalResource.OPERATOR)).isEqualTo(Access.READ);
    }

    @Test
    void stringEscapes() {
        Rules rules = Rules.parse("key \"a\\\"b\\\\c\\u00e9\\n\\t/\\/\" { policy = \"read\" }");
        assertThat(rules.resources().get(0).name()).isEqualTo("a\"b\\c\u00e9\n\t//");
    }

    @Test
    void windowsLineEndingsAndTabs() {
        assertThat(Rules.parse("key \"a\" {\r\n\tpolicy = \"read\"\r\n}\r\n").resources())
                .containsExactly(exact(Resource.KEY, "a", Access.READ));
    }

    @Test
    void heredocsKeepTheirLinesAndTheDashFormUnindents() {
        Node.Block plain = HclParser.parse("code = <<EOF\n  a\nb\nEOF\n");
        assertThat(plain.entries().get(0).value()).isEqualTo(new Node.Text("  a\nb\n", 1));
        Node.Block indented = HclParser.parse("code = <<-EOT\n    a\n      b\n    EOT\nnext = \"x\"");
        assertThat(indented.entries().get(0).value()).isEqualTo(new Node.Text("a\n  b\n", 1));
        assertThat(indented.entries().get(1)).isEqualTo(new Node.Entry("next", 5, new Node.Text("x", 5)));
    }

    @Test
    void blankTextHasNoRules() {
        assertThat(Rules.parse("")).isEqualTo(Rules.EMPTY);
        assertThat(Rules.parse(" \n\t")).isEqualTo(Rules.EMPTY);
        assertThat(Rules.parse(null)).isEqualTo(Rules.EMPTY);
        assertThat(Rules.parse("# nothing but a comment\n")).isEqualTo(Rules.EMPTY);
        assertThat(Rules.parse("{}")).isEqualTo(Rules.EMPTY);
    }

    @Test
    void jsonWithObjectsOrListsOfObjects() {
        Rules expected = Rules.parse("key \"foo\" { policy = \"read\" }\nkey_prefix \"\" { policy = \"read\" }\n"
                + "operator = \"read\"");
        assertThat(Rules.parse("{\"key\": {\"foo\": {\"policy\": \"read\"}},"
                + " \"key_prefix\": {\"\": {\"policy\": \"read\"}}, \"operator\": \"read\"}")).isEqualTo(expected);
        assertThat(Rules.parse("  \n{\"key\": [{\"foo\": {\"policy\": \"read\"}}], \"key_prefix\": [{\"\": {\"policy\":"
                + " \"read\"}}], \"operator\": \"read\"}")).isEqualTo(expected);
    }

    @Test
    void jsonServiceWithIntentions() {
        String json = "{\"service\": {\"app\": {\"policy\": \"write\", \"intentions\": \"read\"}}}";
        assertThat(Rules.parse(json).resources())
                .containsExactly(new ResourceRule(Resource.SERVICE, "app", false, Access.WRITE, Access.READ));
    }

    /** The examples of Consul's ACL rules documentation, each in its HCL and its JSON form. */
    @ParameterizedTest
    @ValueSource(strings = {"acl", "agent", "event", "key", "key-list", "keyring", "mesh", "node", "operator",
        "peering", "query", "service", "service-intentions", "session"})
    void theDocumentationExamplesReadTheSameInHclAndJson(String example) throws IOException {
        Rules hcl = Rules.parse(documented(example + ".hcl"));
        assertThat(hcl).isNotEqualTo(Rules.EMPTY).isEqualTo(Rules.parse(documented(example + ".json")));
    }

    private static String documented(String file) throws IOException {
        try (InputStream in = RulesParseTest.class.getResourceAsStream("documented/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theKeyExampleOfTheDocumentation() {
        assertThat(Rules.parse("key_prefix \"\" {\n  policy = \"read\"\n}\nkey \"foo\" {\n  policy = \"write\"\n}\n"
                + "key \"bar\" {\n  policy = \"deny\"\n}").resources())
                .containsExactly(prefix(Resource.KEY, "", Access.READ), exact(Resource.KEY, "foo", Access.WRITE),
                        exact(Resource.KEY, "bar", Access.DENY));
    }

    @Test
    void rulesAreImmutable() {
        Rules rules = Rules.parse("key \"a\" { policy = \"read\" }");
        assertThatThrownBy(() -> rules.resources().add(rules.resources().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
