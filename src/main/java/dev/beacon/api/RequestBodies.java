package dev.beacon.api;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

/** The answer to a body over its route's limit, in Consul's words; nothing is written then. */
public final class RequestBodies {
    private RequestBodies() {
    }

    static ApiException tooLarge(Route route) {
        String message = route.resource() == Route.Resource.KEY
                ? "Value exceeds " + route.maxBody() + " byte limit"
                : "Request body too large, max size: " + route.maxBody() + " bytes";
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, message);
    }

    /** The body, or a 413 with {@code tooLarge} if it has more than {@code maxBytes}: nothing is written then. */
    public static byte[] read(HttpServletRequest request, int maxBytes, String tooLarge) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge);
            }
            return bytes;
        }
    }
}
