package dev.beacon.api.acl;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclRole;
import dev.beacon.state.AclTables;
import dev.beacon.state.AclToken;
import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's ACL endpoints: bootstrap, tokens, policies and roles. Reads block and take a consistency like every
 * read; writes go through Raft, where names and secrets are kept unique. With ACLs off every one of them is
 * Consul's 401 {@code ACL support disabled}.
 */
public final class AclRoutes implements ApiRoutes {
    /** How Consul answers an ACL item that does not exist, or a token it cannot resolve. */
    public static final String NOT_FOUND = "ACL not found";
    private static final ReadOptions CURRENT = new ReadOptions(ReadOptions.Consistency.DEFAULT, 0, Duration.ZERO);
    private static final Duration APPLY_WAIT = Duration.ofSeconds(10);

    private final boolean enabled;
    private final Replicator replicator;
    private final BlockingQueries queries;
    private final AclRequests requests;
    private final LongSupplier clock;

    public AclRoutes(boolean enabled, Replicator replicator, BlockingQueries queries, JsonMapper json,
                     LongSupplier clock) {
        this.enabled = enabled;
        this.replicator = replicator;
        this.queries = queries;
        this.requests = new AclRequests(json);
        this.clock = clock;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("PUT", "/v1/acl/bootstrap", Route.Resource.NONE, 0, on(this::bootstrap))
                .write("PUT", "/v1/acl/token", Route.Resource.ACL, on(this::createToken))
                // Any valid token may read itself (token/self): the handler checks acl:read for the others.
                .get("/v1/acl/token/", Route.Resource.NONE, on(this::readToken))
                .write("PUT", "/v1/acl/token/", Route.Resource.ACL, on(this::updateOrCloneToken))
                .write("DELETE", "/v1/acl/token/", Route.Resource.ACL, 0, on(this::deleteToken))
                .get("/v1/acl/tokens", Route.Resource.ACL, on(this::listTokens))
                .write("PUT", "/v1/acl/policy", Route.Resource.ACL, on(this::createPolicy))
                .get("/v1/acl/policy/", Route.Resource.ACL, on(this::readPolicy))
                .write("PUT", "/v1/acl/policy/", Route.Resource.ACL, on(this::updatePolicy))
                .write("DELETE", "/v1/acl/policy/", Route.Resource.ACL, 0, on(this::deletePolicy))
                .get("/v1/acl/policies", Route.Resource.ACL, on(this::listPolicies))
                .write("PUT", "/v1/acl/role", Route.Resource.ACL, on(this::createRole))
                .get("/v1/acl/role/", Route.Resource.ACL, on(this::readRole))
                .write("PUT", "/v1/acl/role/", Route.Resource.ACL, on(this::updateRole))
                .write("DELETE", "/v1/acl/role/", Route.Resource.ACL, 0, on(this::deleteRole))
                .get("/v1/acl/roles", Route.Resource.ACL, on(this::listRoles));
    }

    private Route.Handler on(Route.Handler handler) {
        return request -> {
            if (!enabled) {
                throw new ApiException(HttpStatus.UNAUTHORIZED, "ACL support disabled");
            }
            return handler.handle(request);
        };
    }

    // ---- bootstrap ----

    private CompletionStage<ApiResponse> bootstrap(ApiRequest request) {
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "Bootstrap Token (Global Management)", List.of(), List.of(), false, 0, 0, 0, 0);
        return replicator.submit(new Command.AclBootstrap(token, false)).thenCompose(outcome -> {
            if (outcome.error() != null && outcome.error().startsWith("ACL bootstrap no longer allowed")) {
                throw ApiException.forbidden("Permission denied: " + outcome.error());
            }
            return written(outcome, a -> a.tokenBySecret(token.secretId()).map(t -> AclJson.token(t, a)));
        });
    }

    // ---- tokens ----

    private CompletionStage<ApiResponse> createToken(ApiRequest request) {
        return current().thenCompose(acl -> {
            AclRequests.TokenWrite write = requests.token(request.body(), acl, null, null, clock.getAsLong());
            return replicator.submit(new Command.AclSetToken(write.token(), write.expirationTtlMillis()))
                    .thenCompose(outcome -> written(outcome,
                            a -> a.token(write.token().accessorId()).map(t -> AclJson.token(t, a))));
        });
    }

    private CompletionStage<ApiResponse> readToken(ApiRequest request) {
        String accessor = request.name("Missing token ID");
        if (accessor.equals("self")) {
            return read(request, acl -> acl.tokenBySecret(secretOf(request)).map(t -> AclJson.token(t, acl)));
        }
        requireAclRead(request.caller());
        return read(request, acl -> acl.token(accessor).map(t -> AclJson.token(t, acl)));
    }

    private static String secretOf(ApiRequest request) {
        return request.token().isEmpty() ? AclToken.ANONYMOUS_SECRET_ID : request.token();
    }

    private CompletionStage<ApiResponse> updateOrCloneToken(ApiRequest request) {
        String tail = request.name("Missing token ID");
        if (tail.endsWith("/clone")) {
            return cloneToken(request, tail.substring(0, tail.length() - "/clone".length()));
        }
        return current().thenCompose(acl -> {
            AclToken existing = acl.token(tail).orElseThrow(() -> ApiException.forbidden(NOT_FOUND));
            AclRequests.TokenWrite write = requests.token(request.body(), acl, existing, tail, clock.getAsLong());
            return replicator.submit(new Command.AclSetToken(write.token(), 0))
                    .thenCompose(outcome -> written(outcome, a -> a.token(tail).map(t -> AclJson.token(t, a))));
        });
    }

    private CompletionStage<ApiResponse> cloneToken(ApiRequest request, String accessor) {
        String description = requests.cloneDescription(request.body());
        return current().thenCompose(acl -> {
            AclToken original = acl.token(accessor).orElseThrow(() -> ApiException.forbidden(NOT_FOUND));
            if (original.accessorId().equals(AclToken.ANONYMOUS_ACCESSOR_ID)) {
                throw ApiException.badRequest("Cannot clone the anonymous token");
            }
            AclToken clone = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    description == null ? original.description() : description, original.policies(),
                    original.roles(), original.local(), 0, 0, 0, 0);
            long ttl = original.expirationTime() == 0 ? 0 : Math.max(1, original.expirationTime()
                    - clock.getAsLong());
            return replicator.submit(new Command.AclSetToken(clone, ttl)).thenCompose(outcome -> written(outcome,
                    a -> a.token(clone.accessorId()).map(t -> AclJson.token(t, a))));
        });
    }

    private CompletionStage<ApiResponse> deleteToken(ApiRequest request) {
        String accessor = request.name("Missing token ID");
        return current().thenCompose(acl -> {
            if (acl.tokenBySecret(secretOf(request)).map(t -> t.accessorId().equals(accessor)).orElse(false)) {
                throw ApiException.badRequest("Deletion of the request's authorization token is not permitted");
            }
            return deleted(new Command.AclDeleteToken(accessor));
        });
    }

    private CompletionStage<ApiResponse> listTokens(ApiRequest request) {
        String policy = request.params().get("policy");
        String role = request.params().get("role");
        boolean showSecrets = request.caller().permissions().aclWrite();
        return read(request, acl -> Optional.of(acl.tokens().stream()
                .filter(t -> policy == null || policy.isEmpty() || t.policies().contains(policy))
                .filter(t -> role == null || role.isEmpty() || t.roles().contains(role))
                .map(t -> AclJson.stub(t, acl, showSecrets)).toList()));
    }

    // ---- policies ----

    private CompletionStage<ApiResponse> createPolicy(ApiRequest request) {
        AclPolicy policy = requests.policy(request.body(), UUID.randomUUID().toString());
        return replicator.submit(new Command.AclSetPolicy(policy)).thenCompose(outcome -> written(outcome,
                a -> a.policy(policy.id()).map(AclJson::policy)));
    }

    private CompletionStage<ApiResponse> readPolicy(ApiRequest request) {
        String tail = request.name("Missing policy ID");
        if (tail.startsWith("name/")) {
            String name = tail.substring("name/".length());
            return read(request, acl -> acl.policyByName(name).map(AclJson::policy));
        }
        return read(request, acl -> acl.policy(tail).map(AclJson::policy));
    }

    private CompletionStage<ApiResponse> updatePolicy(ApiRequest request) {
        String id = request.name("Missing policy ID");
        AclPolicy policy = requests.policy(request.body(), id);
        return current().thenCompose(acl -> {
            acl.policy(id).orElseThrow(() -> ApiException.forbidden(NOT_FOUND));
            return replicator.submit(new Command.AclSetPolicy(policy)).thenCompose(outcome -> written(outcome,
                    a -> a.policy(id).map(AclJson::policy)));
        });
    }

    private CompletionStage<ApiResponse> deletePolicy(ApiRequest request) {
        return deleted(new Command.AclDeletePolicy(request.name("Missing policy ID")));
    }

    private CompletionStage<ApiResponse> listPolicies(ApiRequest request) {
        return read(request, acl -> Optional.of(acl.policies().stream().map(AclJson::stub).toList()));
    }

    // ---- roles ----

    private CompletionStage<ApiResponse> createRole(ApiRequest request) {
        return current().thenCompose(acl -> {
            AclRole role = requests.role(request.body(), UUID.randomUUID().toString(), acl);
            return replicator.submit(new Command.AclSetRole(role)).thenCompose(outcome -> written(outcome,
                    a -> a.role(role.id()).map(r -> AclJson.role(r, a))));
        });
    }

    private CompletionStage<ApiResponse> readRole(ApiRequest request) {
        String tail = request.name("Missing role ID");
        if (tail.startsWith("name/")) {
            String name = tail.substring("name/".length());
            return read(request, acl -> acl.roleByName(name).map(r -> AclJson.role(r, acl)));
        }
        return read(request, acl -> acl.role(tail).map(r -> AclJson.role(r, acl)));
    }

    private CompletionStage<ApiResponse> updateRole(ApiRequest request) {
        String id = request.name("Missing role ID");
        return current().thenCompose(acl -> {
            acl.role(id).orElseThrow(() -> ApiException.forbidden(NOT_FOUND));
            AclRole role = requests.role(request.body(), id, acl);
            return replicator.submit(new Command.AclSetRole(role)).thenCompose(outcome -> written(outcome,
                    a -> a.role(id).map(r -> AclJson.role(r, a))));
        });
    }

    private CompletionStage<ApiResponse> deleteRole(ApiRequest request) {
        return deleted(new Command.AclDeleteRole(request.name("Missing role ID")));
    }

    private CompletionStage<ApiResponse> listRoles(ApiRequest request) {
        return read(request, acl -> Optional.of(acl.roles().stream().map(r -> AclJson.role(r, acl))
                .toList()));
    }

    // ---- shared ----

    private static void requireAclRead(Caller caller) {
        caller.require(caller.permissions().aclRead(), "acl:read", null);
    }

    /** The ACL data as the leader has it now: what a write checks its links and names against. */
    private CompletableFuture<AclItems> current() {
        return queries.read(CURRENT, new Query.Acl()).thenApply(r -> new AclItems(r.value()));
    }

    /** A read with the request's consistency and blocking; a missing item is Consul's 403 "ACL not found". */
    private CompletionStage<ApiResponse> read(ApiRequest request,
                                              Function<AclItems, Optional<?>> select) {
        return queries.read(request.read(), new Query.Acl()).thenApply((Indexed<AclTables> r) ->
                ApiResponse.read(select.apply(new AclItems(r.value()))
                        .orElseThrow(() -> ApiException.forbidden(NOT_FOUND)), r.index()));
    }

    /** The answer to a write: what it wrote, read back from this server once the write is applied here. */
    private CompletionStage<ApiResponse> written(Outcome outcome, Function<AclItems, Optional<?>> select) {
        if (outcome.error() != null) {
            throw ApiException.badRequest(outcome.error());
        }
        // Blocks until this server has applied the write (a write through a follower commits on the leader first).
        ReadOptions atWrite = new ReadOptions(ReadOptions.Consistency.STALE, outcome.index() - 1, APPLY_WAIT);
        return queries.read(atWrite, new Query.Acl()).thenApply(r -> ApiResponse.json(
                select.apply(new AclItems(r.value())).orElseThrow(() -> ApiException.forbidden(NOT_FOUND))));
    }

    private CompletionStage<ApiResponse> deleted(Command command) {
        return replicator.submit(command).thenApply(outcome -> {
            if (outcome.error() != null) {
                throw ApiException.badRequest(outcome.error());
            }
            return ApiResponse.json(Boolean.TRUE);
        });
    }
}
