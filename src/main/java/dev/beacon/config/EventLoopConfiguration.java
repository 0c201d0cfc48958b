package dev.beacon.config;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

@Configuration(proxyBeanMethods = false)
public class EventLoopConfiguration {

    /**
     * The HTTP server's event loops belong to this server. Reactor Netty's default loops are shared by the whole
     * JVM, and stopping any Spring context disposes them: with several Beacon servers in one JVM (the cluster
     * tests), stopping one would take the others' HTTP servers down with it. Requests these loops cannot decode
     * are logged in a summary ({@link MalformedRequestLog}). By the time the loops are disposed every server on them
     * has stopped (gracefully, before), so they stop at once: Netty's default quiet period only added 2 s to every
     * stop, and so to every restart.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        MalformedRequestLog.install();
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        resources.setShutdownQuietPeriod(Duration.ZERO);
        return resources;
    }
}
