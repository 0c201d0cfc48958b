package dev.beacon.api.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterExpressionParseTest {

    /** Filter text and its canonical rendering, fully parenthesized, every value quoted. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                arguments("a == 1 or b == 2 and c == 3", "(a == \"1\" or (b == \"2\" and c == \"3\"))"),
                arguments("a == 1 and b == 2 or c == 3", "((a == \"1\" and b == \"2\") or c == \"3\")"),
                arguments("a == 1 or b == 2 or c == 3", "(a == \"1\" or b == \"2\" or c == \"3\")"),
                arguments("not a == 1 and b == 2", "(not a == \"1\" and b == \"2\")"),
                arguments("not (a == 1 and b == 2)", "not (a == \"1\" and b == \"2\")"),
                arguments("(a == 1 or b == 2) and c == 3", "((a == \"1\" or b == \"2\") and c == \"3\")"),
                arguments("not not a == 1", "a == \"1\""),
                arguments("not not not a == 1", "not a == \"1\""),
                arguments("(((a == 1)))", "a == \"1\""),
                arguments("a != \"x\"", "a != \"x\""),
                arguments("\"x\" in Tags", "Tags contains \"x\""),
                arguments("\"x\" not in Tags", "Tags not contains \"x\""),
                arguments("Tags contains x", "Tags contains \"x\""),
                arguments("Tags not contains x", "Tags not contains \"x\""),
                arguments("Tags is empty", "Tags is empty"),
                arguments("Tags is not empty", "Tags is not empty"),
                arguments("Name matches \"^a.*\"", "Name matches \"^a.*\""),
                arguments("Name not matches `^a`", "Name not matches \"^a\""),
                // keywords are not reserved: they are names where no keyword fits
                arguments("not == 1", "not == \"1\""),
                arguments("notice == 1", "notice == \"1\""),
                arguments("not in in Tags", "not Tags contains \"in\""),
                arguments("android == orange", "android == \"orange\""),
                arguments("empty is empty", "empty is empty"),
                // whitespace: any amount of blanks, tabs and newlines; none needed next to symbols
                arguments("  a==\"x\"  ", "a == \"x\""),
                arguments("a ==\n\"x\"\tand\r\nb != y", "(a == \"x\" and b != \"y\")"),
                arguments("not(a == 1)", "not a == \"1\""),
                arguments("(a == 1)or(b == 2)", "(a == \"1\" or b == \"2\")"),
                arguments("a == \"x\"and b == \"y\"", "(a == \"x\" and b == \"y\")"),
                arguments("( a == 1 )", "a == \"1\""),
                // values: quoted, raw, bare selectors, numbers
                arguments("a == \"\"", "a == \"\""),
                arguments("a == -1.5", "a == \"-1.5\""),
                arguments("a == 0", "a == \"0\""),
                arguments("a == 10.25", "a == \"10.25\""),
                arguments("Checks.Status == passing", "Checks.Status == \"passing\""),
                arguments("a == b.c", "a == \"b.c\""),
                arguments("a == b[\"c.d\"]", "a == \"b.c.d\""),
                arguments("a == with_underscore_1", "a == \"with_underscore_1\""),
                // selectors: dotted names and bracketed map keys
                arguments("Service.Meta.version == 1", "Service.Meta.version == \"1\""),
                arguments("Service.Meta[\"my.key\"] == 1", "Service.Meta.my.key == \"1\""),
                arguments("Meta[ `a b` ] is empty", "Meta.a b is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void parsesWithConsulsPrecedenceAndForms(String filter, String canonical) {
        assertThat(FilterExpression.parse(filter)).hasToString(canonical);
    }

    /** Filter text with a double-quoted or raw value, and the value the filter compares with. */
    static Stream<Arguments> strings() {
        return Stream.of(
                arguments("a == \"with \\\"quotes\\\" and \\\\ backslash\"", "with \"quotes\" and \\ backslash"),
                arguments("a == \"tab\\there\\nnewline\"", "tab\there\nnewline"),
                arguments("a == \"\\a\\b\\f\\r\\v\"", "\u0007\b\f\r\u000b"),
                arguments("a == \"\\u00e9t\\u00e9\"", "été"),
                arguments("a == \"\\U0001F600\"", "\uD83D\uDE00"),
                arguments("a == \"\\xc3\\xa9\"", "é"),
                arguments("a == \"\\101\\102\"", "AB"),
                arguments("a == \"été\"", "été"),
                arguments("a == `C:\\path\\n`", "C:\\path\\n"),
                arguments("a == `with \"quotes\"`", "with \"quotes\""),
                arguments("a == `line\r\nbreak`", "line\nbreak"),
                arguments("a == \"and or not\"", "and or not"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strings")
    void readsGoStringLiterals(String filter, String value) {
        Match match = (Match) FilterExpression.parse(filter);

        assertThat(match.value().text()).isEqualTo(value);
    }

    @Test
    void aSelectorKeepsMapKeysWhole() {
        Match match = (Match) FilterExpression.parse("Service.Meta[\"my.key\"][`x y`].z == 1");

        assertThat(match.selector().path()).containsExactly("Service", "Meta", "my.key", "x y", "z");
    }

    @Test
    void valueInSelectorPutsTheSelectorOnTheRight() {
        Match match = (Match) FilterExpression.parse("\"primary\" in Service.Tags");

        assertThat(match.selector().path()).containsExactly("Service", "Tags");
        assertThat(match.operator()).isEqualTo(Operator.IN);
        assertThat(match.value().text()).isEqualTo("primary");
    }

    @Test
    void keywordsAreCaseSensitive() {
        assertThatThrownBy(() -> FilterExpression.parse("a == 1 AND b == 2"))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage("Failed to create boolean expression evaluator: 1:8 (7): no match found, "
                        + "expected: \"and\", \"or\", [ \\t\\r\\n] or EOF");
        assertThatThrownBy(() -> FilterExpression.parse("Tags IS EMPTY")).isInstanceOf(FilterSyntaxException.class);
    }

    /** Malformed filter text, where the error is reported, and what the message says there. */
    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("", 0, "1:1 (0): empty filter expression"),
                arguments(" \t\n ", 0, "1:1 (0): empty filter expression"),
                arguments("(a == 1", 7, "1:8 (7): Unmatched parentheses: \"(\" at 1:1 (0) is not closed"),
                arguments("((a == 1) and b == 2", 20,
                        "1:21 (20): Unmatched parentheses: \"(\" at 1:1 (0) is not closed"),
                arguments("a == 1)", 6, "1:7 (6): no match found, expected: \"and\", \"or\", [ \\t\\r\\n] or EOF"),
                arguments("(a == 1 b == 2)", 8,
                        "1:9 (8): no match found, expected: \")\", \"and\", \"or\" or [ \\t\\r\\n]"),
                arguments("a ==", 4, "1:5 (4): no match found, expected: [ \\t\\r\\n] or value"),
                arguments("a", 1, "1:2 (1): no match found, expected: \"!=\", \"==\", \"contains\", \"in\", \"is\", "
                        + "\"matches\", \"not\" or [ \\t\\r\\n]"),
                arguments("a = 1", 2, "1:3 (2): no match found, expected: \"!=\", \"==\", \"contains\", \"in\", "
                        + "\"is\", \"matches\", \"not\" or [ \\t\\r\\n]"),
                arguments("a === 1", 4, "1:5 (4): no match found, expected: [ \\t\\r\\n] or value"),
                arguments("Service.Meta foo", 13, "1:14 (13): no match found, expected: \"!=\", \"==\", \"contains\", "
                        + "\"in\", \"is\", \"matches\", \"not\" or [ \\t\\r\\n]"),
                arguments("a is full", 5, "1:6 (5): no match found, expected: \"empty\", \"not\" or [ \\t\\r\\n]"),
                arguments("a == \"abc", 5, "1:6 (5): Unterminated string literal"),
                arguments("a == `abc", 5, "1:6 (5): Unterminated string literal"),
                arguments("a == \"abc\\\"", 5, "1:6 (5): Unterminated string literal"),
                arguments("a == \"bad \\q escape\"", 10, "1:11 (10): Invalid escape sequence \\q in string literal"),
                arguments("a == \"\\xZZ\"", 6, "1:7 (6): Invalid escape sequence \\xZ in string literal"),
                arguments("a == \"\\'\"", 6, "1:7 (6): Invalid escape sequence \\' in string literal"),
                arguments("a == 1 b", 7, "1:8 (7): no match found, expected: \"and\", \"or\", [ \\t\\r\\n] or EOF"),
                arguments("a == 1 and", 10,
                        "1:11 (10): no match found, expected: \"(\", \"not\", [ \\t\\r\\n], selector or value"),
                arguments("a == 1 or", 9,
                        "1:10 (9): no match found, expected: \"(\", \"not\", [ \\t\\r\\n], selector or value"),
                arguments("and a == 1", 4, "1:5 (4): no match found, expected: \"!=\", \"==\", \"contains\", \"in\", "
                        + "\"is\", \"matches\", \"not\" or [ \\t\\r\\n]"),
                arguments("not", 3, "1:4 (3): no match found, expected: \"!=\", \"(\", \"==\", \"contains\", \"in\", "
                        + "\"is\", \"matches\", \"not\", [ \\t\\r\\n], selector or value"),
                arguments("()", 1,
                        "1:2 (1): no match found, expected: \"(\", \"not\", [ \\t\\r\\n], selector or value"),
                arguments("a matches \"(\"", 10,
                        "1:11 (10): Failed to compile regular expression \"(\": Unclosed group near index 1"),
                arguments("a not matches \"[a-\"", 14,
                        "1:15 (14): Failed to compile regular expression \"[a-\": "
                                + "Illegal character range near index 3"),
                arguments("a == 12abc", 7, "1:8 (7): Invalid number literal"),
                arguments("a == 1.5.2", 8, "1:9 (8): Invalid number literal"),
                arguments("a == 01", 6, "1:7 (6): Invalid number literal"),
                arguments("\"x\" in 5", 7, "1:8 (7): Invalid selector: expected a selector after \"in\""),
                arguments("\"x\" not in \"Tags\"", 11,
                        "1:12 (11): Invalid selector: expected a selector after \"not in\""),
                arguments("Meta[foo] == 1", 5, "1:6 (5): Invalid index: expected a quoted map key after \"[\""),
                arguments("Meta[\"foo\" == 1", 11, "1:12 (11): Unclosed index expression: expected \"]\""),
                arguments("\"/Service/Meta\" == x", 16, "1:17 (16): no match found, expected: \"in\", \"not\" or "
                        + "[ \\t\\r\\n]"),
                arguments("any Checks as c { c.Status == passing }", 4, "1:5 (4): no match found, expected: \"!=\", "
                        + "\"==\", \"contains\", \"in\", \"is\", \"matches\", \"not\" or [ \\t\\r\\n]"),
                arguments("a == 1 and\nb = 2", 13, "2:3 (13): no match found, expected: \"!=\", \"==\", \"contains\", "
                        + "\"in\", \"is\", \"matches\", \"not\" or [ \\t\\r\\n]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refusesMalformedTextNamingWhere(String filter, int offset, String message) {
        FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class,
                () -> FilterExpression.parse(filter));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("Failed to create boolean expression evaluator: " + message);
        assertThat(e.offset()).isEqualTo(offset);
    }

    @Test
    void theErrorGivesLineAndColumnInCharactersAsWellAsTheOffset() {
        FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class,
                () -> FilterExpression.parse("a == \"é\" and\n  \"😀\" == 1"));

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(7);
        assertThat(e.offset()).isEqualTo(20);
        assertThat(e.reason()).startsWith("no match found, expected: ");
        assertThat(e.getMessage()).doesNotContain("\n");
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void refusesNestingBeyondALimitInsteadOfOverflowingTheStack() {
        String deep = "(".repeat(5000) + "a == 1" + ")".repeat(5000);
        String manyNots = "not ".repeat(5000) + "a == 1";

        assertThatThrownBy(() -> FilterExpression.parse(deep)).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("nested more than 100 levels");
        assertThatThrownBy(() -> FilterExpression.parse(manyNots)).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("nested more than 100 levels");
        assertThat(FilterExpression.parse("(".repeat(50) + "a == 1" + ")".repeat(50))).hasToString("a == \"1\"");
    }

    @Test
    void aLongChainIsOneFlatTermList() {
        String filter = String.join(" or ", java.util.Collections.nCopies(20_000, "a == 1"));

        FilterExpression expression = FilterExpression.parse(filter);

        assertThat(expression).isInstanceOf(Or.class);
        assertThat(((Or) expression).terms()).hasSize(20_000);
        assertThat(expression.matches(path -> FieldValue.of(2))).isFalse();
    }

    @Test
    void parsingNullIsAProgrammingError() {
        assertThatThrownBy(() -> FilterExpression.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theTreeIsImmutable() {
        Or or = (Or) FilterExpression.parse("a == 1 or b == 2");

        assertThatThrownBy(() -> or.terms().add(or)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(((Match) or.terms().get(0)).selector().path()).isEqualTo(List.of("a"));
    }
}
