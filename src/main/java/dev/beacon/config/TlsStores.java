package dev.beacon.config;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;

import dev.beacon.cluster.RaftTls;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The certificates of {@code beacon.tls}, read from Consul-style PEM files once at start: as an {@link SslBundle}
 * for HTTPS, and as key-store files for Atomix, which reads its stores from files. Those are written afresh at
 * every start (owner-only, with a password made for this run), so they never outlive the PEM files they came from.
 */
final class TlsStores {
    private TlsStores() {
    }

    static SslBundle bundle(BeaconProperties.Tls tls) {
        PemSslStoreDetails key = new PemSslStoreDetails(null, location(tls.certFile()), location(tls.keyFile()));
        PemSslStoreDetails trust = PemSslStoreDetails.forCertificates(location(tls.caFile()));
        try {
            return SslBundle.of(new PemSslStoreBundle(key, trust));
        } catch (RuntimeException e) {
            throw new IllegalStateException("beacon.tls: cannot read the certificates (" + tls.caFile() + ", "
                    + tls.certFile() + ", " + tls.keyFile() + "): " + e.getMessage(), e);
        }
    }

    /** The bundle's stores as files under {@code dir} for Atomix's server-to-server TLS. */
    static RaftTls forRaft(SslBundle bundle, Path dir) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        try {
            Files.createDirectories(dir);
            Path keyStore = write(dir.resolve("raft-key.p12"), rekeyed(bundle.getStores().getKeyStore(),
                    bundle.getStores().getKeyStorePassword(), password),
                    password);
            Path trustStore = write(dir.resolve("raft-trust.p12"), bundle.getStores().getTrustStore(), password);
            return new RaftTls(keyStore, password, trustStore, password);
        } catch (IOException e) {
            throw new UncheckedIOException("beacon.tls: cannot write the Raft key stores to " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("beacon.tls: cannot build the Raft key stores: " + e.getMessage(), e);
        }
    }

    /** A copy of the key store (of the type Atomix reads) whose keys the given password protects, as Atomix needs. */
    private static KeyStore rekeyed(KeyStore source, String sourcePassword, String password)
            throws GeneralSecurityException, IOException {
        char[] sourceKeyPassword = sourcePassword == null ? new char[0] : sourcePassword.toCharArray();
        KeyStore copy = KeyStore.getInstance(KeyStore.getDefaultType());
        copy.load(null, null);
        for (String alias : Collections.list(source.aliases())) {
            if (source.isKeyEntry(alias)) {
                copy.setKeyEntry(alias, source.getKey(alias, sourceKeyPassword), password.toCharArray(),
                        source.getCertificateChain(alias));
            }
        }
        return copy;
    }

    private static Path write(Path file, KeyStore store, String password) throws IOException,
            GeneralSecurityException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private static String location(Path file) {
        return "file:" + file.toAbsolutePath();
    }
}
