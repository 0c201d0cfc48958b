package dev.beacon.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class RulesErrorTest {

    private static String error(String text) {
        RulesException e = catchThrowableOfType(RulesException.class, () -> Rules.parse(text));
        assertThat(e).as("an error for %s", text).isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n");
        return e.getMessage();
    }

    // Syntax errors say line and column.

    @Test
    void aMissingEqualsSign() {
        assertThat(error("key \"foo\" {\n  policy \"read\"\n}"))
                .isEqualTo("line 2, column 10: expected '=' or '{' after \"policy\"");
        assertThat(error("service \"a\" {\n  policy \"read\"\n  intentions = \"write\"\n}"))
                .isEqualTo("line 2, column 10: expected '=' or '{' after \"policy\"");
        assertThat(error("operator \"read\"")).isEqualTo("line 1, column 10: expected '=' or '{' after \"operator\"");
        assertThat(error("key foo { policy = \"read\" }"))
                .isEqualTo("line 1, column 5: expected '=' or '{' after \"key\", found foo");
        assertThat(error("key \"foo\" {\n  policy\n}"))
                .isEqualTo("line 3, column 1: expected '=' or '{' after \"policy\", found '}'");
    }

    @Test
    void anUnclosedBlock() {
        assertThat(error("key \"foo\" {\n  policy = \"read\"\n"))
                .isEqualTo("line 3, column 1: unexpected end of input, expected '}' to close the '{' of line 1");
    }

    @Test
    void aBraceTooMany() {
        assertThat(error("operator = \"read\"\n}")).isEqualTo("line 2, column 1: unexpected '}' with no block open");
    }

    @Test
    void anUnterminatedString() {
        assertThat(error("operator = \"read"))
                .isEqualTo("line 1, column 12: unterminated string, expected '\"' before the end of the line");
        assertThat(error("key \"foo\n\" { policy = \"read\" }"))
                .isEqualTo("line 1, column 5: unterminated string, expected '\"' before the end of the line");
    }

    @Test
    void anUnknownEscape() {
        assertThat(error("operator = \"re\\qd\"")).isEqualTo("line 1, column 15: unknown escape \"\\\\q\" in string");
        assertThat(error("key \"\\u12\" { policy = \"read\" }"))
                .isEqualTo("line 1, column 6: escape needs 4 hexadecimal digits");
    }

    @Test
    void anUnterminatedComment() {
        assertThat(error("operator = \"read\"\n  /* never closed\n")).isEqualTo(
                "line 2, column 3: unterminated comment, expected */");
    }

    @Test
    void aValueThatIsNotAString() {
        assertThat(error("operator = read"))
                .isEqualTo("line 1, column 12: expected a quoted string or '{' after '=', found read");
        assertThat(error("operator = 1")).isEqualTo("line 1, column 12: unexpected character \"1\"");
        assertThat(error("operator = [\"read\"]")).isEqualTo("line 1, column 12: unexpected character \"[\"");
    }

    @Test
    void anEqualsSignAfterALabel() {
        assertThat(error("key \"foo\" = { policy = \"read\" }"))
                .isEqualTo("line 1, column 11: expected '{' after \"foo\" (a labelled block takes no '=')");
    }

    @Test
    void anItemWithoutAName() {
        assertThat(error("= \"read\"")).isEqualTo("line 1, column 1: expected a name, found '='");
        assertThat(error("key \"a\" { , }")).isEqualTo("line 1, column 11: expected a name, found ','");
    }

    @Test
    void anUnterminatedHeredoc() {
        assertThat(error("operator = <<EOF\nread\n")).isEqualTo(
                "line 1, column 12: unterminated heredoc, expected a line with EOF");
        assertThat(error("operator = << \nread\n")).isEqualTo(
                "line 1, column 12: expected a heredoc marker such as EOF after <<");
    }

    @Test
    void nestingTooDeep() {
        assertThat(error("key " + "\"a\" ".repeat(40) + "{ }")).endsWith("blocks nested deeper than 32 levels");
        assertThat(error("key = " + "{ a = ".repeat(40) + "\"x\"" + " }".repeat(40)))
                .endsWith("blocks nested deeper than 32 levels");
        assertThat(error("{\"a\": ".repeat(40) + "\"x\"" + "}".repeat(40)))
                .endsWith("objects nested deeper than 32 levels");
    }

    @Test
    void malformedJson() {
        assertThat(error("{\"operator\": \"read\",, }")).startsWith("line 1, column 21: ");
        assertThat(error("{\"operator\": \"read\"")).startsWith("line 1, column ");
        assertThat(error("{\"operator\": 1}"))
                .isEqualTo("line 1, column 14: \"operator\" must be a string or an object");
        assertThat(error("{\"key\": [\"a\"]}")).isEqualTo("line 1, column 10: the list \"key\" may hold objects only");
        assertThat(error("{}{}")).isEqualTo("line 1, column 3: unexpected content after the closing '}'");
    }

    @Test
    void aJsonNameGivenTwice() {
        assertThat(error("{\"operator\": \"read\",\n \"operator\": \"write\"}"))
                .startsWith("line 2, column ").contains("Duplicate").contains("\"operator\"");
        assertThat(error("{\"key\": {\"a\": {\"policy\": \"read\", \"policy\": \"write\"}}}")).contains("Duplicate");
    }

    // Validation errors say the line.

    @Test
    void anInvalidDisposition() {
        assertThat(error("key \"foo\" {\n  policy = \"reed\"\n}"))
                .isEqualTo("line 2: invalid key policy \"reed\" (read, write, list or deny)");
        assertThat(error("key_prefix \"\" { policy = \"Read\" }"))
                .isEqualTo("line 1: invalid key_prefix policy \"Read\" (read, write, list or deny)");
        assertThat(error("service \"a\" { policy = \"list\" }"))
                .isEqualTo("line 1: invalid service policy \"list\" (read, write or deny)");
        assertThat(error("service \"a\" { policy = \"read\"\n intentions = \"list\" }"))
                .isEqualTo("line 2: invalid service intentions \"list\" (read, write or deny)");
        assertThat(error("\n\noperator = \"all\""))
                .isEqualTo("line 3: invalid operator policy \"all\" (read, write or deny)");
        assertThat(error("{\n  \"key\": {\n    \"foo\": {\"policy\": \"reed\"}\n  }\n}"))
                .isEqualTo("line 3: invalid key policy \"reed\" (read, write, list or deny)");
    }

    @Test
    void listIsForKeysOnly() {
        for (String kind : new String[] {"service", "node", "session", "agent", "event", "query"}) {
            assertThat(error(kind + "_prefix \"\" { policy = \"list\" }"))
                    .isEqualTo("line 1: invalid " + kind + "_prefix policy \"list\" (read, write or deny)");
        }
        assertThat(error("acl = \"list\"")).isEqualTo("line 1: invalid acl policy \"list\" (read, write or deny)");
    }

    @Test
    void anUnknownRuleIsNamed() {
        assertThat(error("operator = \"read\"\nkeys \"a\" { policy = \"read\" }"))
                .startsWith("line 2: unknown rule \"keys\"");
        assertThat(error("{\"services\": {}}")).startsWith("line 1: unknown rule \"services\"");
    }

    @Test
    void enterpriseScopesAreNotSupported() {
        assertThat(error("namespace \"foo\" {\n  acl = \"write\"\n}"))
                .isEqualTo("line 1: namespace rules are a Consul Enterprise feature and are not supported");
        assertThat(error("partition_prefix \"ex-\" { mesh = \"read\" }"))
                .isEqualTo("line 1: partition_prefix rules are a Consul Enterprise feature and are not supported");
        String sentinel = "key \"foo\" {\n  policy = \"write\"\n  sentinel {\n    code = <<EOF\nmain = rule { true }\n"
                + "EOF\n  }\n}";
        assertThat(error(sentinel))
                .isEqualTo("line 3: sentinel policies are a Consul Enterprise feature and are not supported");
    }

    @Test
    void anUnknownAttribute() {
        assertThat(error("key \"a\" { intentions = \"read\" }"))
                .isEqualTo("line 1: unknown attribute \"intentions\" in key \"a\" (expected policy)");
        assertThat(error("service \"a\" { polcy = \"read\" }"))
                .isEqualTo("line 1: unknown attribute \"polcy\" in service \"a\" (expected policy or intentions)");
    }

    @Test
    void anAttributeGivenTwiceInABlock() {
        assertThat(error("key \"a\" {\n  policy = \"read\"\n  policy = \"write\"\n}"))
                .isEqualTo("line 3: policy is given more than once in key \"a\"");
        assertThat(error("service \"a\" { policy = \"read\", intentions = \"read\", intentions = \"deny\" }"))
                .isEqualTo("line 1: intentions is given more than once in service \"a\"");
        assertThat(error("operator = \"read\"\noperator = \"write\""))
                .isEqualTo("line 2: operator is given more than once");
    }

    @Test
    void aBlockWithoutPolicy() {
        assertThat(error("service \"a\" { intentions = \"read\" }")).isEqualTo("line 1: service \"a\" has no policy");
        assertThat(error("{\"key\": {\"a\": {}}}")).isEqualTo("line 1: key \"a\" has no policy");
    }

    @Test
    void valuesOfTheWrongShape() {
        assertThat(error("operator { }")).isEqualTo("line 1: operator takes a quoted string, like operator = \"read\"");
        assertThat(error("key = \"read\"")).isEqualTo(
                "line 1: key takes labelled blocks, like key \"name\" { policy = \"read\" }");
        assertThat(error("key = { \"a\" = \"read\" }")).isEqualTo(
                "line 1: key \"a\" must be a block, like key \"a\" { policy = \"read\" }");
        assertThat(error("key \"a\" { policy { } }")).isEqualTo("line 1: policy of key \"a\" must be a quoted string");
        assertThat(error("key \"a\" \"b\" { policy = \"read\" }"))
                .isEqualTo("line 1: unknown attribute \"b\" in key \"a\" (expected policy)");
    }

    @Test
    void messagesStayOnOneLineWhateverTheInput() {
        assertThat(error("key \"a\\nb\" { policy = \"re\\nad\" }"))
                .isEqualTo("line 1: invalid key policy \"re\\nad\" (read, write, list or deny)");
        assertThat(error("operator = \"" + "x".repeat(500) + "\"")).hasSizeLessThan(150);
    }
}
