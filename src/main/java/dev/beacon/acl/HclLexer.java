package dev.beacon.acl;

import java.util.ArrayList;
import java.util.List;

/** Splits HCL text into tokens, remembering where each starts for error messages. */
final class HclLexer {

    enum Kind { NAME, STRING, LEFT_BRACE, RIGHT_BRACE, EQUALS, COMMA, END }

    /** A token; {@code text} is the name or the string's value (escapes resolved). */
    record Token(Kind kind, String text, int line, int column) {
        /** How the token reads in an error message. */
        String describe() {
            switch (kind) {
                case NAME:
                    return text;
                case STRING:
                    return RulesException.quote(text);
                case LEFT_BRACE:
                    return "'{'";
                case RIGHT_BRACE:
                    return "'}'";
                case EQUALS:
                    return "'='";
                case COMMA:
                    return "','";
                default:
                    return "end of input";
            }
        }
    }

    private static final String UNTERMINATED = "unterminated string, expected '\"' before the end of the line";

    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    HclLexer(String text) {
        this.text = text;
    }

    Token next() {
        skipBlanksAndComments();
        int startLine = line;
        int column = column();
        if (pos >= text.length()) {
            return new Token(Kind.END, "", startLine, column);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return single(Kind.LEFT_BRACE, column);
            case '}':
                return single(Kind.RIGHT_BRACE, column);
            case '=':
                return single(Kind.EQUALS, column);
            case ',':
                return single(Kind.COMMA, column);
            case '"':
                return new Token(Kind.STRING, quoted(startLine, column), startLine, column);
            default:
                break;
        }
        if (text.startsWith("<<", pos)) {
            return new Token(Kind.STRING, heredoc(startLine, column), startLine, column);
        }
        if (isNameStart(c)) {
            int start = pos;
            while (pos < text.length() && isNamePart(text.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.NAME, text.substring(start, pos), startLine, column);
        }
        throw RulesException.at(startLine, column, "unexpected character " + RulesException.quote(String.valueOf(c)));
    }

    private Token single(Kind kind, int column) {
        pos++;
        return new Token(kind, "", line, column);
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private void skipBlanksAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                newline();
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\uFEFF') {
                pos++;
            } else if (c == '#' || text.startsWith("//", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (text.startsWith("/*", pos)) {
                blockComment();
            } else {
                return;
            }
        }
    }

    private void blockComment() {
        int startLine = line;
        int column = column();
        int end = text.indexOf("*/", pos + 2);
        if (end < 0) {
            throw RulesException.at(startLine, column, "unterminated comment, expected */");
        }
        while (pos < end + 2) {
            if (text.charAt(pos) == '\n') {
                newline();
            } else {
                pos++;
            }
        }
    }

    private void newline() {
        pos++;
        line++;
        lineStart = pos;
    }

    private String quoted(int startLine, int column) {
        pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw RulesException.at(startLine, column, UNTERMINATED);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return value.toString();
            }
            if (c == '\\') {
                escape(value);
            } else {
                value.append(c);
                pos++;
            }
        }
    }

    private void escape(StringBuilder value) {
        int column = column();
        if (pos + 1 >= text.length()) {
            throw RulesException.at(line, column, UNTERMINATED);
        }
        char c = text.charAt(pos + 1);
        pos += 2;
        switch (c) {
            case 'n':
                value.append('\n');
                return;
            case 't':
                value.append('\t');
                return;
            case 'r':
                value.append('\r');
                return;
            case '"':
            case '\\':
            case '/':
                value.append(c);
                return;
            case 'u':
                value.appendCodePoint(hex(4, column));
                return;
            case 'U':
                value.appendCodePoint(hex(8, column));
                return;
            default:
                String escape = RulesException.quote("\\" + c);
                throw RulesException.at(line, column, "unknown escape " + escape + " in string");
        }
    }

    private int hex(int digits, int column) {
        if (pos + digits > text.length()) {
            throw RulesException.at(line, column, "escape needs " + digits + " hexadecimal digits");
        }
        int codePoint = 0;
        for (int i = 0; i < digits; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw RulesException.at(line, column, "escape needs " + digits + " hexadecimal digits");
            }
            codePoint = codePoint * 16 + digit;
            if (codePoint > Character.MAX_CODE_POINT) {
                throw RulesException.at(line, column, "escape is not a Unicode code point");
            }
        }
        pos += digits;
        return codePoint;
    }

    /**
     * {@code <<EOF} up to a line that is just {@code EOF}; with {@code <<-EOF} the end marker may be indented and
     * the lines lose the indentation they all share. Each line keeps its newline, as in HCL.
     */
    private String heredoc(int startLine, int column) {
        pos += 2;
        boolean indented = pos < text.length() && text.charAt(pos) == '-';
        if (indented) {
            pos++;
        }
        int markerStart = pos;
        if (pos < text.length() && isNameStart(text.charAt(pos))) {
            while (pos < text.length() && isNamePart(text.charAt(pos))) {
                pos++;
            }
        }
        String marker = text.substring(markerStart, pos);
        if (marker.isEmpty()) {
            throw RulesException.at(startLine, column, "expected a heredoc marker such as EOF after <<");
        }
        if (pos < text.length() && text.charAt(pos) == '\r') {
            pos++;
        }
        if (pos >= text.length() || text.charAt(pos) != '\n') {
            throw RulesException.at(line, column(), "expected the end of the line after the heredoc marker " + marker);
        }
        newline();
        List<String> lines = new ArrayList<>();
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos);
            int lineEnd = end < 0 ? text.length() : end;
            String content = text.substring(pos, lineEnd);
            if (content.endsWith("\r")) {
                content = content.substring(0, content.length() - 1);
            }
            String candidate = indented ? content.strip() : content.stripTrailing();
            if (candidate.equals(marker)) {
                pos = lineEnd;
                return join(indented ? unindent(lines) : lines);
            }
            lines.add(content);
            pos = lineEnd;
            if (end >= 0) {
                newline();
            }
        }
        throw RulesException.at(startLine, column, "unterminated heredoc, expected a line with " + marker);
    }

    private static List<String> unindent(List<String> lines) {
        int common = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                common = Math.min(common, leadingBlanks(l));
            }
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(common));
        }
        return out;
    }

    private static int leadingBlanks(String l) {
        int i = 0;
        while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static String join(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l).append('\n');
        }
        return out.toString();
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }
}
