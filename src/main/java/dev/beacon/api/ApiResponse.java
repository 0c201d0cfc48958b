package dev.beacon.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a handler answers, before rendering: a status, and a value to write as JSON, raw bytes, or a file. A read
 * carries the index of the data it covers, which becomes {@code X-Consul-Index} with the leader headers.
 *
 * @param json  a value written as JSON by the one JSON writer, or null
 * @param bytes the body as is when {@code json} and {@code file} are null (may be empty)
 * @param index the index of a read; {@link #NOT_A_READ} for writes and status calls
 * @param file  a temporary file sent as the body and deleted once sent (too large to hold in memory), or null
 * @param filteredByAcls whether ACLs left something out of the answer ({@code X-Consul-Results-Filtered-By-ACLs})
 * @param relayedHeaders the Consul headers of an answer relayed from another datacenter's server, sent as they came
 *                       instead of this server's; null for answers made here
 */
public record ApiResponse(int status, String contentType, Object json, byte[] bytes, long index, Path file,
                          boolean filteredByAcls, Map<String, String> relayedHeaders) {
    public static final long NOT_A_READ = -1;
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";
    private static final byte[] EMPTY = new byte[0];
    private static final ApiResponse NO_BODY =
            new ApiResponse(200, TEXT, null, EMPTY, NOT_A_READ, null, false, null);

    public static ApiResponse json(Object value) {
        return new ApiResponse(200, JSON, value, null, NOT_A_READ, null, false, null);
    }

    /** A read's answer: its value and the index it covers. */
    public static ApiResponse read(Object value, long index) {
        return new ApiResponse(200, JSON, value, null, index, null, false, null);
    }

    /** 200 with no body, as Consul answers its agent's writes. */
    public static ApiResponse empty() {
        return NO_BODY;
    }

    /** A read that found nothing: 404 with the index, which a blocking client waits on next. */
    public static ApiResponse notFound(long index) {
        return new ApiResponse(404, TEXT, null, EMPTY, index, null, false, null);
    }

    public static ApiResponse raw(String contentType, byte[] bytes, long index) {
        return new ApiResponse(200, contentType, null, bytes, index, null, false, null);
    }

    /** A read answered with a temporary file, which is deleted once sent (or once sending failed). */
    public static ApiResponse file(String contentType, Path file, long index) {
        return new ApiResponse(200, contentType, null, EMPTY, index, file, false, null);
    }

    /** A one-line message, as Consul answers errors. */
    public static ApiResponse text(int status, String message) {
        return new ApiResponse(status, TEXT, null, (message + "\n").getBytes(StandardCharsets.UTF_8), NOT_A_READ,
                null, false, null);
    }

    /** Another datacenter's answer, relayed as it came: status, body and Consul headers. */
    public static ApiResponse relayed(int status, String contentType, byte[] body, Map<String, String> headers) {
        return new ApiResponse(status, contentType, null, body, NOT_A_READ, null, false, Map.copyOf(headers));
    }

    public ApiResponse withStatus(int newStatus) {
        return new ApiResponse(newStatus, contentType, json, bytes, index, file, filteredByAcls, relayedHeaders);
    }

    /** The same answer, marked as one that ACLs left something out of when {@code filtered}. */
    public ApiResponse filteredByAcls(boolean filtered) {
        return new ApiResponse(status, contentType, json, bytes, index, file, filtered, relayedHeaders);
    }
}
