package dev.beacon.ui;

import java.net.URI;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The UI has no login, so a page on another site must not be able to make a visitor's browser post a KV write to
 * it. Browsers name the page a form came from in {@code Origin} (and {@code Sec-Fetch-Site}); a write whose origin
 * is not this server's own address is refused. A client that sends neither (curl) is not a browser and is let
 * through, as the /v1 API lets it through anyway.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static void require(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new UiForbidden();
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return;
        }
        String host = request.getHeader("Host");
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            if (host == null || authority == null
                    || !authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
                throw new UiForbidden();
            }
        } catch (IllegalArgumentException e) {
            throw new UiForbidden();
        }
    }
}
