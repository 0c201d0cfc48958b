package dev.beacon.ui;

import java.time.Duration;

import dev.beacon.api.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.result.view.Rendering;

/**
 * The token page: with ACLs on, the visitor pastes a token's SecretID here and every page then shows what that
 * token may see. The secret is kept in a cookie that only Beacon's pages receive ({@code HttpOnly},
 * {@code SameSite=Strict}, path {@code /ui}); "Forget" removes it.
 */
@Controller
class TokenPageController {
    private final UiAccess access;
    private final UiLayout layout;

    TokenPageController(UiAccess access, UiLayout layout) {
        this.access = access;
        this.layout = layout;
    }

    /** A form as posted: {@code action} is {@code use} (with {@code secret}) or {@code forget}. */
    record Posted(String action, String secret) {
    }

    @GetMapping("/ui/token")
    Rendering page(ServerHttpRequest request) {
        return page(request, null, HttpStatus.OK).build();
    }

    @PostMapping("/ui/token")
    Rendering set(ServerHttpRequest request, ServerHttpResponse response, @ModelAttribute Posted posted) {
        SameOrigin.require(request);
        if (!access.enabled()) {
            throw new UiBadRequest("ACLs are off, so there is no token to set");
        }
        if ("forget".equals(posted.action())) {
            response.addCookie(cookie(request, "", Duration.ZERO));
            return UiRedirects.seeOther("/ui/token");
        }
        String secret = posted.secret() == null ? "" : posted.secret().trim();
        if (secret.isEmpty() || access.tokenOf(secret) == null) {
            return page(request, "No token has that SecretID (ACL not found): nothing was changed.",
                    HttpStatus.BAD_REQUEST).build();
        }
        response.addCookie(cookie(request, secret, Duration.ofDays(30)));
        return UiRedirects.seeOther("/ui/services");
    }

    private Rendering.Builder<?> page(ServerHttpRequest request, String error, HttpStatus status) {
        Caller caller = access.enabled() ? access.caller(request) : Caller.ANYONE;
        boolean hasCookie = !UiAccess.secret(request).isEmpty();
        return layout.view("token", false, "Token", "token", null)
                .status(status)
                .modelAttribute("aclEnabled", access.enabled())
                .modelAttribute("accessor", caller.accessorId())
                .modelAttribute("usingCookie", hasCookie && !caller.accessorId().isEmpty())
                .modelAttribute("staleCookie", hasCookie && caller.accessorId().isEmpty())
                .modelAttribute("error", error);
    }

    private static ResponseCookie cookie(ServerHttpRequest request, String value, Duration maxAge) {
        return ResponseCookie.from(UiAccess.COOKIE, value).httpOnly(true).sameSite("Strict").path("/ui")
                .secure("https".equals(request.getURI().getScheme())).maxAge(maxAge).build();
    }
}
