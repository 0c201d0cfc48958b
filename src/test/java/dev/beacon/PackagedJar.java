package dev.beacon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The jar {@code mvn package} built, for tests that start it as its own process, the way users run it. */
public final class PackagedJar {
    private PackagedJar() {
    }

    /** {@code target/beacon.jar}, absolute; integration tests run after the package phase. */
    public static Path path() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().equals("beacon.jar"))
                    .map(Path::toAbsolutePath)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in target/: run after 'mvn package'"));
        }
    }

    /** A TCP port free on 127.0.0.1 when asked, for a server process to listen on. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
