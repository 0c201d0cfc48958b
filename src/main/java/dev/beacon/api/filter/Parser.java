package dev.beacon.api.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.PatternSyntaxException;

/**
 * The grammar half of the parser (see {@link FilterExpression} for the grammar): a recursive descent that tries
 * alternatives in go-bexpr's order and backtracks as its PEG does, so that the same texts parse the same way
 * ({@code not == 1} is a match on a field called {@code not}). A rule answers null when its alternatives fail;
 * only a mistake no alternative could get past (an unterminated string, a bad regex) throws at once.
 */
final class Parser {
    /** Deeper nesting than any hand-written filter has; the limit keeps a hostile one from exhausting the stack. */
    private static final int MAX_DEPTH = 100;

    private final Cursor in;
    private int depth;

    private Parser(String text) {
        this.in = new Cursor(text);
    }

    static FilterExpression parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw FilterSyntaxException.at(new Position(text, 0), "empty filter expression");
        }
        return new Parser(text).expression();
    }

    private FilterExpression expression() {
        in.skipSpace();
        FilterExpression expression = or();
        if (expression != null) {
            in.skipSpace();
            if (in.atEnd()) {
                return expression;
            }
            in.expectEnd();
        }
        throw in.noMatch();
    }

    private FilterExpression or() {
        List<FilterExpression> terms = chain("or", this::and);
        return terms == null ? null : terms.size() == 1 ? terms.get(0) : new Or(terms);
    }

    private FilterExpression and() {
        List<FilterExpression> terms = chain("and", this::not);
        return terms == null ? null : terms.size() == 1 ? terms.get(0) : new And(terms);
    }

    /** {@code operand (keyword operand)*}, stopping before a keyword that no operand follows. */
    private List<FilterExpression> chain(String keyword, Supplier<FilterExpression> operand) {
        FilterExpression first = operand.get();
        if (first == null) {
            return null;
        }
        List<FilterExpression> terms = new ArrayList<>();
        terms.add(first);
        while (true) {
            int mark = in.pos();
            in.skipSpace();
            FilterExpression next = null;
            if (in.keyword(keyword)) {
                in.skipSpace();
                next = operand.get();
            }
            if (next == null) {
                in.reset(mark);
                return terms;
            }
            terms.add(next);
        }
    }

    /** {@code not not a} is {@code a}, as go-bexpr simplifies it. */
    private FilterExpression not() {
        int start = in.pos();
        if (in.keyword("not")) {
            in.skipSpace();
            FilterExpression operand = nested(this::not);
            if (operand != null) {
                return operand instanceof Not inner ? inner.operand() : new Not(operand);
            }
            in.reset(start);
        }
        return group();
    }

    private FilterExpression group() {
        int open = in.pos();
        if (!in.symbol("(")) {
            return match();
        }
        in.skipSpace();
        FilterExpression inner = nested(this::or);
        if (inner == null) {
            return null;
        }
        in.skipSpace();
        if (in.symbol(")")) {
            return inner;
        }
        if (in.atEnd()) {
            throw in.error(in.pos(), "Unmatched parentheses: \"(\" at " + in.position(open) + " is not closed");
        }
        return null;
    }

    private FilterExpression nested(Supplier<FilterExpression> rule) {
        if (++depth > MAX_DEPTH) {
            throw in.error(in.pos(), "Expression nested more than " + MAX_DEPTH + " levels deep");
        }
        try {
            return rule.get();
        } finally {
            depth--;
        }
    }

    private Match match() {
        int start = in.pos();
        if (in.atName()) {
            Selector selector = in.selector();
            int afterSelector = in.pos();
            Match match = selectorOperatorValue(start, selector);
            if (match == null) {
                in.reset(afterSelector);
                match = selectorIsEmpty(start, selector);
            }
            if (match != null) {
                return match;
            }
            in.reset(start);
        } else {
            in.expect("selector");
        }
        return valueInSelector(start);
    }

    /** {@code Selector == Value}, {@code != contains matches}, and the {@code not} forms. */
    private Match selectorOperatorValue(int start, Selector selector) {
        in.skipSpace();
        Operator operator = selectorOperator();
        if (operator == null) {
            return null;
        }
        in.skipSpace();
        int valueAt = in.pos();
        String value = value();
        if (value == null) {
            return null;
        }
        return new Match(selector, operator, literal(operator, value, valueAt), in.position(start));
    }

    private Operator selectorOperator() {
        if (in.symbol("==")) {
            return Operator.EQUAL;
        }
        if (in.symbol("!=")) {
            return Operator.NOT_EQUAL;
        }
        if (in.keyword("contains")) {
            return Operator.IN;
        }
        if (in.keyword("matches")) {
            return Operator.MATCHES;
        }
        if (in.keyword("not")) {
            in.skipSpace();
            if (in.keyword("contains")) {
                return Operator.NOT_IN;
            }
            if (in.keyword("matches")) {
                return Operator.NOT_MATCHES;
            }
        }
        return null;
    }

    /** {@code Selector is empty}, {@code Selector is not empty}. */
    private Match selectorIsEmpty(int start, Selector selector) {
        in.skipSpace();
        if (!in.keyword("is")) {
            return null;
        }
        in.skipSpace();
        boolean negated = in.keyword("not");
        if (negated) {
            in.skipSpace();
        }
        if (!in.keyword("empty")) {
            return null;
        }
        return new Match(selector, negated ? Operator.IS_NOT_EMPTY : Operator.IS_EMPTY, Literal.NONE,
                in.position(start));
    }

    /** {@code Value in Selector}, {@code Value not in Selector}. */
    private Match valueInSelector(int start) {
        String value = value();
        if (value == null) {
            return null;
        }
        in.skipSpace();
        Operator operator = null;
        if (in.keyword("in")) {
            operator = Operator.IN;
        } else if (in.keyword("not")) {
            in.skipSpace();
            if (in.keyword("in")) {
                operator = Operator.NOT_IN;
            }
        }
        if (operator == null) {
            return null;
        }
        in.skipSpace();
        if (!in.atName()) {
            throw in.error(in.pos(), "Invalid selector: expected a selector after \""
                    + (operator == Operator.IN ? "in" : "not in") + "\"");
        }
        return new Match(in.selector(), operator, Literal.plain(value), in.position(start));
    }

    /** A value's text; a bare selector stands for its own dotted text, as in go-bexpr. */
    private String value() {
        if (in.atName()) {
            return in.selector().toString();
        }
        if (in.atString()) {
            return in.string();
        }
        String number = in.number();
        if (number == null) {
            in.expect("value");
        }
        return number;
    }

    private Literal literal(Operator operator, String value, int valueAt) {
        if (operator != Operator.MATCHES && operator != Operator.NOT_MATCHES) {
            return Literal.plain(value);
        }
        try {
            return Literal.regex(value);
        } catch (PatternSyntaxException e) {
            String near = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
            throw in.error(valueAt, "Failed to compile regular expression " + GoQuote.quote(value) + ": "
                    + e.getDescription() + near);
        }
    }
}
