package dev.beacon.ui;

import java.util.function.Function;

import dev.beacon.api.Caller;
import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Who is looking at a page. With ACLs on, the token is the one the visitor set on the token page, which the browser
 * keeps in a cookie ({@link #COOKIE}: sent to Beacon's own pages only, never readable by scripts) and sends with
 * every page; without one, or with one that no longer resolves, the visitor is the anonymous token. With ACLs off
 * every visitor may see and do everything, as on the API.
 */
public final class UiAccess {
    static final String COOKIE = "beacon-token";

    private final Function<String, Caller> resolve;

    private UiAccess(Function<String, Caller> resolve) {
        this.resolve = resolve;
    }

    public static UiAccess off() {
        return new UiAccess(null);
    }

    /** @param resolve a token's secret ("" for none) to its caller; null if no token has the secret */
    public static UiAccess with(Function<String, Caller> resolve) {
        return new UiAccess(resolve);
    }

    boolean enabled() {
        return resolve != null;
    }

    Caller caller(ServerHttpRequest request) {
        if (resolve == null) {
            return Caller.ANYONE;
        }
        Caller caller = resolve.apply(secret(request));
        return caller != null ? caller : resolve.apply("");
    }

    /** The caller a secret stands for, or null if no token has it. */
    Caller tokenOf(String secret) {
        return resolve.apply(secret);
    }

    static String secret(ServerHttpRequest request) {
        HttpCookie cookie = request.getCookies().getFirst(COOKIE);
        return cookie == null ? "" : cookie.getValue();
    }

    /** Refuses the page unless {@code allowed}, naming what was missing. */
    static void require(boolean allowed, String permission, String on) {
        if (!allowed) {
            throw new UiDenied(permission, on);
        }
    }
}
