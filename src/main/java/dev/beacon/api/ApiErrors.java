package dev.beacon.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.NoSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The one mapping from a failure to an answer: a status and a one-line plain-text message, as Consul's are;
 * never a stack trace. Unexpected failures are logged here with their stack trace and answered with their
 * message only.
 */
final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    static ApiResponse answer(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return ApiResponse.text(api.status().value(), api.getMessage());
        }
        if (cause instanceof NoSpaceException) {
            return ApiResponse.text(HttpStatus.INSUFFICIENT_STORAGE.value(), cause.getMessage());
        }
        if (cause instanceof NoLeaderException || cause instanceof TimeoutException) {
            return ApiResponse.text(HttpStatus.INTERNAL_SERVER_ERROR.value(), "No cluster leader");
        }
        log.error("Request failed", cause);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return ApiResponse.text(HttpStatus.INTERNAL_SERVER_ERROR.value(), message.lines().findFirst().orElse(""));
    }
}
