package dev.beacon.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring Cloud Consul application with nothing Beacon-specific in it: it takes its configuration from
 * {@code config/<application>/} keys, registers itself, and finds other services through Consul's HTTP API.
 */
@SpringBootApplication
public class ExampleApplication {
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
