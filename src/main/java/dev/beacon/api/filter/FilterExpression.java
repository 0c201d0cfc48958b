package dev.beacon.api.filter;

/**
 * A parsed Consul {@code ?filter=} expression (HashiCorp go-bexpr): parse it once per request, then ask
 * {@link #matches} of each item. The tree is immutable, so one parse may serve several threads.
 *
 * <p><b>Grammar.</b> Consul pins go-bexpr v0.1.2, so this follows that version's grammar, not go-bexpr's later
 * one (which added JSON-pointer selectors {@code "/a/b"}, {@code any}/{@code all} collection expressions and
 * {@code is nil}; Consul refuses those, and so does Beacon).
 * <pre>
 * expression := or
 * or         := and ("or" and)*                      lowest precedence
 * and        := not ("and" not)*
 * not        := "not" not | "(" or ")" | match
 * match      := selector ("==" | "!=" | "contains" | "not contains" | "matches" | "not matches") value
 *             | selector "is" ["not"] "empty"
 *             | value ("in" | "not in") selector
 * selector   := identifier ("." identifier | "[" string "]")*     identifier: [a-zA-Z][a-zA-Z0-9_]*
 * value      := selector | number | string                        a bare selector is read as its own text
 * number     := "-"? ("0" | [1-9][0-9]*) ("." [0-9]+)?            followed by space, ")" or the end
 * string     := "..." with Go escapes | `...` raw
 * </pre>
 * Keywords are case-sensitive and are not reserved: {@code not == 1} compares a field called {@code not}.
 * Two deliberate departures, both accepting what go-bexpr refuses and never changing what it accepts: a keyword
 * needs no space next to a parenthesis or a quote ({@code not(a == 1)}, {@code (a == 1)or(b == 2)}), and
 * {@code \"} inside a double-quoted string is an escaped quote (go-bexpr ends the string there and then fails).
 * One limit go-bexpr does not have: parentheses and {@code not} nest at most 100 deep, so that a hostile filter
 * cannot exhaust the stack.
 *
 * <p><b>Meaning.</b> Each operator looks at the {@link FieldValue} a {@link FieldSource} gives for the selector:
 * <ul>
 * <li>{@code ==} converts the value to the field's type first, with Go's rules: {@code Port == "8080"} and
 * {@code Port == 0x1F90} match port 8080, {@code EnableTagOverride == t} matches true. A value that does not
 * convert equals nothing.
 * <li>{@code in}/{@code contains}: a substring of a string field, an element of a list, a key of a map.
 * <li>{@code is empty}: an empty string, list or map, or a list of structs with no element.
 * <li>{@code matches}: a regular expression found anywhere in a string field.
 * <li>Every negated form is the opposite of its positive form on the same value.
 * <li>A map key that is not there: {@code ==}, {@code in}, {@code matches} and {@code is not empty} are false,
 * their negations and {@code is empty} true (go-bexpr's "not present" rule; v0.1.2 answered true for
 * {@code matches} there, a bug its later versions fixed, and Beacon follows the fix).
 * <li>A field of a list of structs ({@code Checks.Status} on a health result) holds for the item when it holds
 * for any element, operator as written: {@code Checks.Status != passing} is "some check is not passing", not
 * "no check is passing" (that is {@code not Checks.Status == passing}). With no element every such match is
 * false, including the negated ones. This is go-bexpr v0.1.2's reflection walk over slices.
 * <li>An operator that does not apply to the field's shape ({@code ==} on a list, {@code matches} on a number)
 * answers false, and its negation true. Consul refuses such a filter up front; {@link #validate} does the same
 * given the endpoint's {@link SelectorSchema}.
 * </ul>
 */
public sealed interface FilterExpression permits Or, And, Not, Match {

    /**
     * @throws FilterSyntaxException for malformed text, including an empty or blank one (a caller that treats
     *                               a blank {@code ?filter=} as no filter must check for it first, as Consul does)
     */
    static FilterExpression parse(String text) {
        return Parser.parse(text);
    }

    /** {@link #parse(String)} and then {@link #validate}: what a Consul endpoint does with its data type. */
    static FilterExpression parse(String text, SelectorSchema schema) {
        FilterExpression expression = parse(text);
        expression.validate(schema);
        return expression;
    }

    /** Whether the item seen through {@code source} is selected. */
    boolean matches(FieldSource source);

    /**
     * Checks every selector, operator and value against the fields an endpoint's items have, as Consul does before
     * reading anything: an unknown selector, an operator the field's type has no use for, or a value that does not
     * convert to the field's type is refused rather than silently matching nothing.
     *
     * @throws FilterSyntaxException with Consul's wording, such as {@code Selector "Service.Foo" is not valid}
     */
    void validate(SelectorSchema schema);
}
