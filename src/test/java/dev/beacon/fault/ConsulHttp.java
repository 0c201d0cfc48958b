package dev.beacon.fault;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Consul KV calls the fault workloads make, with what each answer means for the history: a read's value
 * and index, or whether a write certainly applied, certainly did not, or may have.
 */
final class ConsulHttp {
    private static final Pattern VALUE = Pattern.compile("\"Value\":(null|\"([^\"]*)\")");
    private static final Pattern MODIFY_INDEX = Pattern.compile("\"ModifyIndex\":(\\d+)");
    private static final Pattern SESSION_ID = Pattern.compile("\"ID\":\\s*\"([^\"]+)\"");

    /** A read: {@code ok} false when it got no usable answer; {@code value} null when the key is absent. */
    record Read(boolean ok, String value, long modifyIndex) {
        static final Read FAILED = new Read(false, null, 0);
    }

    /**
     * One client per caller: a killed server leaves pooled connections behind, and a client shared across the
     * workload's threads would hand them around.
     */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Duration timeout;

    ConsulHttp(Duration timeout) {
        this.timeout = timeout;
    }

    Read read(ServerProcess server, String key, Op.ReadMode mode) {
        String query = switch (mode) {
            case DEFAULT -> "";
            case CONSISTENT -> "?consistent";
            case STALE -> "?stale";
        };
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(server, "/v1/kv/" + key + query)).GET());
            if (response.statusCode() == 404) {
                return new Read(true, null, 0);
            }
            if (response.statusCode() != 200) {
                return Read.FAILED;
            }
            Matcher value = VALUE.matcher(response.body());
            Matcher index = MODIFY_INDEX.matcher(response.body());
            if (!value.find() || !index.find()) {
                return Read.FAILED;
            }
            String decoded = value.group(2) == null ? ""
                    : new String(Base64.getDecoder().decode(value.group(2)), StandardCharsets.UTF_8);
            return new Read(true, decoded, Long.parseLong(index.group(1)));
        } catch (IOException e) {
            return Read.FAILED;
        }
    }

    /** PUT of {@code value}, with {@code ?cas=casIndex} when that is not null. */
    Op.Outcome put(ServerProcess server, String key, String value, Long casIndex) {
        return put(server, key + (casIndex == null ? "" : "?cas=" + casIndex), value);
    }

    /** PUT of {@code value} to {@code keyAndQuery} (a key, and {@code ?acquire=} or the like). */
    Op.Outcome put(ServerProcess server, String keyAndQuery, String value) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(server, "/v1/kv/" + keyAndQuery))
                    .PUT(HttpRequest.BodyPublishers.ofString(value)));
            if (response.statusCode() == 200) {
                return response.body().strip().equals("true") ? Op.Outcome.OK : Op.Outcome.FAILED;
            }
            return response.statusCode() < 500 ? Op.Outcome.FAILED : Op.Outcome.UNKNOWN;
        } catch (ConnectException e) {
            return Op.Outcome.FAILED;
        } catch (IOException e) {
            return Op.Outcome.UNKNOWN;
        }
    }

    /**
     * A session with no health checks and no lock delay, so that only its holder's release frees its locks; null if
     * the server did not answer with one.
     */
    String createSession(ServerProcess server, String name) {
        return createSession(server, name, null);
    }

    /** A session with no checks and the given TTL (Consul's duration text; null for none); its id, or null. */
    String createSession(ServerProcess server, String name, String ttl) {
        String body = "{\"Name\":\"" + name + "\",\"Checks\":[],\"LockDelay\":\"0s\""
                + (ttl == null ? "" : ",\"TTL\":\"" + ttl + "\"") + "}";
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(server, "/v1/session/create"))
                    .PUT(HttpRequest.BodyPublishers.ofString(body)));
            Matcher id = SESSION_ID.matcher(response.body());
            return response.statusCode() == 200 && id.find() ? id.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** DELETE of a path; the status, or -1 without an answer. */
    int delete(ServerProcess server, String path) {
        try {
            return send(HttpRequest.newBuilder(uri(server, path)).DELETE()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** GET of a path; the body on a 200, else null. */
    String get(ServerProcess server, String path) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(server, path)).GET());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static URI uri(ServerProcess server, String path) {
        return URI.create(server.baseUrl() + path);
    }
}
