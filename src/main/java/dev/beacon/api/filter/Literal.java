package dev.beacon.api.filter;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The value side of a match expression, converted once at parse time to every type a field may have, because
 * go-bexpr compares after coercing the text to the field's type ({@code Port == "8080"} matches port 8080) and a
 * filter is evaluated against many items. A conversion that fails is empty: such a value equals no field of that
 * type.
 */
final class Literal {
    /** Stands in for the value of {@code is empty} and {@code is not empty}, which take none. */
    static final Literal NONE = new Literal("", null);

    private final String text;
    private final OptionalLong integer;
    private final OptionalDouble decimal;
    private final Optional<Boolean> bool;
    private final Pattern regex;

    private Literal(String text, Pattern regex) {
        this.text = text;
        this.integer = GoConversions.parseInt(text);
        this.decimal = GoConversions.parseFloat(text);
        this.bool = GoConversions.parseBool(text);
        this.regex = regex;
    }

    static Literal plain(String text) {
        return new Literal(text, null);
    }

    /**
     * A value for {@code matches}: compiled now so a bad pattern is refused with the request, not discovered per
     * item. java.util.regex stands in for Go's RE2; it accepts RE2's usual syntax (classes, anchors, repetition,
     * {@code (?i)}) and more.
     *
     * @throws java.util.regex.PatternSyntaxException for a pattern Java cannot compile
     */
    static Literal regex(String text) {
        return new Literal(text, Pattern.compile(text));
    }

    String text() {
        return text;
    }

    boolean convertsToInteger() {
        return integer.isPresent();
    }

    boolean convertsToDecimal() {
        return decimal.isPresent();
    }

    boolean convertsToBool() {
        return bool.isPresent();
    }

    boolean equalsField(FieldValue field) {
        if (field instanceof FieldValue.Text t) {
            return text.equals(t.value());
        }
        if (field instanceof FieldValue.Int n) {
            return integer.isPresent() && integer.getAsLong() == n.value();
        }
        if (field instanceof FieldValue.Decimal d) {
            return decimal.isPresent() && decimal.getAsDouble() == d.value();
        }
        return field instanceof FieldValue.Bool b && bool.isPresent() && bool.get() == b.value();
    }

    /** go-bexpr's {@code in}: a substring of a string, an element of a list, a key of a map. */
    boolean isIn(FieldValue field) {
        if (field instanceof FieldValue.Text t) {
            return t.value().contains(text);
        }
        if (field instanceof FieldValue.TextList list) {
            return list.values().contains(text);
        }
        return field instanceof FieldValue.Keys keys && keys.entries().containsKey(text);
    }

    /**
     * Go's {@code regexp.Match}: the pattern found anywhere in the string, unless it is anchored; within a bounded
     * number of steps ({@link BoundedText}).
     */
    boolean isFoundIn(FieldValue field) {
        return field instanceof FieldValue.Text t && regex.matcher(new BoundedText(t.value(), text)).find();
    }

    @Override
    public String toString() {
        return GoQuote.quote(text);
    }
}
