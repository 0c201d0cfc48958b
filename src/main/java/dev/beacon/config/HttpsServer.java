package dev.beacon.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * HTTPS on its own port ({@code beacon.ports.https}, Consul's 8501) beside plain HTTP, serving what the HTTP port
 * serves: the /v1 API, the UI and Actuator, on the same event loops. With {@code verifyIncoming} a client must
 * present a certificate the CA signed. It starts with the HTTP server and stops before the cluster. With plain HTTP
 * off, the main server itself serves HTTPS instead ({@link TlsConfiguration}).
 */
final class HttpsServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(HttpsServer.class);
    private static final String BUNDLE = "beacon";

    private final NettyReactiveWebServerFactory factory;
    private final ObjectProvider<HttpHandler> handler;
    private WebServer server;

    HttpsServer(String address, int port, SslBundle bundle, boolean verifyIncoming, ObjectProvider<HttpHandler> handler,
                List<NettyRouteProvider> routes, ReactorResourceFactory resources) throws UnknownHostException {
        this.handler = handler;
        factory = new NettyReactiveWebServerFactory(port);
        factory.setAddress(InetAddress.getByName(address));
        factory.setResourceFactory(resources);
        routes.forEach(factory::addRouteProviders);
        useTls(factory, bundle, verifyIncoming);
    }

    /** Makes a server of {@code factory} serve HTTPS with {@code bundle}; client certificates as asked. */
    static void useTls(NettyReactiveWebServerFactory factory, SslBundle bundle, boolean verifyIncoming) {
        Ssl ssl = new Ssl();
        ssl.setBundle(BUNDLE);
        ssl.setClientAuth(verifyIncoming ? Ssl.ClientAuth.NEED : Ssl.ClientAuth.NONE);
        factory.setSsl(ssl);
        factory.setSslBundles(new DefaultSslBundleRegistry(BUNDLE, bundle));
    }

    @Override
    public synchronized void start() {
        server = factory.getWebServer(handler.getObject());
        server.start();
        log.info("HTTPS on port {}", server.getPort());
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port it listens on (the one asked for, or the one given for 0). */
    synchronized int port() {
        return server == null ? -1 : server.getPort();
    }
}
