package dev.beacon.wan;

import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import reactor.netty.http.client.HttpClient;

/**
 * How this server reaches other servers' WAN ports: plain HTTP, or with {@code beacon.tls} set HTTPS where each side
 * presents its certificate and checks the other's against the CA, as the servers of one datacenter do on their Raft
 * port (no host name check, as there: a certificate the CA signed is a server).
 *
 * @param client the HTTP client, secured when {@code scheme} is https
 * @param scheme {@code http} or {@code https}
 */
public record WanTransport(HttpClient client, String scheme) {

    public static WanTransport plain(HttpClient client) {
        return new WanTransport(client, "http");
    }

    /** @param clientTls a client context with this server's certificate and the CA */
    public static WanTransport tls(HttpClient client, SslContext clientTls) {
        Consumer<SslHandler> noHostNameCheck = handler -> {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            engine.setSSLParameters(parameters);
        };
        return new WanTransport(client.secure(spec -> spec.sslContext(clientTls).handlerConfigurator(noHostNameCheck)),
                "https");
    }

    /** The URL of {@code target} (a path and query) on the WAN port at {@code address} ({@code host:port}). */
    String url(String address, String target) {
        return scheme + "://" + address + target;
    }
}
