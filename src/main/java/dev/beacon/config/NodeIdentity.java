package dev.beacon.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** This node's name and its Consul-style NodeID, which is made once and kept in the data directory. */
public record NodeIdentity(String name, String id) {

    static NodeIdentity load(BeaconProperties properties) {
        String name = properties.nodeName() == null || properties.nodeName().isBlank()
                ? hostName() : properties.nodeName();
        return new NodeIdentity(name, loadOrCreateId(properties.dataDir().resolve("node-id")));
    }

    private static String loadOrCreateId(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.getParent());
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id, StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the node id in " + file, e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "beacon";
        }
    }
}
