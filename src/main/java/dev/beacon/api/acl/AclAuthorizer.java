package dev.beacon.api.acl;

import dev.beacon.acl.Permissions;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.Authorizer;
import dev.beacon.api.Caller;
import dev.beacon.api.Route;

/**
 * The authorize stage with ACLs on: resolves the request's token (a token that does not resolve is Consul's 403
 * {@code ACL not found}) and refuses at once what the route's resource decides alone: operator, ACL and agent
 * routes. Routes on keys, services, nodes, sessions and events check the names they touch in their handlers.
 */
public final class AclAuthorizer implements Authorizer {
    private final Callers callers;
    private final String nodeName;

    /** @param nodeName this server's node: what agent rules name */
    public AclAuthorizer(Callers callers, String nodeName) {
        this.callers = callers;
        this.nodeName = nodeName;
    }

    @Override
    public ApiRequest authorize(ApiRequest request) {
        Caller caller = callers.of(request.token());
        if (caller == null) {
            throw ApiException.forbidden(AclRoutes.NOT_FOUND);
        }
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
}
