package dev.beacon.api.filter;

import java.util.Objects;

/**
 * One match expression, such as {@code Service.Port == 8080}. It keeps where it starts in the filter text so that
 * a schema can point at the match it refuses.
 */
record Match(Selector selector, Operator operator, Literal value, Position position) implements FilterExpression {

    @Override
    public boolean matches(FieldSource source) {
        return test(Objects.requireNonNull(source.get(selector.path()),
                "a FieldSource answers FieldValue.missing(), not null"));
    }

    /**
     * A missing key has a fixed answer per operator; a field of a list of structs matches when any element does,
     * with the operator as written (so {@code Checks.Status != passing} asks for some check that is not passing).
     */
    private boolean test(FieldValue field) {
        if (field == FieldValue.missing()) {
            return operator.whenMissing();
        }
        if (field instanceof FieldValue.AnyOf any) {
            for (FieldValue element : any.values()) {
                if (test(element)) {
                    return true;
                }
            }
            return false;
        }
        return operator.holds(field, value) != operator.negated();
    }

    @Override
    public void validate(SelectorSchema schema) {
        schema.check(this);
    }

    @Override
    public String toString() {
        return operator.takesValue() ? selector + " " + operator.symbol() + " " + value
                : selector + " " + operator.symbol();
    }
}
