package dev.beacon.dns;

import static dev.beacon.dns.DnsFixtures.name;
import static dev.beacon.dns.DnsFixtures.node;
import static dev.beacon.dns.DnsFixtures.nodeCheck;
import static dev.beacon.dns.DnsFixtures.query;
import static dev.beacon.dns.DnsFixtures.service;
import static dev.beacon.dns.DnsFixtures.serviceCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsResolverTest {
    private static final int ALL = Integer.MAX_VALUE;
    private static final long INDEX = 42;

    /**
     * web: web1 (n1, passing), web2 (n2, warning), web3 (n3, whose serfHealth is critical), web4 (n4, critical),
     * web5 (n4, its own address, passing). db: db1 on an IPv6 node. ext: ext1 on a node whose address is a host
     * name, ext2 with a host name as its own address. dead: only a critical instance.
     */
    private static final DnsCatalog CATALOG = DnsCatalog.of(new CatalogView(
            List.of(node("n1", "10.0.0.1"), node("n2", "10.0.0.2"), node("n3", "10.0.0.3"), node("n4", "10.0.0.4"),
                    node("n6", "2001:db8::6"), node("n7", "host7.example.com")),
            List.of(service("n1", "web1", "web", "", 80, "primary", "v1"),
                    service("n2", "web2", "web", "", 81, "secondary"),
                    service("n3", "web3", "web", "", 82, "primary"),
                    service("n4", "web4", "web", "", 83, "primary"),
                    service("n4", "web5", "web", "192.168.1.5", 85, "Primary"),
                    service("n6", "db1", "db", "", 5432),
                    service("n7", "ext1", "ext", "", 443),
                    service("n1", "ext2", "ext", "api.example.com", 8443),
                    service("n1", "dead1", "dead", "", 1)),
            List.of(nodeCheck("n1", "serfHealth", CheckStatus.PASSING),
                    nodeCheck("n2", "serfHealth", CheckStatus.PASSING),
                    nodeCheck("n3", "serfHealth", CheckStatus.CRITICAL),
                    serviceCheck("n1", "web1", CheckStatus.PASSING),
                    serviceCheck("n2", "web2", CheckStatus.WARNING),
                    serviceCheck("n3", "web3", CheckStatus.PASSING),
                    serviceCheck("n4", "web4", CheckStatus.CRITICAL),
                    serviceCheck("n4", "web5", CheckStatus.PASSING),
                    serviceCheck("n1", "dead1", CheckStatus.CRITICAL))), INDEX);

    private static DnsSettings settings(boolean onlyPassing, ServiceTtls ttls, long nodeTtl) {
        return new DnsSettings(name("consul."), "dc1", nodeTtl, ttls, onlyPassing,
                new DnsSettings.Soa(3600, 600, 86400, 9), false);
    }

    private static final DnsResolver RESOLVER = new DnsResolver(settings(false, ServiceTtls.none(), 0));

    private static Message resolve(String qname, int type) {
        return RESOLVER.resolve(query(qname, type), CATALOG, ALL, new Random(1));
    }

    private static Set<String> addresses(Message response) {
        Set<String> addresses = new HashSet<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                addresses.add(a.getAddress().getHostAddress());
            } else if (r instanceof AAAARecord aaaa) {
                addresses.add(aaaa.getAddress().getHostAddress());
            }
        }
        return addresses;
    }

    private static Set<Integer> srvPorts(Message response) {
        Set<Integer> ports = new HashSet<>();
        response.getSection(Section.ANSWER).forEach(r -> ports.add(((SRVRecord) r).getPort()));
        return ports;
    }

    private static void assertNameError(Message response) {
        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertSoaInAuthority(response);
    }

    private static void assertNoData(Message response) {
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertSoaInAuthority(response);
    }

    private static void assertSoaInAuthority(Message response) {
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOfSatisfying(SOARecord.class,
                soa -> {
                    assertThat(soa.getName()).isEqualTo(name("consul."));
                    assertThat(soa.getSerial()).isEqualTo(INDEX);
                    assertThat(soa.getMinimum()).isEqualTo(9);
                    assertThat(soa.getTTL()).isEqualTo(9);
                });
    }

    @Test
    void aServiceAnswersOneAddressPerPassingOrWarningInstanceLeavingOutCriticalOnesAndCriticalNodes() {
        Message response = resolve("web.service.consul.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(addresses(response)).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "192.168.1.5");
        assertThat(response.getSection(Section.ANSWER))
                .allSatisfy(r -> assertThat(r.getName()).isEqualTo(name("web.service.consul.")));
    }

    @Test
    void onlyPassingLeavesOutInstancesWithAWarning() {
        DnsResolver strict = new DnsResolver(settings(true, ServiceTtls.none(), 0));
        Message response = strict.resolve(query("web.service.consul.", Type.A), CATALOG, ALL, new Random(1));

        assertThat(addresses(response)).containsExactlyInAnyOrder("10.0.0.1", "192.168.1.5");
    }

    @Test
    void srvNamesTheNodeOrTheServiceAddressAndPutsTheirAddressesInTheAdditionalSection() {
        Message response = resolve("web.service.consul.", Type.SRV);

        List<Record> answers = response.getSection(Section.ANSWER);
        assertThat(answers).hasSize(3).allSatisfy(r -> {
            SRVRecord srv = (SRVRecord) r;
            assertThat(srv.getPriority()).isEqualTo(1);
            assertThat(srv.getWeight()).isEqualTo(1);
        });
        Map<Integer, String> targets = new java.util.HashMap<>();
        answers.forEach(r -> targets.put(((SRVRecord) r).getPort(), ((SRVRecord) r).getTarget().toString()));
        assertThat(targets).containsExactlyInAnyOrderEntriesOf(Map.of(80, "n1.node.dc1.consul.",
                81, "n2.node.dc1.consul.", 85, "c0a80105.addr.dc1.consul."));
        Map<String, String> glue = new java.util.HashMap<>();
        response.getSection(Section.ADDITIONAL).forEach(r ->
                glue.put(r.getName().toString(), ((ARecord) r).getAddress().getHostAddress()));
        assertThat(glue).containsExactlyInAnyOrderEntriesOf(Map.of("n1.node.dc1.consul.", "10.0.0.1",
                "n2.node.dc1.consul.", "10.0.0.2", "c0a80105.addr.dc1.consul.", "192.168.1.5"));
    }

    @Test
    void anAddrNameResolvesToTheAddressItSpells() {
        assertThat(addresses(resolve("c0a80105.addr.dc1.consul.", Type.A))).containsExactly("192.168.1.5");
        assertThat(addresses(resolve("20010db8000000000000000000000006.addr.consul.", Type.AAAA)))
                .containsExactly("2001:db8:0:0:0:0:0:6");
        assertNameError(resolve("c0a8010z.addr.consul.", Type.A));
        assertNameError(resolve("c0a801.addr.consul.", Type.A));
    }

    @Test
    void tagFiltersInBothFormsMatchTagsWhateverTheirCase() {
        assertThat(addresses(resolve("primary.web.service.consul.", Type.A)))
                .containsExactlyInAnyOrder("10.0.0.1", "192.168.1.5");
        assertThat(srvPorts(resolve("_web._primary.service.consul.", Type.SRV))).containsExactlyInAnyOrder(80, 85);
        assertThat(srvPorts(resolve("_web._tcp.service.consul.", Type.SRV))).containsExactlyInAnyOrder(80, 81, 85);
        // Consul makes the "service" label optional in the RFC 2782 form.
        assertThat(srvPorts(resolve("_web._tcp.consul.", Type.SRV))).containsExactlyInAnyOrder(80, 81, 85);
        assertThat(srvPorts(resolve("_web._primary.dc1.consul.", Type.SRV))).containsExactlyInAnyOrder(80, 85);
        assertThat(srvPorts(resolve("_web._primary.dc1.dc.consul.", Type.SRV))).containsExactlyInAnyOrder(80, 85);
        assertThat(Lookup.parse(name("_db-failover._tcp.query.consul."), name("consul.")))
                .isEqualTo(new Lookup(Lookup.Kind.QUERY, "db-failover", null, null));
        assertThat(addresses(resolve("SECONDARY.Web.SERVICE.Consul.", Type.A))).containsExactly("10.0.0.2");
        assertNameError(resolve("canary.web.service.consul.", Type.A));
    }

    @Test
    void aNodeAnswersWithItsAddressInThisDatacenterOnly() {
        assertThat(addresses(resolve("n1.node.consul.", Type.A))).containsExactly("10.0.0.1");
        assertThat(addresses(resolve("N1.Node.DC1.consul.", Type.A))).containsExactly("10.0.0.1");
        assertThat(addresses(resolve("n1.node.dc1.dc.consul.", Type.A))).containsExactly("10.0.0.1");
        assertThat(addresses(resolve("web.service.dc1.consul.", Type.A))).hasSize(3);
        assertNameError(resolve("n1.node.dc2.consul.", Type.A));
        assertNameError(resolve("web.service.dc2.consul.", Type.A));
    }

    @Test
    void aNodesMetadataComesAsTxtRecordsInTheAnswerForTxtAndAnyElseBesideItsAddress() {
        String longValue = "v".repeat(300);
        DnsCatalog withMeta = DnsCatalog.of(new CatalogView(List.of(node("m", "10.7.7.7",
                Map.of("rack", "r1", "rfc1035-region", "eu", " a=b`", "x`y", "long", longValue))), List.of(),
                List.of()), INDEX);
        List<String> expected = List.of("` a`=b``=x``y", "long=" + longValue, "rack=r1", "eu");

        Message txt = RESOLVER.resolve(query("m.node.consul.", Type.TXT), withMeta, ALL, new Random(1));
        assertThat(texts(txt.getSection(Section.ANSWER))).isEqualTo(expected);
        assertThat(((TXTRecord) txt.getSection(Section.ANSWER).get(1)).getStringsAsByteArrays())
                .extracting(bytes -> bytes.length).containsExactly(255, 50);

        Message a = RESOLVER.resolve(query("m.node.consul.", Type.A), withMeta, ALL, new Random(1));
        assertThat(addresses(a)).containsExactly("10.7.7.7");
        assertThat(texts(a.getSection(Section.ADDITIONAL))).isEqualTo(expected);

        Message any = RESOLVER.resolve(query("m.node.consul.", Type.ANY), withMeta, ALL, new Random(1));
        assertThat(addresses(any)).containsExactly("10.7.7.7");
        assertThat(texts(any.getSection(Section.ANSWER))).isEqualTo(expected);

        Message mx = RESOLVER.resolve(query("m.node.consul.", Type.MX), withMeta, ALL, new Random(1));
        assertNoData(mx);
        assertThat(mx.getSection(Section.ADDITIONAL)).isEmpty();
    }

    @Test
    void anSrvAnswerCarriesTheMetadataOfEachInstancesNodeOnceUnderTheNodesName() {
        DnsCatalog withMeta = DnsCatalog.of(new CatalogView(
                List.of(node("m1", "10.7.7.1", Map.of("rack", "r1")), node("m2", "10.7.7.2", Map.of()),
                        node("m3", "10.7.7.3", Map.of("rfc1035-zone", "z3"))),
                List.of(service("m1", "api1", "api", "", 80), service("m1", "api2", "api", "", 81),
                        service("m2", "api3", "api", "", 82), service("m3", "api4", "api", "10.8.8.8", 83)),
                List.of()), INDEX);

        Message srv = RESOLVER.resolve(query("api.service.consul.", Type.SRV), withMeta, ALL, new Random(1));

        assertThat(srv.getSection(Section.ANSWER)).hasSize(4);
        Map<String, String> meta = new java.util.HashMap<>();
        srv.getSection(Section.ADDITIONAL).stream().filter(TXTRecord.class::isInstance)
                .forEach(r -> meta.merge(r.getName().toString(), texts(List.of(r)).get(0), (a, b) -> a + "," + b));
        // As Consul: under the node's name even where the SRV target is the instance's own address.
        assertThat(meta).containsExactlyInAnyOrderEntriesOf(Map.of("m1.node.dc1.consul.", "rack=r1",
                "m3.node.dc1.consul.", "z3"));
        assertThat(srv.getSection(Section.ADDITIONAL).stream().filter(ARecord.class::isInstance)).hasSize(3);

        Message a = RESOLVER.resolve(query("api.service.consul.", Type.A), withMeta, ALL, new Random(1));
        assertThat(a.getSection(Section.ADDITIONAL)).isEmpty();
    }

    /** Each TXT record's strings joined, in order; other records left out. */
    private static List<String> texts(List<Record> records) {
        return records.stream().filter(TXTRecord.class::isInstance)
                .map(r -> String.join("", ((TXTRecord) r).getStringsAsByteArrays().stream()
                        .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList()))
                .toList();
    }

    @Test
    void aReverseLookupNamesTheNodeAtTheAddressElseTheServiceRegisteredAtIt() {
        assertThat(ptrTarget("1.0.0.10.in-addr.arpa.", Type.PTR)).isEqualTo("n1.node.dc1.consul.");
        assertThat(ptrTarget("1.0.0.10.IN-ADDR.ARPA.", Type.ANY)).isEqualTo("n1.node.dc1.consul.");
        assertThat(ptrTarget("5.1.168.192.in-addr.arpa.", Type.PTR)).isEqualTo("web.service.dc1.consul.");
        assertThat(ptrTarget("6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", Type.PTR))
                .isEqualTo("n6.node.dc1.consul.");
        Message other = RESOLVER.reverse(query("1.0.0.10.in-addr.arpa.", Type.A), CATALOG);
        assertThat(other.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(other.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(other.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void aReverseLookupOfASharedAddressNamesTheFirstNodeOrServiceByName() {
        DnsCatalog shared = DnsCatalog.of(new CatalogView(
                List.of(node("b", "10.9.9.9"), node("a", "10.9.9.9"), node("c", "10.0.0.3")),
                List.of(service("c", "z1", "zeta", "10.8.8.8", 1), service("c", "a1", "alpha", "10.8.8.8", 2)),
                List.of()), INDEX);
        assertThat(((PTRRecord) RESOLVER.reverse(query("9.9.9.10.in-addr.arpa.", Type.PTR), shared)
                .getSection(Section.ANSWER).get(0)).getTarget()).isEqualTo(name("a.node.dc1.consul."));
        assertThat(((PTRRecord) RESOLVER.reverse(query("8.8.8.10.in-addr.arpa.", Type.PTR), shared)
                .getSection(Section.ANSWER).get(0)).getTarget()).isEqualTo(name("alpha.service.dc1.consul."));
    }

    @Test
    void aReverseLookupOfAnAddressNobodyHasOrOfNoWholeAddressIsLeftToTheCaller() {
        for (String name : List.of("9.9.9.9.in-addr.arpa.", "0.0.10.in-addr.arpa.", "1.1.0.0.10.in-addr.arpa.",
                "256.0.0.10.in-addr.arpa.", "01.0.0.10.in-addr.arpa.", "x.0.0.10.in-addr.arpa.", "in-addr.arpa.",
                "6.0.ip6.arpa.")) {
            assertThat(RESOLVER.reverse(query(name, Type.PTR), CATALOG)).as(name).isNull();
        }
    }

    private static String ptrTarget(String reverseName, int type) {
        Message response = RESOLVER.reverse(query(reverseName, type), CATALOG);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        Record answer = response.getSection(Section.ANSWER).get(0);
        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
        assertThat(answer.getTTL()).isZero();
        assertThat(answer.getName()).isEqualTo(name(reverseName));
        return ((PTRRecord) answer).getTarget().toString();
    }

    @Test
    void unknownNamesAreNxdomainWithTheSoa() {
        assertNameError(resolve("nope.service.consul.", Type.A));
        assertNameError(resolve("nope.node.consul.", Type.A));
        assertNameError(resolve("whatever.consul.", Type.A));
        assertNameError(resolve("a.b.c.consul.", Type.SRV));
        assertNameError(resolve("service.consul.", Type.A));
        assertNameError(resolve("dead.service.consul.", Type.A));
    }

    @Test
    void aKnownNameWithoutRecordsOfTheTypeAnswersEmptyWithTheSoa() {
        assertNoData(resolve("web.service.consul.", Type.AAAA));
        assertNoData(resolve("web.service.consul.", Type.MX));
        assertNoData(resolve("n1.node.consul.", Type.TXT));
        assertNoData(resolve("db.service.consul.", Type.A));
        assertThat(addresses(resolve("db.service.consul.", Type.AAAA))).containsExactly("2001:db8:0:0:0:0:0:6");
        assertThat(addresses(resolve("db.service.consul.", Type.ANY))).containsExactly("2001:db8:0:0:0:0:0:6");
    }

    @Test
    void hostNameAddressesAnswerWithACnameAndAreSrvTargetsThemselves() {
        Message a = resolve("n7.node.consul.", Type.A);
        assertThat(a.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(CNAMERecord.class,
                cname -> assertThat(cname.getTarget()).isEqualTo(name("host7.example.com.")));

        Message srv = resolve("ext.service.consul.", Type.SRV);
        Set<String> targets = new HashSet<>();
        srv.getSection(Section.ANSWER).forEach(r -> targets.add(((SRVRecord) r).getTarget().toString()));
        assertThat(targets).containsExactlyInAnyOrder("host7.example.com.", "api.example.com.");
        assertThat(srv.getSection(Section.ADDITIONAL)).noneMatch(r -> r.getType() == Type.CNAME);
    }

    @Test
    void aHostNameInstanceBesideInstancesWithAddressesGivesNoCnameAndAloneGivesOne() {
        DnsCatalog mixed = DnsCatalog.of(new CatalogView(
                List.of(node("m1", "10.9.0.1"), node("m2", "10.9.0.2")),
                List.of(service("m1", "mix1", "mix", "", 80), service("m2", "mix2", "mix", "web.example.com", 80),
                        service("m2", "only1", "only", "a.example.com", 80),
                        service("m2", "only2", "only", "b.example.com", 80)),
                List.of()), INDEX);

        for (int seed = 0; seed < 20; seed++) {
            Message a = RESOLVER.resolve(query("mix.service.consul.", Type.A), mixed, ALL, new Random(seed));
            assertThat(a.getSection(Section.ANSWER)).singleElement().isInstanceOf(ARecord.class);
            Message alone = RESOLVER.resolve(query("only.service.consul.", Type.A), mixed, ALL, new Random(seed));
            assertThat(alone.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
        }
    }

    @Test
    void theDomainHasAnSoaAndTheLiveServersAsNameServers() {
        Message soa = resolve("consul.", Type.SOA);
        assertThat(soa.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(SOARecord.class, r -> {
            assertThat(r.getHost()).isEqualTo(name("ns.consul."));
            assertThat(r.getAdmin()).isEqualTo(name("hostmaster.consul."));
            assertThat(r.getRefresh()).isEqualTo(3600);
            assertThat(r.getRetry()).isEqualTo(600);
            assertThat(r.getExpire()).isEqualTo(86400);
        });

        Message ns = resolve("CONSUL.", Type.NS);
        Set<String> servers = new HashSet<>();
        ns.getSection(Section.ANSWER).forEach(r -> servers.add(((NSRecord) r).getTarget().toString()));
        assertThat(servers).containsExactlyInAnyOrder("n1.node.dc1.consul.", "n2.node.dc1.consul.");
        assertThat(ns.getSection(Section.ADDITIONAL)).hasSize(2);

        assertThat(resolve("consul.", Type.ANY).getSection(Section.ANSWER)).hasSize(3);
        assertNoData(resolve("consul.", Type.A));
    }

    @Test
    void theAnswerLimitCapsServiceRecordsAndTheirGlue() {
        Message a = RESOLVER.resolve(query("web.service.consul.", Type.A), CATALOG, 2, new Random(1));
        assertThat(a.getSection(Section.ANSWER)).hasSize(2);

        Message srv = RESOLVER.resolve(query("web.service.consul.", Type.SRV), CATALOG, 1, new Random(1));
        assertThat(srv.getSection(Section.ANSWER)).hasSize(1);
        assertThat(srv.getSection(Section.ADDITIONAL)).hasSize(1);
    }

    @Test
    void answersComeInRandomOrderAndALimitedAnswerPicksDifferentInstances() {
        Random random = new Random(7);
        Set<String> firsts = new HashSet<>();
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Message full = RESOLVER.resolve(query("web.service.consul.", Type.A), CATALOG, ALL, random);
            firsts.add(((ARecord) full.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
            Message one = RESOLVER.resolve(query("web.service.consul.", Type.A), CATALOG, 1, random);
            picked.addAll(addresses(one));
        }
        assertThat(firsts).hasSize(3);
        assertThat(picked).hasSize(3);
    }

    @Test
    void ttlsComeFromTheServiceTtlsTheNodeTtlAndTheSoaMinimum() {
        ServiceTtls ttls = new ServiceTtls(Map.of("*", Duration.ofSeconds(5), "we*", Duration.ofSeconds(10),
                "web", Duration.ofSeconds(30)));
        DnsResolver resolver = new DnsResolver(settings(false, ttls, 7));

        Message web = resolver.resolve(query("web.service.consul.", Type.SRV), CATALOG, ALL, new Random(1));
        assertThat(web.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
        assertThat(web.getSection(Section.ADDITIONAL)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
        Message db = resolver.resolve(query("db.service.consul.", Type.AAAA), CATALOG, ALL, new Random(1));
        assertThat(db.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(5));
        Message node = resolver.resolve(query("n1.node.consul.", Type.A), CATALOG, ALL, new Random(1));
        assertThat(node.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(7));
    }

    @Test
    void namesOutsideTheDomainAreRefusedAndZoneTransfersAreNotImplemented() {
        Message outside = resolve("example.com.", Type.A);
        assertThat(outside.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(outside.getHeader().getFlag(Flags.AA)).isFalse();

        assertThat(resolve("consul.", Type.AXFR).getRcode()).isEqualTo(Rcode.NOTIMP);
        Message chaos = RESOLVER.resolve(Message.newQuery(Record.newRecord(name("web.service.consul."), Type.TXT,
                DClass.CH)), CATALOG, ALL, new Random(1));
        assertThat(chaos.getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void theResponseEchoesTheIdQuestionAndRecursionDesired() {
        Message query = query("Web.Service.Consul.", Type.A);
        query.getHeader().setFlag(Flags.RD);
        Message response = RESOLVER.resolve(query, CATALOG, ALL, new Random(1));

        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
        assertThat(response.getQuestion().getName().toString()).isEqualTo("Web.Service.Consul.");
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RA)).isFalse();
    }
}
