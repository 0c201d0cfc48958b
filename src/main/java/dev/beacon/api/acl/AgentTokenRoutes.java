package dev.beacon.api.acl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.beacon.acl.ConfiguredTokens;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.JsonFields;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's {@code PUT /v1/agent/token/<kind>}: replaces one of the tokens this server uses on others' behalf
 * ({@code default}, {@code agent}, {@code dns}, and their legacy names) while it runs, with
 * {@code {"Token": "<secret>"}}; needs {@code acl:write}. Like Consul without token persistence, a restart goes
 * back to the configured ones. Kinds Consul has but Beacon does not use are refused rather than kept unused.
 */
public final class AgentTokenRoutes implements ApiRoutes {
    private final boolean enabled;
    private final ConfiguredTokens tokens;
    private final JsonMapper json;

    public AgentTokenRoutes(boolean enabled, ConfiguredTokens tokens, JsonMapper json) {
        this.enabled = enabled;
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("PUT", "/v1/agent/token/", Route.Resource.ACL, this::update);
    }

    private CompletionStage<ApiResponse> update(ApiRequest request) {
        if (!enabled) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "ACL support disabled");
        }
        String kind = request.tail();
        JsonNode body = JsonFields.parseObject(json, request.body());
        String secret = JsonFields.text(body, "Token", "");
        switch (kind) {
            case "default", "acl_token" -> tokens.setDefault(secret);
            case "agent", "acl_agent_token" -> tokens.setAgent(secret);
            case "dns" -> tokens.setDns(secret);
            case "agent_recovery", "agent_master", "acl_agent_master_token", "replication", "acl_replication_token",
                 "config_file_service_registration" -> throw ApiException.badRequest(
                    "Beacon does not use the \"" + kind + "\" token");
            default -> throw new ApiException(HttpStatus.NOT_FOUND, "Token \"" + kind + "\" is unknown");
        }
        return CompletableFuture.completedFuture(ApiResponse.empty());
    }
}
