package dev.beacon.ui;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The UI has no login, so a page on another site must not be able to make a visitor's browser post a KV write to
 * it. Browsers name the page a form came from in {@code Origin} (and {@code Sec-Fetch-Site}); a write whose origin
 * is not this server's own address is refused. A client that sends neither (curl) is not a browser and is let
 * through, as the /v1 API lets it through anyway.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static void require(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        String site = headers.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new UiForbidden();
        }
        String origin = headers.getFirst(HttpHeaders.ORIGIN);
        if (origin == null) {
            return;
        }
        String host = headers.getFirst(HttpHeaders.HOST);
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
