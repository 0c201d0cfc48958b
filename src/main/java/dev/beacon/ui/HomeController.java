package dev.beacon.ui;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.reactive.result.view.Rendering;

/** The way in: {@code /} and {@code /ui/} lead to the services page; an unknown page under /ui/ is a 404 page. */
@Controller
class HomeController {

    @GetMapping({"/", "/ui"})
    Rendering root() {
        return UiRedirects.found("/ui/");
    }

    @GetMapping("/ui/")
    Rendering ui() {
        return UiRedirects.found("/ui/services");
    }

    /** Anything else under /ui/ except the static assets, which their own handler serves. */
    @GetMapping({"/ui/{page:^(?!assets$).*$}", "/ui/{page:^(?!assets$).*$}/**"})
    Rendering unknown(ServerHttpRequest request) {
        throw new UiNotFound("Page", request.getPath().value(), "/ui/services", "Services");
    }
}
