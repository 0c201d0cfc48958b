package dev.beacon.api.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.beacon.api.Caller;
import dev.beacon.api.GoDuration;
import dev.beacon.dns.DnsCatalog;
import dev.beacon.dns.PreparedQueryLookup;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceExtras;
import dev.beacon.state.ServiceInstance;
import tools.jackson.databind.JsonNode;

/**
 * Prepared queries for DNS: a {@code <name>.query.consul} lookup runs the query as DNS's token and turns its
 * answer (Consul's execute answer, this datacenter's or the one it failed over to) into the instances DNS answers
 * with, each with the worst status of its checks.
 */
public final class QueryDnsAnswers implements PreparedQueryLookup {
    private final QueryRunner runner;
    private final Supplier<Caller> caller;
    private final Supplier<String> token;

    /**
     * @param caller who DNS acts as (null when its token does not resolve: then no query is found)
     * @param token  the token DNS's failover requests carry
     */
    public QueryDnsAnswers(QueryRunner runner, Supplier<Caller> caller, Supplier<String> token) {
        this.runner = runner;
        this.caller = caller;
        this.token = token;
    }

    @Override
    public CompletableFuture<Answer> execute(String nameOrId) {
        Caller who = caller.get();
        if (who == null) {
            return CompletableFuture.completedFuture(null);
        }
        return runner.run(nameOrId, who, token.get())
                .thenApply(read -> read == null ? null : answer(read.value()))
                .toCompletableFuture();
    }

    static Answer answer(JsonNode executed) {
        List<DnsCatalog.Instance> instances = new ArrayList<>();
        for (JsonNode entry : executed.path("Nodes")) {
            JsonNode n = entry.path("Node");
            JsonNode s = entry.path("Service");
            // The node's metadata and the service's weights shape the SRV answer as for a service lookup.
            Node node = new Node(n.path("Node").asString(), n.path("ID").asString(""), n.path("Address").asString(),
                    n.path("Datacenter").asString(""), Map.of(), strings(n.path("Meta")), 0, 0);
            List<String> tags = new ArrayList<>();
            s.path("Tags").forEach(tag -> tags.add(tag.asString()));
            JsonNode weights = s.path("Weights");
            ServiceExtras extras = new ServiceExtras("", weights.path("Passing").asInt(1),
                    weights.path("Warning").asInt(1), Map.of(), "", "", "");
            ServiceInstance service = new ServiceInstance(node.name(), s.path("ID").asString(),
                    s.path("Service").asString(), tags, s.path("Address").asString(""), s.path("Port").asInt(),
                    Map.of(), false, extras, 0, 0);
            CheckStatus worst = CheckStatus.PASSING;
            for (JsonNode check : entry.path("Checks")) {
                CheckStatus status = CheckStatus.fromWire(check.path("Status").asString());
                worst = status.compareTo(worst) > 0 ? status : worst;
            }
            instances.add(new DnsCatalog.Instance(service, node, worst));
        }
        String ttl = executed.path("DNS").path("TTL").asString("");
        long seconds = ttl.isEmpty() ? -1 : GoDuration.parse(ttl).toSeconds();
        return new Answer(executed.path("Datacenter").asString(), seconds, instances);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asString("")));
        return map;
    }
}
