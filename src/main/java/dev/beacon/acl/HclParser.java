package dev.beacon.acl;

import java.util.ArrayList;
import java.util.List;

import dev.beacon.acl.HclLexer.Kind;
import dev.beacon.acl.HclLexer.Token;

/**
 * A strict parser for the part of HCL 1 that rule files use: {@code name = "string"}, {@code name = { ... }},
 * labelled blocks {@code name "label" { ... }} (quoted labels only), optional commas between items, comments and
 * heredocs. Lists, numbers and booleans are refused, since no rule takes one.
 */
final class HclParser {
    /** Deep enough for any rule file; bounds the recursion on hostile input. */
    static final int MAX_DEPTH = 32;

    private final HclLexer lexer;
    private Token token;

    private HclParser(String text) {
        this.lexer = new HclLexer(text);
        this.token = lexer.next();
    }

    static Node.Block parse(String text) {
        return new HclParser(text).body(0, null);
    }

    /** The items up to the '}' matching {@code opening}, or to the end of input at the top level. */
    private Node.Block body(int depth, Token opening) {
        List<Node.Entry> entries = new ArrayList<>();
        while (true) {
            if (token.kind() == Kind.END) {
                if (opening != null) {
                    throw error(token, "unexpected end of input, expected '}' to close the '{' of line "
                            + opening.line());
                }
                return new Node.Block(entries);
            }
            if (token.kind() == Kind.RIGHT_BRACE) {
                if (opening == null) {
                    throw error(token, "unexpected '}' with no block open");
                }
                advance();
                return new Node.Block(entries);
            }
            entries.add(item(depth));
            if (token.kind() == Kind.COMMA) {
                advance();
            }
        }
    }

    private Node.Entry item(int depth) {
        Token name = token;
        if (name.kind() != Kind.NAME && name.kind() != Kind.STRING) {
            throw error(name, "expected a name, found " + name.describe());
        }
        advance();
        // Labels must be quoted (HCL would take bare words too), so that a forgotten '=' is caught on its line.
        List<Token> labels = new ArrayList<>();
        while (token.kind() == Kind.STRING) {
            labels.add(token);
            advance();
        }
        if (labels.isEmpty()) {
            if (token.kind() == Kind.EQUALS) {
                advance();
                return new Node.Entry(name.text(), name.line(), value(depth));
            }
            if (token.kind() == Kind.LEFT_BRACE) {
                return new Node.Entry(name.text(), name.line(), block(depth));
            }
            throw error(token, "expected '=' or '{' after " + RulesException.quote(name.text()) + ", found "
                    + token.describe());
        }
        Token last = labels.get(labels.size() - 1);
        if (token.kind() == Kind.EQUALS) {
            throw error(token, "expected '{' after " + RulesException.quote(last.text())
                    + " (a labelled block takes no '=')");
        }
        if (token.kind() != Kind.LEFT_BRACE) {
            // The usual cause is a missing '=': policy "read" reads as a block labelled "read".
            Token at = labels.size() == 1 ? labels.get(0) : token;
            String after = labels.size() == 1 ? "'=' or '{' after " + RulesException.quote(name.text())
                    : "'{' after " + RulesException.quote(last.text());
            throw error(at, "expected " + after);
        }
        if (depth + labels.size() >= MAX_DEPTH) {
            throw error(last, "blocks nested deeper than " + MAX_DEPTH + " levels");
        }
        Node inner = block(depth + labels.size());
        for (int i = labels.size() - 1; i >= 0; i--) {
            Token label = labels.get(i);
            inner = new Node.Block(List.of(new Node.Entry(label.text(), label.line(), inner)));
        }
        return new Node.Entry(name.text(), name.line(), inner);
    }

    private Node value(int depth) {
        if (token.kind() == Kind.STRING) {
            Node.Text text = new Node.Text(token.text(), token.line());
            advance();
            return text;
        }
        if (token.kind() == Kind.LEFT_BRACE) {
            return block(depth);
        }
        throw error(token, "expected a quoted string or '{' after '=', found " + token.describe());
    }

    private Node.Block block(int depth) {
        Token opening = token;
        if (depth + 1 >= MAX_DEPTH) {
            throw error(opening, "blocks nested deeper than " + MAX_DEPTH + " levels");
        }
        advance();
        return body(depth + 1, opening);
    }

    private void advance() {
        token = lexer.next();
    }

    private static RulesException error(Token at, String message) {
        return RulesException.at(at.line(), at.column(), message);
    }
}
