package dev.beacon.api.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SelectorSchemaTest {

    /** Part of Consul's documented selectors for /v1/health/service/:service. */
    private static final SelectorSchema HEALTH_SERVICE = SelectorSchema.builder()
            .string("Node.Node", "Node.Address", "Service.ID", "Service.Service", "Service.Address")
            .stringMap("Node.Meta", "Service.Meta")
            .integer("Service.Port")
            .decimal("Service.Weight")
            .bool("Service.EnableTagOverride")
            .stringList("Service.Tags")
            .map("Service.TaggedAddresses")
            .string("Service.TaggedAddresses.*.Address")
            .integer("Service.TaggedAddresses.*.Port")
            .structList("Checks")
            .string("Checks.Status", "Checks.CheckID")
            .stringList("Checks.ServiceTags")
            .build();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Service.Meta.version == \"1\" and \"primary\" in Service.Tags",
            "Service.Port == \"8080\" or Service.Port != \"0x1F\"",
            "Service.Weight == 0.5",
            "Service.EnableTagOverride == true and Service.EnableTagOverride != F",
            "Service.Meta[\"my.key\"] matches \"^v\" and \"x\" not in Service.Meta",
            "Node.Meta is empty or Node.Meta is not empty",
            "Checks.Status == passing and Checks is not empty and \"v1\" in Checks.ServiceTags",
            "Checks.CheckID contains serf and Checks.Status not matches \"^crit\"",
            "\"lan\" in Service.TaggedAddresses and Service.TaggedAddresses.lan.Port == 80",
            "Service.TaggedAddresses[\"wan_ipv4\"].Address == \"1.2.3.4\"",
            "not (Service.Service == web or Node.Node != n1)"})
    void acceptsWhatTheEndpointsItemsHave(String filter) {
        assertThatCode(() -> FilterExpression.parse(filter, HEALTH_SERVICE)).doesNotThrowAnyException();
    }

    /** Filters Consul's data types refuse, with go-bexpr's words for why. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("Service.Foo == 1", "Selector \"Service.Foo\" is not valid"),
                arguments("Foo.Bar == 1", "Selector \"Foo\" is not valid"),
                arguments("service.Port == 1", "Selector \"service\" is not valid"),
                arguments("Service.Meta.a.b == 1", "Selector \"Service.Meta.a.b\" is not valid"),
                arguments("Service.Port.Value == 1", "Selector \"Service.Port.Value\" is not valid"),
                arguments("\"x\" in Service.Nope", "Selector \"Service.Nope\" is not valid"),
                arguments("Service.Port contains 1", "Invalid match operator \"In\" for selector \"Service.Port\""),
                arguments("Service.Port matches 1", "Invalid match operator \"Matches\" for selector \"Service.Port\""),
                arguments("Service.Service is empty",
                        "Invalid match operator \"Is Empty\" for selector \"Service.Service\""),
                arguments("Service == x", "Invalid match operator \"Equal\" for selector \"Service\""),
                arguments("Service.Tags == x", "Invalid match operator \"Equal\" for selector \"Service.Tags\""),
                arguments("Service.Tags matches x", "Invalid match operator \"Matches\" for selector \"Service.Tags\""),
                arguments("Service.Meta != x", "Invalid match operator \"Not Equal\" for selector \"Service.Meta\""),
                arguments("\"x\" in Checks", "Invalid match operator \"In\" for selector \"Checks\""),
                arguments("Service.TaggedAddresses.lan == x",
                        "Invalid match operator \"Equal\" for selector \"Service.TaggedAddresses.lan\""),
                arguments("Service.Port == abc",
                        "Failed to coerce value \"abc\" for selector \"Service.Port\": not an integer"),
                arguments("Service.Port == 80.5",
                        "Failed to coerce value \"80.5\" for selector \"Service.Port\": not an integer"),
                arguments("Service.Weight == heavy",
                        "Failed to coerce value \"heavy\" for selector \"Service.Weight\": not a number"),
                arguments("Service.EnableTagOverride == yes",
                        "Failed to coerce value \"yes\" for selector \"Service.EnableTagOverride\": not a boolean"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatTheEndpointsItemsCannotAnswer(String filter, String reason) {
        FilterExpression expression = FilterExpression.parse(filter);

        assertThatThrownBy(() -> expression.validate(HEALTH_SERVICE)).isInstanceOf(FilterSyntaxException.class)
                .hasMessage("Failed to create boolean expression evaluator: " + reason);
    }

    @Test
    void theRefusalPointsAtTheMatchExpressionItConcerns() {
        FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class,
                () -> FilterExpression.parse("Service.Port == 1 and\n not Service.Foo == 2", HEALTH_SERVICE));

        assertThat(e.reason()).isEqualTo("Selector \"Service.Foo\" is not valid");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(6);
        assertThat(e.offset()).isEqualTo(27);
    }

    @Test
    void everyBranchIsChecked() {
        assertThatThrownBy(() -> FilterExpression.parse("Service.Port == 1 or (not Checks.Nope is empty)",
                HEALTH_SERVICE)).hasMessageEndingWith("Selector \"Checks.Nope\" is not valid");
    }

    @Test
    void contradictoryDeclarationsAreRefusedWhenTheSchemaIsBuilt() {
        assertThatThrownBy(() -> SelectorSchema.builder().string("A").integer("A"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A is declared both");
        assertThatThrownBy(() -> SelectorSchema.builder().string("A").string("A.B").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A is a string");
        assertThatThrownBy(() -> SelectorSchema.builder().string("A..B"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> SelectorSchema.builder().string("A").string("A").build()).doesNotThrowAnyException();
    }
}
