package dev.beacon.dns;

import static dev.beacon.dns.DnsFixtures.name;
import static dev.beacon.dns.DnsFixtures.node;
import static dev.beacon.dns.DnsFixtures.query;
import static dev.beacon.dns.DnsFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Wire bytes in, wire bytes out: parsing, bad input, EDNS and truncation. */
class DnsHandlerTest {
    private static final int INSTANCES = 40;
    private static final DnsCatalog CATALOG = catalog(INSTANCES);

    private static DnsCatalog catalog(int instances) {
        List<Node> nodes = new ArrayList<>();
        List<ServiceInstance> services = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            nodes.add(node("machine-number-" + i, "10.0." + (1 + i / 250) + "." + i % 250));
            services.add(service("machine-number-" + i, "api-" + i, "api", "", 9000 + i));
        }
        return DnsCatalog.of(new CatalogView(nodes, services, List.of()), 5);
    }

    private static DnsHandler handler(int udpAnswerLimit) {
        return handler(udpAnswerLimit, RemoteDatacenters.NONE);
    }

    private static DnsHandler handler(int udpAnswerLimit, RemoteDatacenters remotes) {
        return handler(udpAnswerLimit, remotes, PreparedQueryLookup.NONE);
    }

    private static DnsHandler handler(int udpAnswerLimit, RemoteDatacenters remotes, PreparedQueryLookup queries) {
        return handler(udpAnswerLimit, remotes, queries, CATALOG);
    }

    private static DnsHandler handler(int udpAnswerLimit, RemoteDatacenters remotes, PreparedQueryLookup queries,
                                      DnsCatalog catalog) {
        return handler(udpAnswerLimit, remotes, queries, catalog, false);
    }

    /** A handler with Consul's {@code enable_truncate} on: a UDP answer cut to fit carries the TC bit. */
    private static DnsHandler truncating(int udpAnswerLimit, DnsCatalog catalog) {
        return handler(udpAnswerLimit, RemoteDatacenters.NONE, PreparedQueryLookup.NONE, catalog, true);
    }

    private static DnsHandler handler(int udpAnswerLimit, RemoteDatacenters remotes, PreparedQueryLookup queries,
                                      DnsCatalog catalog, boolean enableTruncate) {
        DnsSettings settings = new DnsSettings(name("consul."), "dc1", 0, ServiceTtls.none(), false,
                new DnsSettings.Soa(3600, 600, 86400, 0), false);
        return new DnsHandler(new DnsResolver(settings), () -> catalog, Recursors.none(), remotes, queries,
                udpAnswerLimit, enableTruncate);
    }

    private static Message withEdns(Message query, int payloadSize) {
        query.addRecord(new OPTRecord(payloadSize, 0, 0), Section.ADDITIONAL);
        return query;
    }

    private static Message handle(DnsHandler handler, byte[] packet, boolean udp) throws IOException {
        byte[] reply = handler.handle(packet, udp).join();
        assertThat(reply).isNotNull();
        return new Message(reply);
    }

    private static byte[] header(int id, int flags, int qdcount) {
        return new byte[] {(byte) (id >> 8), (byte) id, (byte) (flags >> 8), (byte) flags, 0, (byte) qdcount,
            0, 0, 0, 0, 0, 0};
    }

    @Test
    void aNodeAnswerTooLongForUdpLosesItsMetadataButNotItsAddressNorGetsTheTruncatedBit() throws IOException {
        Map<String, String> meta = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            meta.put("key-" + i, "v".repeat(60));
        }
        DnsCatalog catalog = DnsCatalog.of(new CatalogView(List.of(node("big-meta", "10.9.0.1", meta)), List.of(),
                List.of()), 5);
        DnsHandler handler = handler(3, RemoteDatacenters.NONE, PreparedQueryLookup.NONE, catalog);
        byte[] packet = query("big-meta.node.consul.", Type.A).toWire();

        Message udp = handle(handler, packet, true);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(udp.getSection(Section.ANSWER)).singleElement().isInstanceOf(ARecord.class);
        assertThat(udp.getSection(Section.ADDITIONAL)).isEmpty();

        Message tcp = handle(handler, packet, false);
        assertThat(tcp.getSection(Section.ADDITIONAL)).hasSize(10).allMatch(r -> r.getType() == Type.TXT);
    }

    @Test
    void anSrvAnswerTooLongForUdpLosesItsNodesMetadataFirstAndKeepsEveryTargetAndItsAddress() throws IOException {
        Map<String, String> meta = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            meta.put("key-" + i, "v".repeat(60));
        }
        DnsCatalog catalog = DnsCatalog.of(new CatalogView(
                List.of(node("m1", "10.9.0.1", meta), node("m2", "10.9.0.2", meta), node("m3", "10.9.0.3", meta)),
                List.of(service("m1", "api1", "api", "", 80), service("m2", "api2", "api", "", 80),
                        service("m3", "api3", "api", "", 80)), List.of()), 5);
        DnsHandler handler = handler(3, RemoteDatacenters.NONE, PreparedQueryLookup.NONE, catalog);
        byte[] packet = query("api.service.consul.", Type.SRV).toWire();

        Message udp = handle(handler, packet, true);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(udp.getSection(Section.ANSWER)).hasSize(3);
        assertThat(udp.getSection(Section.ADDITIONAL)).hasSize(3).allMatch(r -> r.getType() == Type.A);

        Message tcp = handle(handler, packet, false);
        assertThat(tcp.getSection(Section.ADDITIONAL)).filteredOn(r -> r.getType() == Type.TXT).hasSize(15);
    }

    @Test
    void aPacketShorterThanAHeaderOrThatIsAResponseIsDropped() {
        assertThat(handler(3).handle(new byte[5], true).join()).isNull();
        byte[] response = query("api.service.consul.", Type.A).toWire();
        response[2] |= (byte) 0x80;
        assertThat(handler(3).handle(response, true).join()).isNull();
    }

    @Test
    void aPacketThatDoesNotParseGetsAFormatErrorWithItsId() throws IOException {
        byte[] truncated = Arrays.copyOf(query("api.service.consul.", Type.A).toWire(), 20);
        truncated[0] = 0x12;
        truncated[1] = 0x34;
        Message reply = handle(handler(3), truncated, true);

        assertThat(reply.getHeader().getID()).isEqualTo(0x1234);
        assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
    }

    @Test
    void aQuestionCutShortIsAFormatErrorEvenWithTheTruncatedFlag() throws IOException {
        byte[] head = header(7, 0x0300, 1);
        byte[] packet = Arrays.copyOf(head, head.length + 3);
        packet[12] = 3;
        packet[13] = 'a';
        packet[14] = 'p';

        Message reply = handle(handler(3), packet, true);
        assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(reply.getHeader().getID()).isEqualTo(7);
    }

    @Test
    void aLabelLongerThan63BytesIsAFormatError() throws IOException {
        byte[] head = header(7, 0x0100, 1);
        byte[] packet = Arrays.copyOf(head, head.length + 1 + 100 + 1 + 4);
        packet[12] = (byte) 100;
        Arrays.fill(packet, 13, 113, (byte) 'a');
        packet[packet.length - 3] = 1;
        packet[packet.length - 1] = 1;

        assertThat(handle(handler(3), packet, true).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void otherOpcodesAreNotImplementedAndQuestionCountsOtherThanOneAreFormatErrors() throws IOException {
        Message notify = query("consul.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(handle(handler(3), notify.toWire(), true).getRcode()).isEqualTo(Rcode.NOTIMP);
        Message status = query("consul.", Type.SOA);
        status.getHeader().setOpcode(Opcode.STATUS);
        assertThat(handle(handler(3), status.toWire(), false).getRcode()).isEqualTo(Rcode.NOTIMP);

        Message none = handle(handler(3), header(9, 0x0100, 0), true);
        assertThat(none.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(none.getHeader().getID()).isEqualTo(9);
    }

    @Test
    void aNameInAnotherDatacenterIsAnsweredThereAndOnlyThere() throws IOException {
        List<String> asked = new ArrayList<>();
        byte[] remoteAnswer = {1, 2, 3};
        DnsHandler handler = handler(3, (datacenter, packet, udp) -> {
            asked.add(datacenter + (udp ? " udp" : " tcp"));
            return datacenter.equals("dc2") ? CompletableFuture.completedFuture(remoteAnswer) : null;
        });

        assertThat(handler.handle(query("db.service.dc2.consul.", Type.A).toWire(), true).join())
                .isEqualTo(remoteAnswer);
        assertThat(handler.handle(query("host.node.dc2.dc.consul.", Type.A).toWire(), false).join())
                .isEqualTo(remoteAnswer);
        assertThat(handle(handler, query("api.service.dc1.consul.", Type.A).toWire(), true).getRcode())
                .as("this datacenter, named").isEqualTo(Rcode.NOERROR);
        assertThat(handle(handler, query("db.service.dc9.consul.", Type.A).toWire(), true).getRcode())
                .as("a datacenter nobody knows").isEqualTo(Rcode.NXDOMAIN);
        assertThat(asked).containsExactly("dc2 udp", "dc2 tcp", "dc9 udp");
    }

    @Test
    void aPreparedQueryAnswersWithWhatItSelectedNamingTheDatacenterThatAnswered() throws IOException {
        List<String> asked = new ArrayList<>();
        PreparedQueryLookup queries = name -> {
            asked.add(name);
            if (!name.equals("db-nearest")) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.completedFuture(new PreparedQueryLookup.Answer("dc2", 30, List.of(
                    new DnsCatalog.Instance(service("db-host", "db-1", "db", "", 5432), node("db-host", "10.2.0.7"),
                            CheckStatus.PASSING))));
        };
        DnsHandler handler = handler(3, RemoteDatacenters.NONE, queries);

        Message srv = handle(handler, query("db-nearest.query.consul.", Type.SRV).toWire(), true);
        assertThat(srv.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r.rdataToString()).isEqualTo("1 1 5432 db-host.node.dc2.consul.");
            assertThat(r.getTTL()).isEqualTo(30);
        });
        assertThat(srv.getSection(Section.ADDITIONAL)).extracting(r -> r.rdataToString()).contains("10.2.0.7");
        Message a = handle(handler, query("db-nearest.query.dc1.consul.", Type.A).toWire(), false);
        assertThat(a.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("10.2.0.7"));
        assertThat(handle(handler, query("nothing.query.consul.", Type.A).toWire(), true).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(asked).containsExactly("db-nearest", "db-nearest", "nothing");
    }

    @Test
    void aPreparedQueryThatFailsIsAServerFailure() throws IOException {
        DnsHandler handler = handler(3, RemoteDatacenters.NONE,
                name -> CompletableFuture.failedFuture(new IllegalStateException("No cluster leader")));

        assertThat(handle(handler, query("db.query.consul.", Type.A).toWire(), true).getRcode())
                .isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void aDatacenterThatCannotBeReachedIsAServerFailure() throws IOException {
        DnsHandler handler = handler(3, (datacenter, packet, udp) ->
                CompletableFuture.failedFuture(new IllegalStateException("no server of dc2 answered")));

        Message reply = handle(handler, query("db.service.dc2.consul.", Type.A).toWire(), true);
        assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.getQuestion().getName()).isEqualTo(name("db.service.dc2.consul."));
    }

    @Test
    void aFailingCatalogReadIsAServerFailureNotAnException() throws IOException {
        DnsSettings settings = new DnsSettings(name("consul."), "dc1", 0, ServiceTtls.none(), false,
                new DnsSettings.Soa(3600, 600, 86400, 0), false);
        DnsHandler broken = new DnsHandler(new DnsResolver(settings), () -> {
            throw new IllegalStateException("catalog unavailable");
        }, Recursors.none(), RemoteDatacenters.NONE, PreparedQueryLookup.NONE, 3, false);

        Message reply = handle(broken, query("api.service.consul.", Type.A).toWire(), true);
        assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void udpAnswersAreCappedByTheAnswerLimitAndTcpAnswersAreWhole() throws IOException {
        byte[] query = query("api.service.consul.", Type.A).toWire();

        Message udp = handle(handler(3), query, true);
        assertThat(udp.getSection(Section.ANSWER)).hasSize(3);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isFalse();
        Message tcp = handle(handler(3), query, false);
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(INSTANCES);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    }

    @Test
    void aUdpAnswerOver512BytesIsCutToFitWithItsGlueKeptAndMarkedTruncatedOnlyIfAsked() throws IOException {
        byte[] query = query("api.service.consul.", Type.SRV).toWire();
        for (boolean enableTruncate : new boolean[] {false, true}) {
            DnsHandler handler = handler(1000, RemoteDatacenters.NONE, PreparedQueryLookup.NONE, CATALOG,
                    enableTruncate);
            byte[] wire = handler.handle(query, true).join();
            Message udp = new Message(wire);

            assertThat(wire.length).isLessThanOrEqualTo(512);
            // As Consul: with enable_truncate off (the default) no TC bit, so that a resolver that drops
            // truncated answers (HAProxy's) still gets the records that fit.
            assertThat(udp.getHeader().getFlag(Flags.TC)).isEqualTo(enableTruncate);
            int kept = udp.getSection(Section.ANSWER).size();
            assertThat(kept).isBetween(1, INSTANCES - 1);
            assertThat(udp.getSection(Section.ADDITIONAL)).hasSize(kept);
            udp.getSection(Section.ANSWER).forEach(srv ->
                    assertThat(udp.findRRset(srv.getAdditionalName(), Type.A, Section.ADDITIONAL)).isTrue());
        }
    }

    @Test
    void anEdnsClientGetsUpToItsAdvertisedSizeAndAnOptRecordBack() throws IOException {
        byte[] wire = truncating(1000, CATALOG).handle(withEdns(query("api.service.consul.", Type.SRV), 1232)
                .toWire(), true).join();
        Message reply = new Message(wire);

        assertThat(wire.length).isBetween(513, 1232);
        assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(reply.getOPT()).isNotNull();
        assertThat(reply.getOPT().getPayloadSize()).isEqualTo(DnsHandler.EDNS_UDP_SIZE);

        Message plain = handle(handler(3), query("api.service.consul.", Type.A).toWire(), true);
        assertThat(plain.getOPT()).isNull();
    }

    @Test
    void theAnswerLimitHoldsOnlyForClientsThatTake512BytesAsInConsul() throws IOException {
        Message plain = handle(handler(3), query("api.service.consul.", Type.A).toWire(), true);
        assertThat(plain.getSection(Section.ANSWER)).hasSize(3);
        Message edns512 = handle(handler(3), withEdns(query("api.service.consul.", Type.A), 512).toWire(), true);
        assertThat(edns512.getSection(Section.ANSWER)).hasSize(3);

        Message edns = handle(handler(3), withEdns(query("api.service.consul.", Type.SRV), 4096).toWire(), true);
        assertThat(edns.getSection(Section.ANSWER)).hasSize(INSTANCES);
        assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
    }

    @Test
    void anEdnsSizeAbove4096IsHonouredUpToOneDatagram() throws IOException {
        int instances = 400;
        DnsHandler handler = truncating(3, catalog(instances));

        byte[] eightKiB = handler.handle(withEdns(query("api.service.consul.", Type.SRV), 8192).toWire(), true).join();
        assertThat(eightKiB.length).isBetween(4097, 8192);
        assertThat(new Message(eightKiB).getHeader().getFlag(Flags.TC)).isTrue();

        byte[] largest = handler.handle(withEdns(query("api.service.consul.", Type.SRV), 65535).toWire(), true).join();
        Message whole = new Message(largest);
        assertThat(largest.length).isLessThanOrEqualTo(DnsHandler.MAX_UDP_SIZE);
        assertThat(whole.getSection(Section.ANSWER)).hasSize(instances);
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
    }
}
