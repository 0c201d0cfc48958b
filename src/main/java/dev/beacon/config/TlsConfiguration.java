package dev.beacon.config;

import java.net.UnknownHostException;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
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
 * with {@code ports.http = -1}.
 */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {

    @Bean
    @ConditionalOnExpression("${beacon.ports.https:-1} >= 0 and ${beacon.ports.http:8500} >= 0")
    HttpsServer httpsServer(BeaconProperties properties, ObjectProvider<HttpHandler> handler,
                            List<NettyRouteProvider> routes, ReactorResourceFactory resources)
            throws UnknownHostException {
        requireCertificates(properties);
        return new HttpsServer(properties.clientAddress(), properties.ports().https(),
                TlsStores.bundle(properties.tls()), properties.tls().verifyIncoming(), handler, routes, resources);
    }

    @Bean
    @ConditionalOnExpression("${beacon.ports.http:8500} < 0")
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> httpsOnly(BeaconProperties properties) {
        if (properties.ports().https() < 0) {
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
