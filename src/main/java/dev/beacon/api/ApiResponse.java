package dev.beacon.api;

import java.nio.charset.StandardCharsets;

/**
 * What a handler answers, before rendering: a status, and either a value to write as JSON or raw bytes. A read
 * carries the index of the data it covers, which becomes {@code X-Consul-Index} with the leader headers.
 *
 * @param json  a value written as JSON by the one JSON writer, or null
 * @param bytes the body as is when {@code json} is null (may be empty)
 * @param index the index of a read; {@link #NOT_A_READ} for writes and status calls
 */
public record ApiResponse(int status, String contentType, Object json, byte[] bytes, long index) {
    public static final long NOT_A_READ = -1;
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";
    private static final byte[] EMPTY = new byte[0];

    public static ApiResponse json(Object value) {
        return new ApiResponse(200, JSON, value, null, NOT_A_READ);
    }

    /** A read's answer: its value and the index it covers. */
    public static ApiResponse read(Object value, long index) {
        return new ApiResponse(200, JSON, value, null, index);
    }

    /** A read that found nothing: 404 with the index, which a blocking client waits on next. */
    public static ApiResponse notFound(long index) {
        return new ApiResponse(404, TEXT, null, EMPTY, index);
    }

    public static ApiResponse raw(String contentType, byte[] bytes, long index) {
        return new ApiResponse(200, contentType, null, bytes, index);
    }

    /** A one-line message, as Consul answers errors. */
    public static ApiResponse text(int status, String message) {
        return new ApiResponse(status, TEXT, null, (message + "\n").getBytes(StandardCharsets.UTF_8), NOT_A_READ);
    }

    public ApiResponse withStatus(int newStatus) {
        return new ApiResponse(newStatus, contentType, json, bytes, index);
    }
}
