package dev.beacon.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * With ACLs on and default policy deny, DNS answers with what the anonymous token may read, as Consul's DNS does:
 * nothing until the anonymous token is given a policy, then the services it may read, and never the others; and
 * what a DNS token set while the server runs may read, once it is set.
 */
class DnsAclIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dnsShowsWhatTheAnonymousTokenMayRead(@TempDir Path dir) throws Exception {
        String management = UUID.randomUUID().toString();
        try (BeaconNode node = new BeaconNode("dnsacl", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.acl.enabled", "true").with("beacon.acl.default-policy", "deny")
                .with("beacon.acl.tokens.initial-management", management).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.send("GET", "/v1/acl/token/self", management,
                    null).statusCode() == 200);
            for (String service : List.of("web", "db")) {
                assertThat(node.send("PUT", "/v1/catalog/register", management, "{\"Node\": \"n-" + service
                        + "\", \"Address\": \"10.0.0." + (service.equals("web") ? 1 : 2)
                        + "\", \"Service\": {\"Service\": \"" + service + "\"}}").body()).isEqualTo("true");
            }
            SimpleResolver dns = new SimpleResolver(new InetSocketAddress("127.0.0.1", node.dnsPort()));
            dns.setTimeout(Duration.ofSeconds(5));

            Message hidden = dns.send(DnsFixtures.query("web.service.consul.", Type.A));
            assertThat(hidden.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(hidden.getSection(Section.ANSWER)).isEmpty();

            assertThat(node.send("PUT", "/v1/acl/policy", management, JSON.writeValueAsString(Map.of("Name",
                    "dns-web", "Rules", "service \"web\" { policy = \"read\" }\nnode_prefix \"\" { policy = \"read\" }")))
                    .statusCode()).isEqualTo(200);
            assertThat(node.send("PUT", "/v1/acl/token/00000000-0000-0000-0000-000000000002", management,
                    "{\"Policies\": [{\"Name\": \"dns-web\"}]}").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    dns.send(DnsFixtures.query("web.service.consul.", Type.A)).getSection(Section.ANSWER))
                    .singleElement().satisfies(r -> assertThat(r.rdataToString()).isEqualTo("10.0.0.1")));
            assertThat(dns.send(DnsFixtures.query("db.service.consul.", Type.A)).getRcode())
                    .as("a service the anonymous token may not read").isEqualTo(Rcode.NXDOMAIN);

            // A DNS token set while the server runs replaces the anonymous token at once, nothing else changing.
            assertThat(node.send("PUT", "/v1/acl/policy", management, JSON.writeValueAsString(Map.of("Name",
                    "dns-db", "Rules", "service \"db\" { policy = \"read\" }\nnode_prefix \"\" { policy = \"read\" }")))
                    .statusCode()).isEqualTo(200);
            String dnsToken = JSON.readTree(node.send("PUT", "/v1/acl/token", management,
                    "{\"Policies\": [{\"Name\": \"dns-db\"}]}").body()).get("SecretID").asText();
            assertThat(node.send("PUT", "/v1/agent/token/dns", "", "{\"Token\": \"" + dnsToken + "\"}")
                    .statusCode()).as("setting a token needs acl:write").isEqualTo(403);
            assertThat(node.send("PUT", "/v1/agent/token/dns", management, "{\"Token\": \"" + dnsToken + "\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(dns.send(DnsFixtures.query("db.service.consul.", Type.A)).getSection(Section.ANSWER))
                    .singleElement().satisfies(r -> assertThat(r.rdataToString()).isEqualTo("10.0.0.2"));
            assertThat(dns.send(DnsFixtures.query("web.service.consul.", Type.A)).getRcode())
                    .as("the anonymous token's services are no longer what DNS shows").isEqualTo(Rcode.NXDOMAIN);
        }
    }
}
