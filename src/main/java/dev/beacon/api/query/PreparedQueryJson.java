package dev.beacon.api.query;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.state.PreparedQuery;

/** The JSON of {@code /v1/query}: a query as Consul shows it, and the answer of an execution. */
final class PreparedQueryJson {
    /** What a caller that may not see a query's token sees instead, as Consul redacts it. */
    static final String HIDDEN = "<hidden>";

    private PreparedQueryJson() {
    }

    record Query(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                 @JsonProperty("Session") String session, @JsonProperty("Token") String token,
                 @JsonProperty("Service") Service service, @JsonProperty("DNS") Dns dns,
                 @JsonProperty("Template") Template template, @JsonProperty("CreateIndex") long createIndex,
                 @JsonProperty("ModifyIndex") long modifyIndex) {

        static Query of(PreparedQuery q, boolean showToken) {
            PreparedQuery.ServiceQuery s = q.service();
            PreparedQuery.Template t = q.template();
            String token = q.token().isEmpty() || showToken ? q.token() : HIDDEN;
            return new Query(q.id(), q.name(), q.session(), token,
                    new Service(s.service(), new Failover(s.nearestN(), s.datacenters()), s.onlyPassing(),
                            s.ignoreCheckIds(), s.near(), s.tags(), s.nodeMeta(), s.serviceMeta(),
                            new Connect(false)),
                    new Dns(q.dnsTtl()),
                    t == null ? new Template("", "", false) : new Template(t.type(), t.regexp(), t.removeEmptyTags()),
                    q.createIndex(), q.modifyIndex());
        }
    }

    record Service(@JsonProperty("Service") String service, @JsonProperty("Failover") Failover failover,
                   @JsonProperty("OnlyPassing") boolean onlyPassing,
                   @JsonProperty("IgnoreCheckIDs") List<String> ignoreCheckIds, @JsonProperty("Near") String near,
                   @JsonProperty("Tags") List<String> tags, @JsonProperty("NodeMeta") Map<String, String> nodeMeta,
                   @JsonProperty("ServiceMeta") Map<String, String> serviceMeta,
                   @JsonProperty("Connect") Connect connect) {
    }

    record Failover(@JsonProperty("NearestN") int nearestN, @JsonProperty("Datacenters") List<String> datacenters) {
    }

    record Connect(@JsonProperty("Native") boolean nativeOnly) {
    }

    record Dns(@JsonProperty("TTL") String ttl) {
    }

    record Template(@JsonProperty("Type") String type, @JsonProperty("Regexp") String regexp,
                    @JsonProperty("RemoveEmptyTags") boolean removeEmptyTags) {
    }

    /** {@code POST /v1/query}'s answer. */
    record Created(@JsonProperty("ID") String id) {
    }

    /** {@code /v1/query/<id>/explain}'s answer: the query as it would run, its template filled in. */
    record Explained(@JsonProperty("Query") Query query) {
    }

    /** {@code /v1/query/<id>/execute}'s answer. */
    record Executed(@JsonProperty("Service") String service,
                    @JsonProperty("Nodes") List<CatalogJson.ServiceEntryJson> nodes, @JsonProperty("DNS") Dns dns,
                    @JsonProperty("Datacenter") String datacenter, @JsonProperty("Failovers") int failovers) {
    }
}
