package dev.beacon.api;

import org.springframework.http.HttpStatus;

/** The answer to a body over its route's limit, in Consul's words; nothing is written then. */
final class RequestBodies {
    private RequestBodies() {
    }

    static ApiException tooLarge(Route route) {
        String message = route.path().startsWith("/v1/kv/")
                ? "Value exceeds " + route.maxBody() + " byte limit"
                : "Request body too large, max size: " + route.maxBody() + " bytes";
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, message);
    }
}
