package dev.beacon.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.NoSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The one mapping from a failure to an answer: a status and a one-line plain-text message, as Consul's are;
 * never a stack trace. Cluster failures are logged as one WARN line per kind every ten seconds; unexpected failures
 * with their stack trace, once per kind in the same interval, and are answered with their message only.
 */
final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    private static final FailureLog FAILURES = new FailureLog(TimeUnit.SECONDS.toNanos(10));

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
        if (cause instanceof NoLeaderException) {
            warn("No cluster leader");
            return ApiResponse.text(HttpStatus.INTERNAL_SERVER_ERROR.value(), "No cluster leader");
        }
        if (cause instanceof ClusterUnavailableException) {
            warn(cause.getMessage());
            return ApiResponse.text(HttpStatus.INTERNAL_SERVER_ERROR.value(), cause.getMessage());
        }
        long leftOut = FAILURES.admit(cause.getClass().getName(), System.nanoTime());
        if (leftOut >= 0) {
            log.error("Request failed ({} more of this kind since the last report)", leftOut, cause);
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return ApiResponse.text(HttpStatus.INTERNAL_SERVER_ERROR.value(), message.lines().findFirst().orElse(""));
    }

    private static void warn(String kind) {
        long leftOut = FAILURES.admit(kind, System.nanoTime());
        if (leftOut >= 0) {
            log.warn("Requests failed: {} ({} more since the last report)", kind, leftOut);
        }
    }
}
