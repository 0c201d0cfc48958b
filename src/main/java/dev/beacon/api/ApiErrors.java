package dev.beacon.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.NoSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error leaves as a status and a one-line plain-text message, as Consul's do; never a stack trace.
 * Unexpected failures are logged here with their stack trace and answered with their message only.
 */
@RestControllerAdvice
class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<String> api(ApiException e) {
        return text(e.status(), e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
        return text(HttpStatus.METHOD_NOT_ALLOWED, "method " + e.getMethod() + " not allowed");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<String> notFound(NoResourceFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> other(Exception e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ApiException api) {
            return api(api);
        }
        if (cause instanceof NoSpaceException) {
            return text(HttpStatus.INSUFFICIENT_STORAGE, cause.getMessage());
        }
        if (cause instanceof NoLeaderException || cause instanceof TimeoutException) {
            return text(HttpStatus.INTERNAL_SERVER_ERROR, "No cluster leader");
        }
        log.error("Request failed", cause);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return text(HttpStatus.INTERNAL_SERVER_ERROR, message.lines().findFirst().orElse(""));
    }

    private static ResponseEntity<String> text(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
    }
}
