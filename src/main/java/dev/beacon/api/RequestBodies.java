package dev.beacon.api;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

/** Reads request bodies with a size limit, whether they come with a Content-Length or chunked. */
public final class RequestBodies {
    private RequestBodies() {
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
