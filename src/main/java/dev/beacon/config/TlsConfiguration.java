package dev.beacon.config;

import java.net.UnknownHostException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * HTTPS beside plain HTTP (a second server on {@code beacon.ports.https}), or instead of it: with
 * {@code beacon.ports.http=-1} the main server listens on the HTTPS port and speaks only HTTPS, as a Consul agent
 * with {@code ports.http = -1}. The ports are looked at when the server starts, not by bean conditions: the packaged
 * server's bean definitions are fixed at build time (Spring AOT).
 */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {

    /** A second server for HTTPS beside plain HTTP; none (a null bean) unless both ports are on. */
    @Bean
    @Nullable
    HttpsServer httpsServer(BeaconProperties properties, ObjectProvider<HttpHandler> handler,
                            List<NettyRouteProvider> routes, ReactorResourceFactory resources)
            throws UnknownHostException {
        if (!properties.ports().httpsOn() || !properties.ports().httpOn()) {
            return null;
        }
        requireCertificates(properties);
        return new HttpsServer(properties.clientAddress(), properties.ports().https(),
                TlsStores.bundle(properties.tls()), properties.tls().verifyIncoming(), handler, routes, resources);
    }

    /** With plain HTTP off, the main server speaks HTTPS on the HTTPS port; otherwise it is left as it is. */
    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> httpsOnly(BeaconProperties properties) {
        if (properties.ports().httpOn()) {
            return factory -> { };
        }
        if (!properties.ports().httpsOn()) {
            throw new IllegalStateException("beacon.ports.http=-1 turns plain HTTP off: set beacon.ports.https too");
        }
        requireCertificates(properties);
        return factory -> {
            factory.setPort(properties.ports().https());
            HttpsServer.useTls(factory, TlsStores.bundle(properties.tls()), properties.tls().verifyIncoming());
        };
    }

    private static void requireCertificates(BeaconProperties properties) {
        if (!properties.tls().enabled()) {
            throw new IllegalStateException("beacon.ports.https needs beacon.tls.ca-file, cert-file and key-file");
        }
    }
}
