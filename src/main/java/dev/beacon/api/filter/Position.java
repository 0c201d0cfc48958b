package dev.beacon.api.filter;

/**
 * A place in the filter text. Line and column are worked out only when asked, which is when an error is being
 * reported, so a parse pays nothing for the match expressions that turn out fine.
 */
record Position(String text, int offset) {

    /** 1-based. */
    int line() {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** 1-based, counted in code points as go-bexpr counts runes. */
    int column() {
        int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        return text.codePointCount(lineStart, offset) + 1;
    }

    /** go-bexpr's form, {@code line:column (offset)}. */
    @Override
    public String toString() {
        return line() + ":" + column() + " (" + offset + ")";
    }
}
