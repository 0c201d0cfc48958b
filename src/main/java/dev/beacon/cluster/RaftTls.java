package dev.beacon.cluster;

import java.nio.file.Path;

/**
 * Server-to-server TLS: this server's key and certificate, and the CA certificates a peer's must be signed by, as
 * key-store files (Atomix reads stores from files). Both sides present and verify certificates, so a server whose
 * certificate another CA signed cannot join.
 */
public record RaftTls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    /** Secrets are never logged. */
    @Override
    public String toString() {
        return "RaftTls[" + keyStore + ", " + trustStore + "]";
    }
}
