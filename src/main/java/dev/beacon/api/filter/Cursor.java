package dev.beacon.api.filter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lexical half of the parser: a position in the filter text, the tokens (keywords, selectors, strings,
 * numbers) and, for the error message, what was expected at the farthest position any attempt reached. That is
 * how a backtracking parser like go-bexpr's (a PEG) reports a failure: the furthest the input could be read is
 * where the mistake most likely is.
 */
final class Cursor {
    private static final String SPACE = "[ \\t\\r\\n]";
    private static final String END = "EOF";

    private final String text;
    private int pos;
    private int farthest;
    private final Set<String> expected = new TreeSet<>();

    Cursor(String text) {
        this.text = text;
    }

    int pos() {
        return pos;
    }

    /** Backtracks to an earlier position, to try the next alternative there. */
    void reset(int to) {
        pos = to;
    }

    boolean atEnd() {
        return pos == text.length();
    }

    Position position(int offset) {
        return new Position(text, offset);
    }

    /** Notes what would have let the parse go on here; only the farthest position's notes reach the message. */
    void expect(String what) {
        if (pos < farthest) {
            return;
        }
        if (pos > farthest) {
            farthest = pos;
            expected.clear();
        }
        expected.add(what);
    }

    /** Notes that the text should have ended here. */
    void expectEnd() {
        expect(END);
    }

    FilterSyntaxException error(int offset, String reason) {
        return FilterSyntaxException.at(position(offset), reason);
    }

    /** The failure of the whole parse, in go-bexpr's words: {@code no match found, expected: "==", ... or EOF}. */
    FilterSyntaxException noMatch() {
        List<String> names = new ArrayList<>(expected);
        if (names.remove(END)) {
            names.add(END);
        }
        String list = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return error(farthest, "no match found, expected: " + list);
    }

    /** Zero or more blanks; whitespace is optional everywhere a keyword or symbol is not glued to a name. */
    void skipSpace() {
        while (pos < text.length() && isSpace(text.charAt(pos))) {
            pos++;
        }
        expect(SPACE);
    }

    boolean symbol(String symbol) {
        if (text.startsWith(symbol, pos)) {
            pos += symbol.length();
            return true;
        }
        expect(GoQuote.quote(symbol));
        return false;
    }

    /** A keyword, which must not run on into a name: {@code notice} is a selector, not {@code not ice}. */
    boolean keyword(String word) {
        if (text.startsWith(word, pos) && !isNameChar(charAt(pos + word.length()))) {
            pos += word.length();
            return true;
        }
        expect(GoQuote.quote(word));
        return false;
    }

    boolean atName() {
        return isLetter(charAt(pos));
    }

    boolean atString() {
        char c = charAt(pos);
        return c == '"' || c == '`';
    }

    /** {@code Service.Meta["my.key"]}: names joined by dots, or map keys in brackets. Call only {@link #atName}. */
    Selector selector() {
        List<String> path = new ArrayList<>();
        path.add(name());
        while (true) {
            if (charAt(pos) == '.' && isLetter(charAt(pos + 1))) {
                pos++;
                path.add(name());
            } else if (charAt(pos) == '[') {
                path.add(index());
            } else {
                return new Selector(path);
            }
        }
    }

    /**
     * A number as go-bexpr reads one, kept as text since its meaning depends on the field it is compared with; null
     * (having read nothing) if no number starts here.
     */
    String number() {
        int start = pos;
        int p = pos;
        if (charAt(p) == '-') {
            p++;
        }
        if (charAt(p) == '0') {
            p++;
        } else if (charAt(p) >= '1' && charAt(p) <= '9') {
            while (isDigit(charAt(p))) {
                p++;
            }
        } else {
            return null;
        }
        if (charAt(p) == '.' && isDigit(charAt(p + 1))) {
            p += 2;
            while (isDigit(charAt(p))) {
                p++;
            }
        }
        if (p < text.length() && !isSpace(text.charAt(p)) && text.charAt(p) != ')') {
            throw error(p, "Invalid number literal");
        }
        pos = p;
        return text.substring(start, p);
    }

    /** A quoted string: {@code `raw`} as written (less carriage returns, as Go drops them), {@code "..."} unescaped. */
    String string() {
        int open = pos;
        char quote = text.charAt(pos++);
        if (quote == '`') {
            int close = text.indexOf('`', pos);
            if (close < 0) {
                throw error(open, "Unterminated string literal");
            }
            String raw = text.substring(pos, close);
            pos = close + 1;
            return raw.replace("\r", "");
        }
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                flush(bytes, out);
                return out.toString();
            }
            if (c != '\\') {
                flush(bytes, out);
                out.append(c);
            } else if (pos < text.length()) {
                escape(pos - 1, bytes, out);
            }
        }
        throw error(open, "Unterminated string literal");
    }

    /**
     * One of Go's escapes, the backslash at {@code at}. {@code \x} and octal escapes are bytes, and several of them
     * may spell one UTF-8 character ({@code "\xc3\xa9"} is é), so they gather in {@code bytes} until the next
     * character.
     */
    private void escape(int at, ByteArrayOutputStream bytes, StringBuilder out) {
        char e = text.charAt(pos++);
        if (e == 'x') {
            bytes.write(digits(at, 16, 2));
            return;
        }
        if (e >= '0' && e <= '7') {
            pos--;
            int value = digits(at, 8, 3);
            if (value > 255) {
                throw invalidEscape(at, pos);
            }
            bytes.write(value);
            return;
        }
        flush(bytes, out);
        switch (e) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case '\\', '"' -> out.append(e);
            case 'u', 'U' -> {
                int codePoint = digits(at, 16, e == 'u' ? 4 : 8);
                if (codePoint > Character.MAX_CODE_POINT
                        || codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                    throw invalidEscape(at, pos);
                }
                out.appendCodePoint(codePoint);
            }
            default -> throw invalidEscape(at, pos);
        }
    }

    private int digits(int escapeAt, int radix, int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            int digit = pos < text.length() ? Character.digit(text.charAt(pos), radix) : -1;
            if (digit < 0 || text.charAt(pos) > 'f') {
                throw invalidEscape(escapeAt, Math.min(pos + 1, text.length()));
            }
            value = value * radix + digit;
            pos++;
        }
        return value;
    }

    /** The escape from its backslash at {@code at} to the character that spoilt it, before {@code end}. */
    private FilterSyntaxException invalidEscape(int at, int end) {
        return error(at, "Invalid escape sequence " + text.substring(at, end) + " in string literal");
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private String name() {
        int start = pos;
        while (isNameChar(charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** {@code ["key"]}; go-bexpr accepts only a quoted string inside the brackets. */
    private String index() {
        pos++;
        skipSpace();
        if (!atString()) {
            throw error(pos, "Invalid index: expected a quoted map key after \"[\"");
        }
        String key = string();
        skipSpace();
        if (charAt(pos) != ']') {
            throw error(pos, "Unclosed index expression: expected \"]\"");
        }
        pos++;
        return key;
    }

    /** The character at {@code i}, or NUL past the end, so that look-ahead needs no bounds checks. */
    private char charAt(int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameChar(char c) {
        return isLetter(c) || isDigit(c) || c == '_';
    }
}
