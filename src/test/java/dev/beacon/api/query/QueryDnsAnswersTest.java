package dev.beacon.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.dns.DnsCatalog;
import dev.beacon.dns.PreparedQueryLookup;
import dev.beacon.state.CheckStatus;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A prepared query's execution as DNS answers it: what the SRV records and their additional section need. */
class QueryDnsAnswersTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void instancesKeepTheirNodesMetadataTheirWeightsAndTheirWorstCheck() {
        PreparedQueryLookup.Answer answer = QueryDnsAnswers.answer(JSON.readTree("""
                {"Datacenter":"dc1","DNS":{"TTL":"15s"},"Nodes":[{
                  "Node":{"Node":"n1","ID":"","Address":"10.0.0.1","Datacenter":"dc1","Meta":{"rack":"r7"}},
                  "Service":{"ID":"web-1","Service":"web","Tags":["v1"],"Address":"","Port":80,
                             "Weights":{"Passing":10,"Warning":3}},
                  "Checks":[{"Status":"passing"},{"Status":"warning"}]}]}
                """));

        assertThat(answer.ttlSeconds()).isEqualTo(15);
        DnsCatalog.Instance instance = answer.instances().get(0);
        assertThat(instance.node().meta()).containsEntry("rack", "r7");
        assertThat(instance.service().extras().passingWeight()).isEqualTo(10);
        assertThat(instance.service().extras().warningWeight()).isEqualTo(3);
        assertThat(instance.health()).isEqualTo(CheckStatus.WARNING);
    }

    @Test
    void aServiceWithoutWeightsHasConsulsDefaultOfOne() {
        PreparedQueryLookup.Answer answer = QueryDnsAnswers.answer(JSON.readTree("""
                {"Datacenter":"dc1","Nodes":[{"Node":{"Node":"n1","Address":"10.0.0.1"},
                  "Service":{"ID":"web-1","Service":"web","Port":80},"Checks":[]}]}
                """));

        assertThat(answer.instances().get(0).service().extras().passingWeight()).isEqualTo(1);
        assertThat(answer.instances().get(0).node().meta()).isEmpty();
    }
}
