package dev.beacon.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The same unmodified Spring Cloud Consul application against a Beacon cluster with ACLs on and
 * {@code default-policy=deny}: with {@code spring.cloud.consul.token} set to a token for its own configuration
 * and service it reads its configuration and registers; without a token it sees no configuration and its
 * registration is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringCloudConsulAclIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MANAGEMENT = UUID.randomUUID().toString();
    private static final String RULES = """
            key_prefix "config/" { policy = "read" }
            service "example-app" { policy = "write" }
            service_prefix "" { policy = "read" }
            node_prefix "" { policy = "read" }
            agent_prefix "" { policy = "read" }
            """;
    private BeaconServers beacon;
    private String appToken;
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeAll
    void startBeacon(@TempDir Path dir) throws IOException {
        beacon = new BeaconServers(dir, "--beacon.acl.enabled=true", "--beacon.acl.default-policy=deny",
                "--beacon.acl.tokens.initial-management=" + MANAGEMENT).awaitLeader().withToken(MANAGEMENT);
        await().atMost(WAIT).until(() -> {
            var self = beacon.get(0, "/v1/acl/token/self");
            return self != null && self.statusCode() == 200;
        });
        assertThat(beacon.put(0, "/v1/acl/policy", "{\"Name\": \"example-app\", \"Rules\": \"" + jsonText(RULES)
                + "\"}").statusCode()).isEqualTo(200);
        String token = beacon.put(0, "/v1/acl/token", "{\"Policies\": [{\"Name\": \"example-app\"}]}").body();
        Matcher secret = Pattern.compile("\"SecretID\":\"([^\"]+)\"").matcher(token);
        assertThat(secret.find()).as(token).isTrue();
        appToken = secret.group(1);
        assertThat(beacon.put(1, "/v1/kv/config/example-app/greeting.message", "hello with a token").body())
                .isEqualTo("true");
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        apps.forEach(ConfigurableApplicationContext::close);
        if (beacon != null) {
            beacon.close();
        }
    }

    /** Text as the inside of a JSON string. */
    private static String jsonText(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private ConfigurableApplicationContext startApp(String instanceId, String token) {
        List<String> args = new ArrayList<>(List.of(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--spring.application.name=example-app",
                "--spring.config.import=consul:" + beacon.host(0) + ":" + beacon.httpPort(0),
                "--spring.cloud.consul.host=" + beacon.host(0),
                "--spring.cloud.consul.port=" + beacon.httpPort(0),
                "--spring.cloud.consul.discovery.instance-id=" + instanceId,
                "--spring.cloud.consul.discovery.prefer-ip-address=true",
                "--spring.cloud.consul.discovery.ip-address=127.0.0.1",
                "--spring.cloud.consul.discovery.heartbeat.enabled=true",
                "--spring.cloud.consul.discovery.heartbeat.ttl=10s"));
        if (token != null) {
            args.add("--spring.cloud.consul.token=" + token);
        }
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ExampleApplication.class)
                .run(args.toArray(String[]::new));
        apps.add(app);
        return app;
    }

    @Test
    void withItsTokenTheAppReadsItsConfigurationAndRegistersAndWithoutOneItCannot() {
        ConfigurableApplicationContext anonymous = startApp("example-anonymous", null);
        // Without a token its configuration is not readable (the listing is filtered to nothing, as in Consul)...
        assertThat(SpringCloudConsulIT.call(anonymous, "/greeting")).isEqualTo("no greeting configured");

        ConfigurableApplicationContext app = startApp("example-acl", appToken);

        assertThat(SpringCloudConsulIT.call(app, "/greeting")).isEqualTo("hello with a token");
        await().atMost(WAIT).untilAsserted(() -> assertThat(beacon.get(2, "/v1/health/service/example-app?passing")
                .body()).contains("\"ID\":\"example-acl\""));
        // ...and its registration was refused.
        assertThat(beacon.get(0, "/v1/agent/services").body()).contains("example-acl")
                .doesNotContain("example-anonymous");
        assertThat(beacon.get(2, "/v1/kv/config/example-app/greeting.message?raw").body())
                .isEqualTo("hello with a token");
    }
}
