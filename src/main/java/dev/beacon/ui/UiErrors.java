package dev.beacon.ui;

import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors on UI pages become pages: a friendly 404 for a missing service, node or key, and a short message for
 * anything else; never a stack trace. Ordered before the API's plain-text handler, which would otherwise answer.
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
    ModelAndView notFound(UiNotFound e) {
        ModelAndView page = layout.view("not-found", false, "Not found", "", null);
        page.setStatus(HttpStatus.NOT_FOUND);
        page.addObject("what", e.what());
        page.addObject("name", e.name());
        page.addObject("backHref", e.backHref());
        page.addObject("backLabel", e.backLabel());
        return page;
    }

    @ExceptionHandler({UiBadRequest.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class})
    ModelAndView badRequest(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "That request could not be understood: "
                + (e instanceof UiBadRequest ? e.getMessage() : "a parameter is missing or malformed") + ".");
    }

    @ExceptionHandler(UiForbidden.class)
    ModelAndView forbidden(UiForbidden e) {
        return error(HttpStatus.FORBIDDEN, "This change was sent from a page of another site, so it was refused. "
                + "Make changes from Beacon's own pages.");
    }

    @ExceptionHandler(Exception.class)
    ModelAndView other(Exception e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof UiNotFound notFound) {
            return notFound(notFound);
        }
        if (cause instanceof UiBadRequest bad) {
            return badRequest(bad);
        }
        if (cause instanceof UiForbidden forbidden) {
            return forbidden(forbidden);
        }
        log.error("UI request failed", cause);
        return error(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong while loading this page. Try again in a moment; the server log has details.");
    }

    private ModelAndView error(HttpStatus status, String message) {
        String title = switch (status) {
            case BAD_REQUEST -> "Bad request";
            case FORBIDDEN -> "Refused";
            default -> "Error";
        };
        ModelAndView page = layout.view("error-page", false, title, "", null);
        page.setStatus(status);
        page.addObject("status", status.value());
        page.addObject("message", message);
        return page;
    }
}
