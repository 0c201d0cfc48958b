package dev.beacon.api.acl;

import dev.beacon.acl.ConfiguredTokens;
import dev.beacon.acl.TokenResolver;
import dev.beacon.api.Caller;
import dev.beacon.state.AclToken;

/**
 * Who a token's secret stands for, as a {@link Caller}: the one resolution the API's authorize stage, the UI and
 * DNS share.
 */
public final class Callers {
    private final TokenResolver resolver;
    private final ConfiguredTokens configured;

    public Callers(TokenResolver resolver, ConfiguredTokens configured) {
        this.resolver = resolver;
        this.configured = configured;
    }

    /**
     * The caller a secret stands for; {@code ""} is the default token if one is set, else the anonymous token,
     * which always resolves.
     *
     * @return null if no token has this secret, or it has expired
     */
    public Caller of(String secret) {
        TokenResolver.Resolution resolved = resolver.resolve(configured.forRequest(secret));
        if (resolved == null) {
            return null;
        }
        AclToken token = resolved.token();
        String accessor = token == null || token.accessorId().equals(AclToken.ANONYMOUS_ACCESSOR_ID) ? ""
                : token.accessorId();
        return new Caller(accessor, resolved.permissions());
    }
}
