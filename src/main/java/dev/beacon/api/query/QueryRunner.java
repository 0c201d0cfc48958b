package dev.beacon.api.query;

import java.util.concurrent.CompletionStage;

import dev.beacon.api.Caller;
import dev.beacon.state.Indexed;
import tools.jackson.databind.JsonNode;

/** Runs a prepared query by name or id for another front door than {@code /v1} (DNS). */
public interface QueryRunner {
    /**
     * The answer of the query {@code nameOrId} (Consul's execute answer), read from this server's replica and
     * failing over as the query says; null when no query has this name or id, or {@code caller} may not read it.
     *
     * @param token the token failover requests carry when the query has none
     */
    CompletionStage<Indexed<JsonNode>> run(String nameOrId, Caller caller, String token);
}
