package dev.beacon.api.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs on a real server with {@code default-policy=deny} and a configured initial management token: the ACL
 * endpoints, tokens with rules written in HCL, and what a token may and may not do with keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANAGEMENT = UUID.randomUUID().toString();
    private BeaconNode node;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = new BeaconNode("acl", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.acl.enabled", "true").with("beacon.acl.default-policy", "deny")
                .with("beacon.acl.tokens.initial-management", MANAGEMENT).start();
        node.cluster().whenReady().join();
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/acl/token/self", MANAGEMENT, null)
                .statusCode() == 200);
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void theInitialManagementTokenIsAManagementTokenAndBootstrapIsRefused() throws Exception {
        JsonNode self = json(send("GET", "/v1/acl/token/self", MANAGEMENT, null));
        assertThat(self.get("SecretID").asText()).isEqualTo(MANAGEMENT);
        assertThat(self.at("/Policies/0/Name").asText()).isEqualTo("global-management");

        HttpResponse<String> bootstrap = send("PUT", "/v1/acl/bootstrap", "", null);
        assertThat(bootstrap.statusCode()).isEqualTo(403);
        assertThat(bootstrap.body()).startsWith("Permission denied: ACL bootstrap no longer allowed (reset index: ");

        JsonNode policies = json(send("GET", "/v1/acl/policies", MANAGEMENT, null));
        assertThat(policies.findValuesAsText("Name")).contains("global-management");
        JsonNode tokens = json(send("GET", "/v1/acl/tokens", MANAGEMENT, null));
        assertThat(tokens.findValuesAsText("AccessorID")).contains("00000000-0000-0000-0000-000000000002");
    }

    @Test
    void withoutATokenNothingIsReadOrWrittenAndAnUnknownTokenIsNotFound() {
        HttpResponse<String> write = send("PUT", "/v1/kv/anon/x", "", "v");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).startsWith("Permission denied: anonymous token lacks permission 'key:write' on "
                + "\"anon/x\"");
        assertThat(send("GET", "/v1/kv/anon/x", MANAGEMENT, null).statusCode()).as("nothing was written")
                .isEqualTo(404);
        assertThat(send("GET", "/v1/kv/anon/x", "", null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/v1/acl/policies", "", null).statusCode()).isEqualTo(403);

        HttpResponse<String> unknown = send("GET", "/v1/kv/anon/x", UUID.randomUUID().toString(), null);
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.body().trim()).isEqualTo("ACL not found");
    }

    @Test
    void aTokenMayWriteUnderItsPrefixAndListsOnlyWhatItMayRead() throws Exception {
        JsonNode policy = json(send("PUT", "/v1/acl/policy", MANAGEMENT, """
                {"Name": "app-write", "Description": "the app's config",
                 "Rules": "key_prefix \\"app/\\" {\\n  policy = \\"write\\"\\n}\\nkey \\"app/secret\\" { policy = \\"deny\\" }"}
                """));
        assertThat(policy.get("ID").asText()).isNotEmpty();
        JsonNode token = json(send("PUT", "/v1/acl/token", MANAGEMENT,
                "{\"Description\": \"app\", \"Policies\": [{\"Name\": \"app-write\"}]}"));
        String secret = token.get("SecretID").asText();
        assertThat(token.at("/Policies/0/ID").asText()).isEqualTo(policy.get("ID").asText());

        assertThat(send("PUT", "/v1/kv/app/a", secret, "1").body()).isEqualTo("true");
        assertThat(send("PUT", "/v1/kv/app/secret", MANAGEMENT, "s").body()).isEqualTo("true");
        assertThat(send("PUT", "/v1/kv/other/a", MANAGEMENT, "o").body()).isEqualTo("true");
        HttpResponse<String> outside = send("PUT", "/v1/kv/other/a", secret, "mine");
        assertThat(outside.statusCode()).isEqualTo(403);
        assertThat(outside.body()).contains("lacks permission 'key:write' on \"other/a\"")
                .contains(token.get("AccessorID").asText());
        assertThat(send("GET", "/v1/kv/app/secret", secret, null).statusCode()).isEqualTo(403);

        HttpResponse<String> listing = send("GET", "/v1/kv/?recurse", secret, null);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(json(listing).findValuesAsText("Key")).containsExactly("app/a");
        assertThat(listing.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).hasValue("true");
        HttpResponse<String> all = send("GET", "/v1/kv/?recurse", MANAGEMENT, null);
        assertThat(all.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).isEmpty();
        assertThat(send("DELETE", "/v1/kv/app/?recurse", secret, null).statusCode())
                .as("a denied key under the prefix").isEqualTo(403);
        assertThat(send("GET", "/v1/kv/other/a?raw", MANAGEMENT, null).body()).isEqualTo("o");

        // A blocking query on the filtered listing wakes on a change it may see, and shows only that.
        long index = Long.parseLong(listing.headers().firstValue("X-Consul-Index").orElseThrow());
        CompletableFuture<HttpResponse<String>> parked = CompletableFuture.supplyAsync(() ->
                send("GET", "/v1/kv/?recurse&index=" + index + "&wait=30s", secret, null));
        assertThat(send("PUT", "/v1/kv/app/b", MANAGEMENT, "2").body()).isEqualTo("true");
        HttpResponse<String> woken = parked.get(60, TimeUnit.SECONDS);
        assertThat(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow())).isGreaterThan(index);
        assertThat(json(woken).findValuesAsText("Key")).containsExactly("app/a", "app/b");
    }

    @Test
    void theListOfServiceNamesNeedsServiceReadAloneAndItsInstancesNodeReadToo() throws Exception {
        for (String service : List.of("shop", "hidden")) {
            assertThat(send("PUT", "/v1/catalog/register", MANAGEMENT, "{\"Node\": \"n-" + service
                    + "\", \"Address\": \"10.0.0.1\", \"Service\": {\"Service\": \"" + service + "\"}}").body())
                    .isEqualTo("true");
        }
        json(send("PUT", "/v1/acl/policy", MANAGEMENT,
                "{\"Name\": \"shop-read\", \"Rules\": \"service \\\"shop\\\" { policy = \\\"read\\\" }\"}"));
        String secret = json(send("PUT", "/v1/acl/token", MANAGEMENT, "{\"Policies\": [{\"Name\": \"shop-read\"}]}"))
                .get("SecretID").asText();

        HttpResponse<String> names = send("GET", "/v1/catalog/services", secret, null);
        assertThat(json(names).fieldNames()).toIterable().containsExactly("shop");
        assertThat(names.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).hasValue("true");
        assertThat(json(send("GET", "/v1/catalog/service/shop", secret, null))).as("an instance needs node:read on "
                + "its node too, as in Consul").isEmpty();
    }

    @Test
    void aTokenWithATimeToLiveStopsWorkingWhenItExpiresAndIsThenDeleted() throws Exception {
        JsonNode token = json(send("PUT", "/v1/acl/token", MANAGEMENT,
                "{\"Description\": \"short\", \"ExpirationTTL\": \"3s\"}"));
        String secret = token.get("SecretID").asText();
        assertThat(token.get("ExpirationTime").asText()).isNotEmpty();
        assertThat(send("GET", "/v1/acl/token/self", secret, null).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(send("GET", "/v1/acl/token/self", secret, null).body().trim()).isEqualTo("ACL not found"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                json(send("GET", "/v1/acl/tokens", MANAGEMENT, null)).findValuesAsText("AccessorID"))
                .doesNotContain(token.get("AccessorID").asText()));
    }

    @Test
    void malformedRulesAndUnknownPoliciesAreRefusedWithAClearMessage() {
        HttpResponse<String> badRules = send("PUT", "/v1/acl/policy", MANAGEMENT,
                "{\"Name\": \"broken\", \"Rules\": \"key \\\"a\\\" {\\n policy = \\\"reed\\\"\\n}\"}");
        assertThat(badRules.statusCode()).isEqualTo(400);
        assertThat(badRules.body()).startsWith("Invalid Policy: failed to parse rules: ").contains("line 2")
                .doesNotContain("Exception").hasLineCount(1);

        HttpResponse<String> unknown = send("PUT", "/v1/acl/token", MANAGEMENT,
                "{\"Policies\": [{\"Name\": \"no-such-policy\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no-such-policy");
        assertThat(send("GET", "/v1/acl/policy/name/broken", MANAGEMENT, null).statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) {
        return node.send(method, path, token, body);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
