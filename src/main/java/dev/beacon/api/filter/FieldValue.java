package dev.beacon.api.filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a {@link FieldSource} answers for one selector: the value in the shape go-bexpr would see it through Go
 * reflection. The shape decides what each operator means (see {@link FilterExpression}), so an endpoint picks the
 * factory matching the JSON it renders: {@code Port} is {@link #of(long)}, not a string.
 *
 * <p>A {@code null} string, collection or map is read as Go's zero value (empty), because Beacon's records use null
 * where Consul's structs hold {@code ""} or a nil map. The collections are read as given, not copied: a value lives
 * only for the one evaluation that asked for it.
 */
public sealed interface FieldValue {

    /** The selector names a map key that is not there. Every operator has a fixed answer for it. */
    static FieldValue missing() {
        return Missing.INSTANCE;
    }

    static FieldValue of(String value) {
        return new Text(value == null ? "" : value);
    }

    static FieldValue of(long value) {
        return new Int(value);
    }

    static FieldValue of(double value) {
        return new Decimal(value);
    }

    static FieldValue of(boolean value) {
        return new Bool(value);
    }

    /** A list (or set) of strings, such as {@code Service.Tags}: {@code in} tests membership. */
    static FieldValue of(Collection<String> values) {
        return new TextList(values == null ? List.of() : values);
    }

    /** A map selected as a whole, such as {@code Service.Meta}: {@code in} tests its keys. */
    static FieldValue of(Map<String, ?> entries) {
        return new Keys(entries == null ? Map.of() : entries);
    }

    /**
     * A field of a list of structs, such as {@code Checks.Status}: one value per element. An operator holds when it
     * holds for any element, so it never holds for an empty list.
     */
    static FieldValue anyOf(List<FieldValue> values) {
        return new AnyOf(values);
    }

    /** {@link #anyOf(List)} from the elements themselves: {@code anyOf(checks, c -> FieldValue.of(c.name()))}. */
    static <T> FieldValue anyOf(Collection<T> elements, Function<? super T, FieldValue> field) {
        List<FieldValue> values = new ArrayList<>(elements.size());
        for (T element : elements) {
            values.add(field.apply(element));
        }
        return new AnyOf(values);
    }

    /** A list of structs selected as a whole, such as {@code Checks}: go-bexpr only asks whether it is empty. */
    static FieldValue structs(int count) {
        return new Structs(count);
    }

    enum Missing implements FieldValue {
        INSTANCE
    }

    record Text(String value) implements FieldValue {
    }

    record Int(long value) implements FieldValue {
    }

    record Decimal(double value) implements FieldValue {
    }

    record Bool(boolean value) implements FieldValue {
    }

    record TextList(Collection<String> values) implements FieldValue {
    }

    record Keys(Map<String, ?> entries) implements FieldValue {
    }

    record AnyOf(List<FieldValue> values) implements FieldValue {
    }

    record Structs(int count) implements FieldValue {
    }
}
