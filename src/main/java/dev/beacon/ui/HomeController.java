package dev.beacon.ui;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The way in: {@code /} and {@code /ui/} lead to the services page; an unknown page under /ui/ is a 404 page. */
@Controller
class HomeController {

    @GetMapping({"/", "/ui"})
    String root() {
        return "redirect:/ui/";
    }

    @GetMapping("/ui/")
    String ui() {
        return "redirect:/ui/services";
    }

    /** Anything else under /ui/ except the static assets, which their own handler serves. */
    @GetMapping({"/ui/{page:^(?!assets$).*$}", "/ui/{page:^(?!assets$).*$}/**"})
    String unknown(HttpServletRequest request) {
        throw new UiNotFound("Page", request.getRequestURI(), "/ui/services", "Services");
    }
}
