package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void findsMisspeltAndMisplacedFieldsWithTheirPaths() {
        Map<String, Object> manifest = Map.of("apiVersion", "apps/v1", "kind", "StatefulSet",
                "metadata", Map.of("name", "x", "lables", Map.of()),
                "spec", Map.of("replicas", 3, "template", Map.of("spec", Map.of("containers",
                        List.of(Map.of("name", "c", "readinessProbe", Map.of("path", "/")))))));
        StatefulSet set = mapper.convertValue(manifest, StatefulSet.class);
        assertThat(UnknownFields.in(set)).containsExactlyInAnyOrder("StatefulSet.Metadata.lables",
                "StatefulSet.Spec.Template.Spec.Containers[0].ReadinessProbe.path");
    }

    @Test
    void findsNothingInAValidObject() {
        Map<String, Object> manifest = Map.of("apiVersion", "apps/v1", "kind", "StatefulSet",
                "metadata", Map.of("name", "x"), "spec", Map.of("replicas", 3));
        assertThat(UnknownFields.in(mapper.convertValue(manifest, StatefulSet.class))).isEmpty();
    }
}
