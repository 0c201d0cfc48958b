package dev.beacon.api.agent;

import java.util.concurrent.CompletionStage;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiResponse;
import dev.beacon.state.Outcome;

/** How the agent's writes answer: 200 with no body, as Consul's do, or 400 with why the write was refused. */
final class AgentWrites {
    private AgentWrites() {
    }

    static CompletionStage<ApiResponse> answer(CompletionStage<Outcome> write) {
        return write.thenApply(outcome -> {
            if (outcome.error() != null) {
                throw ApiException.badRequest(outcome.error());
            }
            return ApiResponse.empty();
        });
    }
}
