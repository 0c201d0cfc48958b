package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI with ACLs on: a visitor sets a token on the token page, the browser keeps it in a cookie, and every page
 * shows, and lets the visitor change, what that token may; without a token, what the anonymous token may.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiAclIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANAGEMENT = UUID.randomUUID().toString();
    private BeaconNode node;
    private String teamToken;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        node = new BeaconNode("ui-acl", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.acl.enabled", "true").with("beacon.acl.default-policy", "deny")
                .with("beacon.acl.tokens.initial-management", MANAGEMENT).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> node.send("GET", "/v1/acl/token/self", MANAGEMENT, null)
                .statusCode() == 200);
        String rules = "key_prefix \"team/\" { policy = \"write\" }\nservice \"web\" { policy = \"read\" }\n"
                + "node_prefix \"\" { policy = \"read\" }";
        ok(node.send("PUT", "/v1/acl/policy", MANAGEMENT, JSON.writeValueAsString(Map.of("Name", "team",
                "Rules", rules))));
        teamToken = JSON.readTree(ok(node.send("PUT", "/v1/acl/token", MANAGEMENT,
                "{\"Policies\": [{\"Name\": \"team\"}]}")).body()).get("SecretID").asText();
        ok(node.send("PUT", "/v1/kv/team/a", MANAGEMENT, "team value"));
        ok(node.send("PUT", "/v1/kv/other/b", MANAGEMENT, "other value"));
        for (String service : List.of("web", "db")) {
            ok(node.send("PUT", "/v1/catalog/register", MANAGEMENT, "{\"Node\": \"n-" + service
                    + "\", \"Address\": \"10.0.0.1\", \"Service\": {\"Service\": \"" + service + "\"}}"));
        }
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void theTokenPageKeepsAValidTokenInAStrictHttpOnlyCookieAndRefusesAnUnknownOne() {
        HttpResponse<String> unknown = form("", "/ui/token", "action", "use", "secret", UUID.randomUUID().toString());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("ACL not found");
        assertThat(unknown.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> set = form("", "/ui/token", "action", "use", "secret", teamToken);
        assertThat(set.statusCode()).isEqualTo(303);
        assertThat(set.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("beacon-token=" + teamToken).containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict", "Path=/ui"));
        assertThat(page(teamToken, "/ui/token").body()).doesNotContain(teamToken).contains("Pages show what the token");
    }

    @Test
    void keysAreShownAndWrittenAsTheTokenMay() {
        assertThat(page("", "/ui/kv/team/a").statusCode()).isEqualTo(403);
        assertThat(page("", "/ui/kv/").body()).doesNotContain("team/").doesNotContain("other/");

        assertThat(page(teamToken, "/ui/kv/team/a").body()).contains("team value");
        assertThat(page(teamToken, "/ui/kv/").body()).contains("team/").doesNotContain("other/");
        assertThat(page(teamToken, "/ui/kv/other/b").statusCode()).isEqualTo(403);

        HttpResponse<String> refused = form(teamToken, "/ui/kv/other/", "action", "create", "name", "c",
                "value", "x", "flags", "0");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("key:write");
        assertThat(node.store().kvGet("other/c").value()).isNull();

        assertThat(form(teamToken, "/ui/kv/team/", "action", "create", "name", "new", "value", "made in the UI",
                "flags", "0").statusCode()).isEqualTo(303);
        assertThat(node.store().kvGet("team/new").value()).isNotNull();
        assertThat(form("", "/ui/kv/team/", "action", "create", "name", "anon", "value", "x", "flags", "0")
                .statusCode()).as("without a token").isEqualTo(403);
    }

    @Test
    void servicesAndTheClusterPageFollowTheToken() {
        assertThat(page(teamToken, "/ui/services").body()).contains("data-service=\"web\"")
                .doesNotContain("data-service=\"db\"");
        assertThat(page("", "/ui/services").body()).doesNotContain("data-service=\"web\"");
        assertThat(page(teamToken, "/ui/cluster").statusCode()).as("operator:read").isEqualTo(403);
        assertThat(page(MANAGEMENT, "/ui/cluster").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> page(String token, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path)).GET();
        if (!token.isEmpty()) {
            request.header("Cookie", "beacon-token=" + token);
        }
        return node.send(request.build());
    }

    /** A form post as a browser on this server's own page sends it; {@code fields} are names and values. */
    private HttpResponse<String> form(String token, String path, String... fields) {
        String body = java.util.stream.IntStream.range(0, fields.length / 2)
                .mapToObj(i -> fields[2 * i] + "=" + URLEncoder.encode(fields[2 * i + 1], StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + node.httpPort())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!token.isEmpty()) {
            request.header("Cookie", "beacon-token=" + token);
        }
        return node.send(request.build());
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
