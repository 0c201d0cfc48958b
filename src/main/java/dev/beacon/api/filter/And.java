package dev.beacon.api.filter;

import java.util.List;
import java.util.stream.Collectors;

/** {@code a and b and c}, kept as one list so a long chain is evaluated in a loop, not a deep recursion. */
record And(List<FilterExpression> terms) implements FilterExpression {

    And {
        terms = List.copyOf(terms);
    }

    @Override
    public boolean matches(FieldSource source) {
        for (FilterExpression term : terms) {
            if (!term.matches(source)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void validate(SelectorSchema schema) {
        terms.forEach(term -> term.validate(schema));
    }

    @Override
    public String toString() {
        return terms.stream().map(Object::toString).collect(Collectors.joining(" and ", "(", ")"));
    }
}
