package dev.beacon.api.filter;

import dev.beacon.api.ApiException;
import org.springframework.http.HttpStatus;

/**
 * A {@code matches} pattern that took too many steps on one value. Java's regular expressions backtrack (Go's RE2,
 * which Consul uses, does not), so a pattern such as {@code (a|aa)+$} can take exponential time; the evaluation
 * stops instead and the request is refused, rather than holding the thread that answers it.
 */
public final class CostlyRegexException extends ApiException {
    CostlyRegexException(String pattern, int steps) {
        super(HttpStatus.BAD_REQUEST, "Filter pattern " + GoQuote.quote(pattern) + " took more than " + steps
                + " steps on one value; simplify it");
    }
}
