package dev.beacon.api.filter;

import java.util.List;
import java.util.stream.Collectors;

/** {@code a or b or c}, kept as one list so a long chain is evaluated in a loop, not a deep recursion. */
record Or(List<FilterExpression> terms) implements FilterExpression {

    Or {
        terms = List.copyOf(terms);
    }

    @Override
    public boolean matches(FieldSource source) {
        for (FilterExpression term : terms) {
            if (term.matches(source)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void validate(SelectorSchema schema) {
        terms.forEach(term -> term.validate(schema));
    }

    @Override
    public String toString() {
        return terms.stream().map(Object::toString).collect(Collectors.joining(" or ", "(", ")"));
    }
}
