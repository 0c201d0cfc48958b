package dev.beacon.ui;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * Errors on UI pages become pages: a friendly 404 for a missing service, node or key, and a short message for
 * anything else; never a stack trace. /v1 never reaches it: the API pipeline answers its own errors.
 */
@ControllerAdvice(basePackageClasses = UiErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiErrors {
    private static final Logger log = LoggerFactory.getLogger(UiErrors.class);

    private final UiLayout layout;

    UiErrors(UiLayout layout) {
        this.layout = layout;
    }

    @ExceptionHandler(UiNotFound.class)
    Rendering notFound(UiNotFound e) {
        return layout.view("not-found", false, "Not found", "", null)
                .status(HttpStatus.NOT_FOUND)
                .modelAttribute("what", e.what())
                .modelAttribute("name", e.name())
                .modelAttribute("backHref", e.backHref())
                .modelAttribute("backLabel", e.backLabel())
                .build();
    }

    /**
     * A malformed or missing parameter: WebFlux reports one as a {@link ServerWebInputException} (a query
     * parameter that is not a number, a form field that does not bind, a required one that is absent).
     */
    @ExceptionHandler({UiBadRequest.class, ServerWebInputException.class})
    Rendering badRequest(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "That request could not be understood: "
                + (e instanceof UiBadRequest ? e.getMessage() : "a parameter is missing or malformed") + ".");
    }

    @ExceptionHandler(UiUnavailable.class)
    Rendering unavailable(UiUnavailable e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage() + ". Try again in a moment.");
    }

    @ExceptionHandler(UiDenied.class)
    Rendering denied(UiDenied e) {
        String on = e.on() == null ? "" : " on \u201c" + e.on() + "\u201d";
        return layout.view("denied", false, "Permission denied", "", null)
                .status(HttpStatus.FORBIDDEN)
                .modelAttribute("permission", e.permission() + on)
                .build();
    }

    @ExceptionHandler(UiForbidden.class)
    Rendering forbidden(UiForbidden e) {
        return error(HttpStatus.FORBIDDEN, "This change was sent from a page of another site, so it was refused. "
                + "Make changes from Beacon's own pages.");
    }

    /**
     * Any other refusal by WebFlux itself (a page asked for in a type other than HTML, say) keeps its status: it
     * is the client's doing, not a failure of this server.
     */
    @ExceptionHandler(ResponseStatusException.class)
    Rendering refused(ResponseStatusException e) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        return status == null ? other(e) : error(status, "That request could not be answered: "
                + status.getReasonPhrase().toLowerCase(Locale.ROOT) + ".");
    }

    @ExceptionHandler(Exception.class)
    Rendering other(Exception e) {
        log.error("UI request failed", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong while loading this page. Try again in a moment; the server log has details.");
    }

    private Rendering error(HttpStatus status, String message) {
        String title = switch (status) {
            case BAD_REQUEST -> "Bad request";
            case FORBIDDEN -> "Refused";
            default -> "Error";
        };
        return layout.view("error-page", false, title, "", null)
                .status(status)
                .modelAttribute("status", status.value())
                .modelAttribute("message", message)
                .build();
    }
}
