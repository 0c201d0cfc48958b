package dev.beacon.ui;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.result.view.Rendering;

/**
 * The UI's redirects, with explicit statuses: WebFlux redirects with 303 by default, but a page that moved (a
 * bookmark of {@code /}) keeps answering 302 as it always has, and only a form post is answered with 303.
 */
final class UiRedirects {
    private UiRedirects() {
    }

    /** A page that lives at another address. */
    static Rendering found(String url) {
        return Rendering.redirectTo(url).status(HttpStatus.FOUND).build();
    }

    /** After a write: the browser loads the result with a GET, so a reload does not post the form again. */
    static Rendering seeOther(String url) {
        return Rendering.redirectTo(url).status(HttpStatus.SEE_OTHER).build();
    }
}
