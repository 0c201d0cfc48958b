package dev.beacon.example;

import java.util.List;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.consul.ConsulClient;
import org.springframework.cloud.consul.discovery.ConsulDiscoveryClient;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Shows what the application learnt from Consul: a configuration value and other services' instances. */
@RestController
class GreetingController {
    private final Environment environment;
    private final DiscoveryClient discovery;
    private final ConsulDiscoveryClient consul;

    GreetingController(Environment environment, DiscoveryClient discovery, ConsulDiscoveryClient consul) {
        this.environment = environment;
        this.discovery = discovery;
        this.consul = consul;
    }

    /** Read on every call, so a refreshed configuration shows at once. */
    @GetMapping("/greeting")
    String greeting() {
        return environment.getProperty("greeting.message", "no greeting configured");
    }

    /** host:port of every instance the discovery client returns for the service. */
    @GetMapping("/instances/{service}")
    List<String> instances(@PathVariable String service) {
        return discovery.getInstances(service).stream().map(i -> i.getHost() + ":" + i.getPort()).sorted().toList();
    }

    /** host:port of the service's instances in another datacenter, asked for through Consul's {@code ?dc=}. */
    @GetMapping("/instances/{service}/in/{datacenter}")
    List<String> instancesIn(@PathVariable String service, @PathVariable String datacenter) {
        return consul.getInstances(service, new ConsulClient.QueryParams(datacenter)).stream()
                .map(i -> i.getHost() + ":" + i.getPort()).sorted().toList();
    }

    /** The ids, for telling instances with the same address apart. */
    @GetMapping("/instance-ids/{service}")
    List<String> instanceIds(@PathVariable String service) {
        return discovery.getInstances(service).stream().map(ServiceInstance::getInstanceId).sorted().toList();
    }
}
