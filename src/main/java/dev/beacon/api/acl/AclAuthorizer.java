package dev.beacon.api.acl;

import dev.beacon.acl.Permissions;
import dev.beacon.acl.TokenResolver;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.Authorizer;
import dev.beacon.api.Caller;
import dev.beacon.api.Route;
import dev.beacon.state.AclToken;

/**
 * The authorize stage with ACLs on: resolves the request's token (a token that does not resolve is Consul's 403
 * {@code ACL not found}) and refuses at once what the route's resource decides alone: operator, ACL and agent
 * routes. Routes on keys, services, nodes, sessions and events check the names they touch in their handlers.
 */
public final class AclAuthorizer implements Authorizer {
    private final TokenResolver resolver;
    private final String nodeName;

    /** @param nodeName this server's node: what agent rules name */
    public AclAuthorizer(TokenResolver resolver, String nodeName) {
        this.resolver = resolver;
        this.nodeName = nodeName;
    }

    @Override
    public ApiRequest authorize(ApiRequest request) {
        Caller caller = caller(request.token());
        Route route = request.route();
        Permissions may = caller.permissions();
        boolean read = route.access() == Route.Access.READ;
        switch (route.resource()) {
            case OPERATOR -> caller.require(read ? may.operatorRead() : may.operatorWrite(),
                    read ? "operator:read" : "operator:write", null);
            case ACL -> caller.require(read ? may.aclRead() : may.aclWrite(), read ? "acl:read" : "acl:write", null);
            case AGENT -> caller.require(read ? may.agentRead(nodeName) : may.agentWrite(nodeName),
                    read ? "agent:read" : "agent:write", nodeName);
            default -> {
                // checked by the handler, on the names the request touches
            }
        }
        return request.by(caller);
    }

    /** The caller a token secret stands for; {@code ""} is the anonymous token. */
    public Caller caller(String secret) {
        TokenResolver.Resolution resolved = resolver.resolve(secret);
        if (resolved == null) {
            throw ApiException.forbidden(AclRoutes.NOT_FOUND);
        }
        AclToken token = resolved.token();
        String accessor = token == null || token.accessorId().equals(AclToken.ANONYMOUS_ACCESSOR_ID) ? ""
                : token.accessorId();
        return new Caller(accessor, resolved.permissions());
    }
}
