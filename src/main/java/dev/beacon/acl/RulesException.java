package dev.beacon.acl;

/** Rules text that is not valid: the message is one line and says where, e.g. {@code line 3, column 12: ...}. */
public class RulesException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Long values are cut in messages so that one bad line cannot flood a log or a response. */
    private static final int QUOTE_LIMIT = 60;

    public RulesException(String message) {
        super(message);
    }

    static RulesException at(int line, int column, String message) {
        return new RulesException("line " + line + ", column " + column + ": " + message);
    }

    static RulesException atLine(int line, String message) {
        return new RulesException("line " + line + ": " + message);
    }

    /** The first line of {@code message}, with any other control character made a space. */
    static String oneLine(String message) {
        int newline = message.indexOf('\n');
        StringBuilder out = new StringBuilder(newline < 0 ? message : message.substring(0, newline));
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                out.setCharAt(i, ' ');
            }
        }
        return out.toString().strip();
    }

    /** {@code text} in double quotes, escaped so that the message stays on one line. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        int end = Math.min(text.length(), QUOTE_LIMIT);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (end < text.length()) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
