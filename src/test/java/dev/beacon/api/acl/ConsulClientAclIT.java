package dev.beacon.api.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.model.acl.ImmutablePolicy;
import org.kiwiproject.consul.model.acl.ImmutablePolicyLink;
import org.kiwiproject.consul.model.acl.ImmutableToken;
import org.kiwiproject.consul.model.acl.PolicyResponse;
import org.kiwiproject.consul.model.acl.TokenListResponse;
import org.kiwiproject.consul.model.acl.TokenResponse;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;

/**
 * consul-client (kiwiproject 1.12.1) with ACL tokens, as an application uses it: a management client creates a
 * policy and a token through consul-client's own ACL models, and an application client holding that token
 * registers its service and writes its configuration, which a client without a token may neither do nor see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsulClientAclIT {
    private static final String MANAGEMENT = UUID.randomUUID().toString();
    private BeaconNode node;
    private Consul admin;
    private Consul anonymous;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = new BeaconNode("aclclient", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.acl.enabled", "true").with("beacon.acl.default-policy", "deny")
                .with("beacon.acl.tokens.initial-management", MANAGEMENT).start();
        node.cluster().whenReady().join();
        admin = client(MANAGEMENT);
        anonymous = client(null);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> admin.aclClient().readSelfToken().secretId().equals(MANAGEMENT));
    }

    @AfterAll
    void stop() {
        admin.destroy();
        anonymous.destroy();
        node.close();
    }

    @Test
    void anApplicationTokenRegistersItsServiceAndWritesItsConfigurationAndNothingElse() {
        PolicyResponse policy = admin.aclClient().createPolicy(ImmutablePolicy.builder().name("web-app")
                .description("what the web application does")
                .rules("""
                        service "web" { policy = "write" }
                        service_prefix "" { policy = "read" }
                        node_prefix "" { policy = "read" }
                        key_prefix "config/web/" { policy = "write" }
                        """).build());
        TokenResponse token = admin.aclClient().createToken(ImmutableToken.builder().description("web app")
                .addPolicies(ImmutablePolicyLink.builder().name("web-app").build()).build());
        assertThat(token.policies()).singleElement().satisfies(link -> assertThat(link.id()).hasValue(policy.id()));
        Consul app = client(token.secretId());
        try {
            assertThat(app.aclClient().readSelfToken().accessorId()).isEqualTo(token.accessorId());

            app.agentClient().register(registration("web", "web-1"));
            assertThat(app.keyValueClient().putValue("config/web/pool", "16")).isTrue();

            assertThat(app.keyValueClient().getValueAsString("config/web/pool")).hasValue("16");
            assertThat(app.healthClient().getAllServiceInstances("web").getResponse())
                    .extracting(h -> h.getService().getId()).containsExactly("web-1");
            assertThatThrownBy(() -> app.agentClient().register(registration("billing", "billing-1")))
                    .isInstanceOf(ConsulException.class).hasMessageContaining("403");
            assertThatThrownBy(() -> app.keyValueClient().putValue("config/billing/pool", "1"))
                    .isInstanceOf(ConsulException.class).hasMessageContaining("Permission denied");
        } finally {
            app.destroy();
        }
    }

    @Test
    void withoutATokenNothingIsRegisteredAndNothingIsSeen() {
        admin.agentClient().register(registration("db", "db-1"));

        assertThatThrownBy(() -> anonymous.agentClient().register(registration("rogue", "rogue-1")))
                .isInstanceOf(ConsulException.class).hasMessageContaining("Permission denied");
        assertThat(anonymous.healthClient().getAllServiceInstances("db").getResponse()).isEmpty();
        assertThat(admin.healthClient().getAllServiceInstances("db").getResponse()).hasSize(1);
        assertThat(admin.agentClient().getServices()).containsKey("db-1").doesNotContainKey("rogue-1");
    }

    @Test
    void tokensAreListedClonedAndDeletedThroughTheClient() {
        TokenResponse token = admin.aclClient().createToken(ImmutableToken.builder().description("short-lived")
                .build());
        TokenResponse clone = admin.aclClient().cloneToken(token.accessorId(),
                ImmutableToken.builder().description("its clone").build());

        assertThat(admin.aclClient().listTokens()).extracting(TokenListResponse::accessorId)
                .contains(token.accessorId(), clone.accessorId());
        assertThat(clone.secretId()).isNotEqualTo(token.secretId());
        assertThat(clone.description()).isEqualTo("its clone");
        admin.aclClient().deleteToken(token.accessorId());

        Consul deleted = client(token.secretId());
        try {
            assertThatThrownBy(() -> deleted.aclClient().readSelfToken()).isInstanceOf(ConsulException.class)
                    .hasMessageContaining("ACL not found");
        } finally {
            deleted.destroy();
        }
        assertThat(admin.aclClient().listPolicies()).extracting(PolicyResponse::name).contains("global-management");
    }

    private static Registration registration(String name, String id) {
        return ImmutableRegistration.builder().name(name).id(id).port(8080).build();
    }

    private Consul client(String token) {
        Consul.Builder builder = Consul.builder().withUrl("http://127.0.0.1:" + node.httpPort());
        if (token != null) {
            builder.withAclToken(token);
        }
        return builder.build();
    }
}
