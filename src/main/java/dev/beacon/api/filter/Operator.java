package dev.beacon.api.filter;

/**
 * go-bexpr's match operators. {@code Value in Selector} and {@code Selector contains Value} are one operator, as
 * in go-bexpr: both ask whether the field holds the value.
 */
enum Operator {
    EQUAL("==", "Equal"),
    NOT_EQUAL("!=", "Not Equal"),
    IN("contains", "In"),
    NOT_IN("not contains", "Not In"),
    IS_EMPTY("is empty", "Is Empty"),
    IS_NOT_EMPTY("is not empty", "Is Not Empty"),
    MATCHES("matches", "Matches"),
    NOT_MATCHES("not matches", "Not Matches");

    private final String symbol;
    private final String goName;

    Operator(String symbol, String goName) {
        this.symbol = symbol;
        this.goName = goName;
    }

    /** How the operator reads in a canonical {@code Selector op Value} rendering. */
    String symbol() {
        return symbol;
    }

    /** go-bexpr's name for the operator, as its validation messages quote it. */
    String goName() {
        return goName;
    }

    boolean negated() {
        return this == NOT_EQUAL || this == NOT_IN || this == IS_NOT_EMPTY || this == NOT_MATCHES;
    }

    boolean takesValue() {
        return this != IS_EMPTY && this != IS_NOT_EMPTY;
    }

    /**
     * The answer for a map key that is not there: nothing equals, contains or matches it, and it is empty. The
     * negated forms answer the opposite (go-bexpr's "not present disposition").
     */
    boolean whenMissing() {
        boolean emptiness = this == IS_EMPTY || this == IS_NOT_EMPTY;
        return emptiness != negated();
    }

    /**
     * The positive form of the operator on a present, single value; {@link Match} negates it. Shapes the operator
     * does not apply to answer false, so that without a schema a mismatched filter selects nothing rather than
     * failing the request.
     */
    boolean holds(FieldValue field, Literal value) {
        return switch (this) {
            case EQUAL, NOT_EQUAL -> value.equalsField(field);
            case IN, NOT_IN -> value.isIn(field);
            case IS_EMPTY, IS_NOT_EMPTY -> isEmpty(field);
            case MATCHES, NOT_MATCHES -> value.isFoundIn(field);
        };
    }

    private static boolean isEmpty(FieldValue field) {
        if (field instanceof FieldValue.Text text) {
            return text.value().isEmpty();
        }
        if (field instanceof FieldValue.TextList list) {
            return list.values().isEmpty();
        }
        if (field instanceof FieldValue.Keys keys) {
            return keys.entries().isEmpty();
        }
        return field instanceof FieldValue.Structs structs && structs.count() == 0;
    }
}
