package dev.beacon.api.filter;

/**
 * A {@code ?filter=} Beacon refuses: malformed text, or (after {@link FilterExpression#validate}) a selector,
 * operator or value the endpoint's data cannot answer. The message is the single line Consul answers with, so an
 * endpoint can hand it to the client as the 400 body unchanged. Like {@code ApiException} it carries no stack
 * trace: it reports a client's mistake, not a fault in Beacon.
 */
public final class FilterSyntaxException extends RuntimeException {
    private static final String PREFIX = "Failed to create boolean expression evaluator: ";

    private final String reason;
    private final int offset;
    private final int line;
    private final int column;

    private FilterSyntaxException(String message, String reason, Position position) {
        super(message, null, false, false);
        this.reason = reason;
        this.offset = position.offset();
        this.line = position.line();
        this.column = position.column();
    }

    /** A syntax error: the message names the place as go-bexpr does, {@code line:column (offset): reason}. */
    static FilterSyntaxException at(Position position, String reason) {
        return new FilterSyntaxException(PREFIX + position + ": " + reason, reason, position);
    }

    /**
     * A well-formed filter the endpoint's schema refuses. Consul's message for these carries no position, so
     * clients that look for {@code "Selector ... is not valid"} find the same words; where the offending match
     * expression starts is still available from the accessors.
     */
    static FilterSyntaxException invalid(Position position, String reason) {
        return new FilterSyntaxException(PREFIX + reason, reason, position);
    }

    /** What is wrong, without Consul's prefix and without the position. */
    public String reason() {
        return reason;
    }

    /** 0-based index into the filter text (a Java {@code char} index, for {@code substring}). */
    public int offset() {
        return offset;
    }

    /** 1-based line of {@link #offset()}. */
    public int line() {
        return line;
    }

    /** 1-based column of {@link #offset()}, counted in characters (code points) as go-bexpr counts runes. */
    public int column() {
        return column;
    }
}
