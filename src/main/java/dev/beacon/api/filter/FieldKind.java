package dev.beacon.api.filter;

import java.util.EnumSet;
import java.util.Set;

/**
 * The Go types go-bexpr tells apart when it checks a filter against a data type, with the operators it allows on
 * each (from its field configuration): a string is never {@code is empty} there, a number only compared, a list of
 * structs only tested for emptiness.
 */
enum FieldKind {
    STRUCT(EnumSet.noneOf(Operator.class), "a struct"),
    STRING(EnumSet.of(Operator.EQUAL, Operator.NOT_EQUAL, Operator.IN, Operator.NOT_IN, Operator.MATCHES,
            Operator.NOT_MATCHES), "a string"),
    INTEGER(EnumSet.of(Operator.EQUAL, Operator.NOT_EQUAL), "an integer"),
    DECIMAL(EnumSet.of(Operator.EQUAL, Operator.NOT_EQUAL), "a number"),
    BOOLEAN(EnumSet.of(Operator.EQUAL, Operator.NOT_EQUAL), "a boolean"),
    STRING_LIST(EnumSet.of(Operator.IN, Operator.NOT_IN, Operator.IS_EMPTY, Operator.IS_NOT_EMPTY),
            "a list of strings"),
    MAP(EnumSet.of(Operator.IN, Operator.NOT_IN, Operator.IS_EMPTY, Operator.IS_NOT_EMPTY), "a map"),
    STRUCT_LIST(EnumSet.of(Operator.IS_EMPTY, Operator.IS_NOT_EMPTY), "a list of structs");

    private final Set<Operator> operators;
    private final String description;

    FieldKind(Set<Operator> operators, String description) {
        this.operators = operators;
        this.description = description;
    }

    boolean allows(Operator operator) {
        return operators.contains(operator);
    }

    /** Whether selectors may go on past a field of this kind. */
    boolean hasSubFields() {
        return this == STRUCT || this == MAP || this == STRUCT_LIST;
    }

    /** Whether {@code value} converts to this kind, as go-bexpr's coercion does before evaluating. */
    boolean accepts(Literal value) {
        return switch (this) {
            case INTEGER -> value.convertsToInteger();
            case DECIMAL -> value.convertsToDecimal();
            case BOOLEAN -> value.convertsToBool();
            default -> true;
        };
    }

    String description() {
        return description;
    }
}
