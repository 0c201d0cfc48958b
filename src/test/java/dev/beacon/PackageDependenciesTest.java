package dev.beacon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The package rules of DESIGN.md, read from the sources: dependencies point inward, Atomix stays in one place. */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/beacon");

    @Test
    void onlyTheAtomixPackageImportsAtomix() throws IOException {
        assertThat(filesImporting("io.atomix.")).isNotEmpty()
                .allMatch(file -> file.startsWith(SOURCES.resolve("cluster/atomix")), "is in cluster/atomix");
    }

    @Test
    void stateImportsTheJdkOnly() throws IOException {
        assertThat(importsUnder(SOURCES.resolve("state")))
                .map(line -> line.replace("import static ", "import "))
                .allMatch(line -> line.startsWith("import java.") || line.startsWith("import dev.beacon.state."),
                        "imports the JDK or state only");
    }

    @Test
    void nothingOutsideConfigReachesTheAtomixImplementation() throws IOException {
        assertThat(filesImporting("dev.beacon.cluster.atomix."))
                .allMatch(file -> file.startsWith(SOURCES.resolve("config")), "is in config");
    }

    @Test
    void dnsReadsTheStateOnly() throws IOException {
        assertThat(importsUnder(SOURCES.resolve("dns")))
                .noneMatch(line -> line.startsWith("import dev.beacon.")
                        && !line.startsWith("import dev.beacon.state.") && !line.startsWith("import dev.beacon.dns."));
    }

    @Test
    void theEtcdFrontDoorUsesTheStateTheClusterInterfacesAndTheReadPathOnly() throws IOException {
        List<String> allowed = List.of("import dev.beacon.state.", "import dev.beacon.etcd.", "import dev.beacon.acl.",
                "import dev.beacon.api.BlockingQueries;", "import dev.beacon.api.ReadOptions;");
        assertThat(importsUnder(SOURCES.resolve("etcd")))
                .filteredOn(line -> line.startsWith("import dev.beacon."))
                .allMatch(line -> allowed.stream().anyMatch(line::startsWith)
                        || (line.startsWith("import dev.beacon.cluster.") && !line.contains(".atomix.")),
                        "imports the state, the cluster interfaces, ACL permissions or the read path");
    }

    @Test
    void theWanUsesTheStateTheClusterInterfacesThePipelinesDatacenterStageTheReadPathAndDnsOnly() throws IOException {
        List<String> allowed = List.of("import dev.beacon.wan.", "import dev.beacon.api.ApiException;",
                "import dev.beacon.api.ApiRequest;", "import dev.beacon.api.ApiResponse;",
                "import dev.beacon.api.DatacenterRouting;", "import dev.beacon.api.LocalDatacenter;",
                "import dev.beacon.dns.DnsHandler;", "import dev.beacon.dns.RemoteDatacenters;",
                "import dev.beacon.api.BlockingQueries;", "import dev.beacon.api.ReadOptions;",
                "import dev.beacon.state.");
        assertThat(importsUnder(SOURCES.resolve("wan")))
                .filteredOn(line -> line.startsWith("import dev.beacon."))
                .allMatch(line -> allowed.stream().anyMatch(line::startsWith)
                        || (line.startsWith("import dev.beacon.cluster.") && !line.contains(".atomix.")),
                        "imports the state, the cluster interfaces, the datacenter stage, the read path or DNS");
    }

    private static List<Path> filesImporting(String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> lines(f).anyMatch(line -> line.startsWith("import " + prefix)))
                    .toList();
        }
    }

    private static List<String> importsUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(PackageDependenciesTest::lines)
                    .filter(line -> line.startsWith("import "))
                    .toList();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
