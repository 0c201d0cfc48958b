package dev.beacon;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BeaconApplication {
    public static void main(String[] args) {
        SpringApplication.run(BeaconApplication.class, args);
    }
}
