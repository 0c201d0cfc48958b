package dev.beacon.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Real DNS packets over UDP and TCP against a real three-server cluster: registrations made over HTTP on one
 * server are answered by every server's DNS from its own replica. Server 2 lifts the UDP answer limit (to see
 * truncation) and sets TTLs; server 3 forwards other names to a small resolver in this test; {@code dig} checks
 * the common lookups as an outside client sees them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BIG = 40;
    private TestCluster cluster;
    private BeaconNode plain;
    private BeaconNode tuned;
    private BeaconNode recursing;
    private StubResolver upstream;

    @BeforeAll
    void start(@TempDir Path dir) {
        upstream = new StubResolver();
        cluster = new TestCluster(dir);
        plain = cluster.node(0).with("beacon.dns.tcp-idle-timeout", "2s");
        tuned = cluster.node(1)
                .with("beacon.dns.udp-answer-limit", "1000")
                .with("beacon.dns.enable-truncate", "true")
                .with("beacon.dns.service-ttl[web*]", "15s")
                .with("beacon.dns.node-ttl", "7s");
        recursing = cluster.node(2).with("beacon.dns.recursors", "127.0.0.1:" + upstream.port());
        cluster.startAll();
        BeaconNode leader = cluster.awaitLeader();
        register(leader, "m1", "10.1.0.1", "web-1", "web", "blue", 8080, "passing");
        register(leader, "m2", "10.1.0.2", "web-2", "web", "green", 8081, "warning");
        register(leader, "m3", "10.1.0.3", "web-3", "web", "blue", 8082, "critical");
        for (int i = 0; i < BIG; i++) {
            register(leader, "big-instance-node-" + i, "10.2.0." + i, "big-" + i, "big", "any", 9000 + i, "passing");
        }
        for (BeaconNode node : cluster.nodes()) {
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(answers(udp(node).send(query("big.service.consul.", Type.SRV)))).isNotEmpty());
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    addresses(tcp(node).send(query("big.service.consul.", Type.A)))).hasSize(BIG));
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        upstream.close();
    }

    private static void register(BeaconNode node, String nodeName, String address, String id, String service,
                                 String tag, int port, String status) {
        String body = "{\"Node\":\"" + nodeName + "\",\"Address\":\"" + address + "\","
                + "\"Service\":{\"ID\":\"" + id + "\",\"Service\":\"" + service + "\",\"Tags\":[\"" + tag + "\"],"
                + "\"Port\":" + port + "},"
                + "\"Check\":{\"Name\":\"c\",\"CheckID\":\"" + id + ":c\",\"ServiceID\":\"" + id + "\","
                + "\"Status\":\"" + status + "\"}}";
        HttpRequest request = HttpRequest.newBuilder(node.uri("/v1/catalog/register"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        assertThat(node.send(request).body()).isEqualTo("true");
    }

    private static SimpleResolver udp(BeaconNode node) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", node.dnsPort()));
        resolver.setTimeout(Duration.ofSeconds(5));
        resolver.setEDNS(null);
        resolver.setIgnoreTruncation(true);
        return resolver;
    }

    private static SimpleResolver tcp(BeaconNode node) {
        SimpleResolver resolver = udp(node);
        resolver.setTCP(true);
        return resolver;
    }

    private static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<Record> answers(Message response) {
        return response.getSection(Section.ANSWER);
    }

    private static Set<String> addresses(Message response) {
        Set<String> addresses = new HashSet<>();
        answers(response).forEach(r -> addresses.add(((ARecord) r).getAddress().getHostAddress()));
        return addresses;
    }

    @Test
    void everyServerAnswersServiceLookupsOverUdpAndTcpWithoutCriticalInstances() throws IOException {
        for (BeaconNode node : cluster.nodes()) {
            assertThat(addresses(udp(node).send(query("web.service.consul.", Type.A))))
                    .containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2");
            assertThat(addresses(tcp(node).send(query("WEB.service.dc1.consul.", Type.A))))
                    .containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2");
        }
    }

    @Test
    void srvAnswersNameTheNodesWithTheirAddressesAsAdditionalRecords() throws IOException {
        Message response = udp(plain).send(query("web.service.consul.", Type.SRV));

        List<String> targets = new ArrayList<>();
        for (Record r : answers(response)) {
            SRVRecord srv = (SRVRecord) r;
            assertThat(srv.getPriority()).isEqualTo(1);
            assertThat(srv.getWeight()).isEqualTo(1);
            targets.add(srv.getTarget() + ":" + srv.getPort());
        }
        assertThat(targets).containsExactlyInAnyOrder("m1.node.dc1.consul.:8080", "m2.node.dc1.consul.:8081");
        assertThat(response.findRRset(Name.fromString("m1.node.dc1.consul."), Type.A, Section.ADDITIONAL)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    }

    @Test
    void tagsNodesAndUnknownNames() throws IOException {
        assertThat(addresses(udp(plain).send(query("blue.web.service.consul.", Type.A)))).containsExactly("10.1.0.1");
        Message green = tcp(plain).send(query("_web._green.service.consul.", Type.SRV));
        assertThat(answers(green)).singleElement()
                .satisfies(r -> assertThat(((SRVRecord) r).getPort()).isEqualTo(8081));
        assertThat(addresses(udp(plain).send(query("m3.node.consul.", Type.A)))).containsExactly("10.1.0.3");
        assertThat(addresses(udp(plain).send(query("node2.node.dc1.consul.", Type.A)))).containsExactly("127.0.0.2");

        for (String unknown : List.of("nope.service.consul.", "m1.node.dc9.consul.", "x.y.consul.")) {
            Message response = udp(plain).send(query(unknown, Type.A));
            assertThat(response.getRcode()).as(unknown).isEqualTo(Rcode.NXDOMAIN);
            assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        }
    }

    @Test
    void theConsulServiceNamesEveryServerOnItsRaftPort() throws IOException {
        List<String> expected = cluster.nodes().stream()
                .map(n -> n.name() + ".node.dc1.consul.:" + n.raftPort()).toList();
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> targets = new ArrayList<>();
            for (Record r : answers(udp(plain).send(query("consul.service.consul.", Type.SRV)))) {
                targets.add(((SRVRecord) r).getTarget() + ":" + ((SRVRecord) r).getPort());
            }
            assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
        });
        assertThat(addresses(udp(plain).send(query("consul.service.consul.", Type.A))))
                .containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2", "127.0.0.3");
    }

    @Test
    void theDomainNamesEveryLiveServerAsANameServer() throws IOException {
        Message ns = udp(plain).send(query("consul.", Type.NS));
        Set<String> servers = new HashSet<>();
        answers(ns).forEach(r -> servers.add(r.rdataToString()));
        assertThat(servers).containsExactlyInAnyOrder("node1.node.dc1.consul.", "node2.node.dc1.consul.",
                "node3.node.dc1.consul.");
        assertThat(answers(udp(plain).send(query("consul.", Type.SOA)))).singleElement()
                .isInstanceOf(SOARecord.class);
    }

    @Test
    void udpAnswersStopAtTheAnswerLimitOrAreCutToFitMarkedTruncatedIfAskedAndTcpHasThemAll() throws IOException {
        Message limited = udp(plain).send(query("big.service.consul.", Type.A));
        assertThat(answers(limited)).hasSize(3);
        assertThat(limited.getHeader().getFlag(Flags.TC)).isFalse();

        Message cut = udp(tuned).send(query("big.service.consul.", Type.SRV));
        assertThat(cut.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(answers(cut)).hasSizeBetween(1, BIG - 1);
        assertThat(cut.toWire().length).isLessThanOrEqualTo(512);

        Message whole = tcp(tuned).send(query("big.service.consul.", Type.SRV));
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(answers(whole)).hasSize(BIG);
        assertThat(whole.getSection(Section.ADDITIONAL)).hasSize(BIG);

        SimpleResolver followsTruncation = udp(tuned);
        followsTruncation.setIgnoreTruncation(false);
        assertThat(answers(followsTruncation.send(query("big.service.consul.", Type.SRV)))).hasSize(BIG);

        Message edns = query("big.service.consul.", Type.SRV);
        edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message large = udp(tuned).send(edns);
        assertThat(large.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(answers(large)).hasSize(BIG);
        // As Consul, the answer limit is for clients that take 512 bytes: one that offers more gets what fits.
        Message unlimited = udp(plain).send(edns);
        assertThat(unlimited.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(answers(unlimited)).hasSize(BIG);
        // Without enable-truncate (Consul's default), what does not fit is left out with no TC bit.
        Message small = query("big.service.consul.", Type.SRV);
        small.addRecord(new OPTRecord(700, 0, 0), Section.ADDITIONAL);
        Message fitted = udp(plain).send(small);
        assertThat(fitted.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(answers(fitted)).hasSizeBetween(1, BIG - 1);
    }

    @Test
    void ttlsFollowTheServiceAndNodeSettings() throws IOException {
        assertThat(answers(udp(tuned).send(query("web.service.consul.", Type.A))))
                .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(15));
        assertThat(answers(udp(tuned).send(query("big.service.consul.", Type.A))))
                .allSatisfy(r -> assertThat(r.getTTL()).isZero());
        assertThat(answers(udp(tuned).send(query("m1.node.consul.", Type.A))))
                .singleElement().satisfies(r -> assertThat(r.getTTL()).isEqualTo(7));
        assertThat(answers(udp(plain).send(query("web.service.consul.", Type.A))))
                .allSatisfy(r -> assertThat(r.getTTL()).isZero());
    }

    @Test
    void otherNamesAreForwardedToTheRecursorsWhenThereAreSomeAndRefusedOtherwise() throws IOException {
        Message forwarded = udp(recursing).send(query("www.example.org.", Type.A));
        assertThat(forwarded.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(forwarded.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(addresses(forwarded)).containsExactly(StubResolver.ANSWER);
        assertThat(addresses(tcp(recursing).send(query("www.example.org.", Type.A))))
                .containsExactly(StubResolver.ANSWER);

        Message refused = udp(plain).send(query("www.example.org.", Type.A));
        assertThat(refused.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(answers(refused)).isEmpty();
    }

    @Test
    void malformedPacketsGetFormatErrorsAndOtherOpcodesNotImplementedOverBothTransports() throws IOException {
        byte[] garbage = "\u00ab\u00cd garbage that is not a DNS message".getBytes(StandardCharsets.ISO_8859_1);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", plain.dnsPort());
            socket.send(new DatagramPacket(garbage, garbage.length, server));
            byte[] buffer = new byte[512];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            Message formErr = new Message(Arrays.copyOf(buffer, reply.getLength()));
            assertThat(formErr.getHeader().getID()).isEqualTo(0xabcd);
            assertThat(formErr.getRcode()).isEqualTo(Rcode.FORMERR);
        }

        try (Socket socket = new Socket("127.0.0.1", plain.dnsPort())) {
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(exchange(out, in, garbage).getRcode()).isEqualTo(Rcode.FORMERR);
            Message update = query("consul.", Type.SOA);
            update.getHeader().setOpcode(Opcode.UPDATE);
            assertThat(exchange(out, in, update.toWire()).getRcode()).isEqualTo(Rcode.NOTIMP);
            assertThat(exchange(out, in, query("web.service.consul.", Type.A).toWire()).getRcode())
                    .isEqualTo(Rcode.NOERROR);
        }

        try (Socket socket = new Socket("127.0.0.1", plain.dnsPort())) {
            socket.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
        }
        assertThat(addresses(udp(plain).send(query("web.service.consul.", Type.A)))).hasSize(2);
    }

    private static Message exchange(DataOutputStream out, DataInputStream in, byte[] request) throws IOException {
        out.writeShort(request.length);
        out.write(request);
        out.flush();
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        return new Message(reply);
    }

    @Test
    void anIdleTcpConnectionIsClosedByTheServer() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", plain.dnsPort())) {
            socket.setSoTimeout(60_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void digSeesServicesTagsSrvRecordsAndNxdomain() {
        String port = Integer.toString(plain.dnsPort());
        assertThat(dig(port, "+short", "web.service.consul", "A"))
                .containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2");
        assertThat(dig(port, "+short", "+tcp", "green.web.service.consul", "A")).containsExactly("10.1.0.2");
        assertThat(dig(port, "+short", "_web._blue.service.consul", "SRV"))
                .containsExactly("1 1 8080 m1.node.dc1.consul.");
        assertThat(dig(port, "+short", "web.service.consul", "SRV"))
                .containsExactlyInAnyOrder("1 1 8080 m1.node.dc1.consul.", "1 1 8081 m2.node.dc1.consul.");
        assertThat(String.join("\n", dig(port, "nope.service.consul", "A")))
                .contains("status: NXDOMAIN", "AUTHORITY: 1", "flags: qr aa");
    }

    @Test
    void aNodesMetadataComesAsTxtRecordsForItAndInItsServicesSrvAnswers() {
        String body = "{\"Node\":\"meta-node\",\"Address\":\"10.3.0.1\","
                + "\"NodeMeta\":{\"rack\":\"r7\",\"rfc1035-zone\":\"eu-1\"},"
                + "\"Service\":{\"Service\":\"meta-svc\",\"Port\":9000}}";
        assertThat(cluster.awaitLeader().send(HttpRequest.newBuilder(cluster.awaitLeader().uri("/v1/catalog/register"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build()).body()).isEqualTo("true");
        String port = Integer.toString(plain.dnsPort());
        await().atMost(WAIT).untilAsserted(() -> assertThat(dig(port, "+short", "meta-node.node.consul", "TXT"))
                .containsExactly("\"rack=r7\"", "\"eu-1\""));
        assertThat(dig(port, "+noall", "+additional", "meta-node.node.consul", "A"))
                .anySatisfy(line -> assertThat(line).contains("TXT", "\"rack=r7\""));
        assertThat(dig(port, "+noall", "+additional", "meta-svc.service.consul", "SRV"))
                .anySatisfy(line -> assertThat(line).startsWith("meta-node.node.dc1.consul.").contains("TXT",
                        "\"rack=r7\""));
    }

    @Test
    void reverseLookupsNameTheNodeAtAnAddressAndAnAddressNobodyHasDoesNotExist() throws IOException {
        String port = Integer.toString(plain.dnsPort());
        assertThat(dig(port, "+short", "-x", "10.1.0.2")).containsExactly("m2.node.dc1.consul.");
        Message overTcp = tcp(tuned).send(query("3.0.1.10.in-addr.arpa.", Type.PTR));
        assertThat(answers(overTcp)).singleElement().isInstanceOfSatisfying(PTRRecord.class,
                ptr -> assertThat(ptr.getTarget().toString()).isEqualTo("m3.node.dc1.consul."));
        // With no recursor to ask, an address nobody has does not exist, as Consul answers it.
        Message unknown = udp(plain).send(query("99.2.0.192.in-addr.arpa.", Type.PTR));
        assertThat(unknown.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(unknown.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    private static List<String> dig(String port, String... args) {
        List<String> command = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", port, "+time=5", "+tries=1"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("dig is needed (Debian package bind9-dnsutils)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An upstream resolver on loopback that answers every A question with {@link #ANSWER}. */
    private static final class StubResolver implements AutoCloseable {
        static final String ANSWER = "192.0.2.53";
        private final DatagramSocket socket;
        private final Thread thread;

        StubResolver() {
            try {
                socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = new Thread(this::serve, "stub-resolver");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message query = new Message(Arrays.copyOf(buffer, packet.getLength()));
                    Message reply = DnsResolver.responseTo(query, true);
                    reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
                            InetAddress.getByName(ANSWER)), Section.ANSWER);
                    byte[] wire = reply.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
