package dev.beacon.api.filter;

/** {@code not a}. */
record Not(FilterExpression operand) implements FilterExpression {

    @Override
    public boolean matches(FieldSource source) {
        return !operand.matches(source);
    }

    @Override
    public void validate(SelectorSchema schema) {
        operand.validate(schema);
    }

    @Override
    public String toString() {
        return "not " + operand;
    }
}
