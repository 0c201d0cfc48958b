package dev.beacon.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.beacon.agent.CheckDefinition;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How a service registration's checks are named: clients heartbeat the IDs Consul's agent gives them. */
class AgentRequestsTest {
    private final AgentRequests requests = new AgentRequests(JsonMapper.builder().build());

    private List<String> checkIds(String body) {
        return requests.service(body.getBytes(StandardCharsets.UTF_8), "").checks().stream()
                .map(CheckDefinition::checkId).toList();
    }

    @Test
    void oneCheckInCheckIsNamedAfterTheService() {
        assertThat(checkIds("{\"ID\":\"web-1\",\"Name\":\"web\",\"Check\":{\"TTL\":\"10s\"}}"))
                .containsExactly("service:web-1");
    }

    @Test
    void oneCheckInChecksIsNamedAfterTheServiceToo() {
        assertThat(checkIds("{\"ID\":\"hello:8089\",\"Name\":\"hello\",\"Checks\":[{\"TTL\":\"10s\"}]}"))
                .containsExactly("service:hello:8089");
    }

    @Test
    void severalChecksAreNumberedOverCheckAndChecksTogether() {
        assertThat(checkIds("{\"Name\":\"web\",\"Check\":{\"TTL\":\"10s\"},"
                + "\"Checks\":[{\"TTL\":\"10s\"},{\"TTL\":\"20s\",\"CheckID\":\"own\"},{\"TTL\":\"30s\"}]}"))
                .containsExactly("service:web:1", "service:web:2", "own", "service:web:4");
    }

    @Test
    void aServiceCheckWithoutANameIsNamedAfterTheServiceNotItsId() {
        List<String> names = requests.service(("{\"ID\":\"web-1\",\"Name\":\"web\",\"Checks\":[{\"TTL\":\"10s\"},"
                + "{\"TTL\":\"10s\",\"Name\":\"own\"}]}").getBytes(StandardCharsets.UTF_8), "").checks().stream()
                .map(CheckDefinition::name).toList();
        assertThat(names).containsExactly("Service 'web' check", "own");
    }

    @Test
    void anEmptyCheckIsIgnoredAsConsulIgnoresIt() {
        assertThat(checkIds("{\"Name\":\"web\",\"Check\":{},\"Checks\":[{\"TTL\":\"10s\"}]}"))
                .containsExactly("service:web");
        assertThat(checkIds("{\"Name\":\"web\",\"Check\":null}")).isEmpty();
    }

    @Test
    void twoServiceFieldsAreTakenInSnakeCaseToo() {
        ServiceDefinition service = requests.service(("{\"Name\":\"web\",\"enable_tag_override\":true,"
                + "\"tagged_addresses\":{\"lan\":{\"Address\":\"10.0.0.1\",\"Port\":80}}}")
                .getBytes(StandardCharsets.UTF_8), "");
        assertThat(service.enableTagOverride()).isTrue();
        assertThat(service.extras().taggedAddresses()).containsKey("lan");
    }

    @Test
    void whatConsulRefusesIsRefused() {
        assertThatThrownBy(() -> checkIds("{\"Name\":\"web\",\"Check\":{\"TTL\":\"30s\",\"Interval\":\"10s\"}}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("Interval and TTL cannot both be specified");
        for (String any : List.of("0.0.0.0", "::", "[::]")) {
            assertThatThrownBy(() -> checkIds("{\"Name\":\"web\",\"Address\":\"" + any + "\"}"))
                    .isInstanceOf(ApiException.class).hasMessage("Invalid service address");
        }
        assertThat(checkIds("{\"Name\":\"web\",\"Address\":\"10.0.0.1\"}")).isEmpty();
    }

    @Test
    void anEmptyCheckInChecksIsStillRefused() {
        assertThatThrownBy(() -> checkIds("{\"Name\":\"web\",\"Checks\":[{}]}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("Checks[0].");
    }
}
