package dev.beacon.api;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Consul serves its API through Go's {@code http.ServeMux}, which answers a path with empty, {@code .} or
 * {@code ..} segments by a 301 to the cleaned path, whatever the method. Clients lean on it without knowing: a
 * key written with a leading slash ({@code kv.get("/app/config")} builds {@code /v1/kv//app/config}) reads the key
 * {@code app/config} once the redirect is followed.
 */
final class CleanPaths {
    private CleanPaths() {
    }

    /** The cleaned path Go's mux redirects {@code rawPath} to, or null if it is clean already. */
    static String redirectTarget(String rawPath) {
        if (!rawPath.contains("//") && !rawPath.contains("/.")) {
            return null;
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/")) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        String cleaned = "/" + String.join("/", segments);
        // As Go's cleanPath: a trailing slash stays, it names a folder.
        if (rawPath.endsWith("/") && !cleaned.equals("/")) {
            cleaned += "/";
        }
        return cleaned.equals(rawPath) ? null : cleaned;
    }
}
