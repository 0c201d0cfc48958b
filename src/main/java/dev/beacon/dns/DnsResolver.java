package dev.beacon.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.beacon.state.CheckStatus;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers one DNS question from a catalog snapshot, the way Consul's DNS interface does. Pure: the same query,
 * catalog, settings and random source give the same answer; it reads no clock and does no I/O.
 * <p>
 * Service lookups answer with every instance that is not critical (nor warning, with {@code onlyPassing}), in
 * random order, at most {@code maxAnswers} of them; an unknown name is NXDOMAIN and a known name without
 * records of the asked type is an empty answer, both with the SOA in the authority section.
 */
public final class DnsResolver {
    private static final int PRIORITY = 1;

    private final DnsSettings settings;
    private final Name domain;
    private final Name nameserver;
    private final Name hostmaster;

    public DnsResolver(DnsSettings settings) {
        this.settings = settings;
        this.domain = settings.domain();
        this.nameserver = under("ns", domain);
        this.hostmaster = under("hostmaster", domain);
    }

    /** True for the domain and the names under it; the others are refused or forwarded. */
    public boolean inDomain(Name name) {
        return name.subdomain(domain);
    }

    /** What a name under the domain asks for; null for a name outside it. */
    public Lookup lookup(Name name) {
        return inDomain(name) ? Lookup.parse(name, domain) : null;
    }

    /** The datacenter a lookup names when it is not this one, else null. */
    public String otherDatacenter(Lookup lookup) {
        String datacenter = lookup.datacenter();
        return datacenter == null || datacenter.equals(settings.datacenter()) ? null : datacenter;
    }

    /**
     * The response to a prepared query's lookup, from what it selected ({@code answer} null: no such query). A and
     * AAAA records of the instances' addresses, or SRV records naming their nodes in the datacenter that answered.
     */
    public Message resolve(Message query, PreparedQueryLookup.Answer answer, DnsCatalog catalog, int maxAnswers,
                           RandomGenerator random) {
        Message response = responseTo(query, settings.recursionAvailable());
        response.getHeader().setFlag(Flags.AA);
        if (answer == null || answer.instances().isEmpty()) {
            return nameError(response, catalog);
        }
        Name qname = query.getQuestion().getName();
        int qtype = query.getQuestion().getType();
        long ttl = answer.ttlSeconds() >= 0 ? answer.ttlSeconds()
                : settings.serviceTtls().secondsFor(answer.instances().get(0).service().service());
        List<DnsCatalog.Instance> chosen = answer.instances().size() <= maxAnswers ? answer.instances()
                : answer.instances().subList(0, maxAnswers);
        Answer records = qtype == Type.SRV ? srv(qname, chosen, ttl, answer.datacenter())
                : addresses(qname, qtype, chosen, ttl);
        records.answers().forEach(r -> response.addRecord(r, Section.ANSWER));
        records.additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        if (records.answers().isEmpty()) {
            response.addRecord(soa(catalog), Section.AUTHORITY);
        }
        return response;
    }

    /**
     * The response to a parsed standard query with one question. {@code maxAnswers} caps the records of a
     * service lookup (the UDP answer limit).
     */
    public Message resolve(Message query, DnsCatalog catalog, int maxAnswers, RandomGenerator random) {
        Record question = query.getQuestion();
        Message response = responseTo(query, settings.recursionAvailable());
        Name qname = question.getName();
        int qtype = question.getType();
        if (!inDomain(qname)) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return response;
        }
        if (qtype == Type.AXFR || qtype == Type.IXFR) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return response;
        }
        Lookup lookup = Lookup.parse(qname, domain);
        if (lookup.datacenter() != null && !lookup.datacenter().equals(settings.datacenter())) {
            return nameError(response, catalog);
        }
        Answer answer = switch (lookup.kind()) {
            case APEX -> apex(qtype, catalog);
            case SERVICE -> service(qname, qtype, lookup, catalog, maxAnswers, random);
            case NODE -> node(qname, qtype, catalog.node(lookup.name()));
            case ADDR -> addr(qname, qtype, lookup.name());
            case QUERY, UNKNOWN -> null;
        };
        if (answer == null) {
            return nameError(response, catalog);
        }
        answer.answers().forEach(r -> response.addRecord(r, Section.ANSWER));
        answer.additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        if (answer.answers().isEmpty()) {
            response.addRecord(soa(catalog), Section.AUTHORITY);
        }
        return response;
    }

    /**
     * The response to a reverse lookup ({@code in-addr.arpa} or {@code ip6.arpa}) of an address in the catalog, as
     * Consul answers it: a PTR record naming the node at that address, or else the service with an instance
     * registered at it, with a TTL of 0; null when the name is not one whole address or nothing is there, so that
     * the name is treated as any other outside the domain. Other query types than PTR and ANY get an empty answer.
     */
    public Message reverse(Message query, DnsCatalog catalog) {
        Record question = query.getQuestion();
        byte[] address = ReverseName.address(question.getName());
        if (address == null) {
            return null;
        }
        Node node = catalog.nodeAt(address);
        String service = node == null ? catalog.serviceAt(address) : null;
        Name target = node != null ? nodeName(node)
                : service == null ? null : under(service + ".service." + settings.datacenter(), domain);
        if (target == null) {
            return null;
        }
        Message response = responseTo(query, settings.recursionAvailable());
        response.getHeader().setFlag(Flags.AA);
        int qtype = question.getType();
        if (qtype == Type.PTR || qtype == Type.ANY) {
            response.addRecord(new PTRRecord(question.getName(), DClass.IN, 0, target), Section.ANSWER);
        }
        return response;
    }

    /**
     * A reverse lookup nothing here answers, when no recursor could: NXDOMAIN with the SOA, as Consul answers it,
     * so that a forwarder caches that the name does not exist rather than counting a refusal.
     */
    public Message reverseNotFound(Message query, DnsCatalog catalog) {
        Message response = responseTo(query, settings.recursionAvailable());
        response.getHeader().setFlag(Flags.AA);
        return nameError(response, catalog);
    }

    /** An empty response to the query: same id, opcode, question and RD flag; QR set. */
    public static Message responseTo(Message query, boolean recursionAvailable) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (recursionAvailable) {
            response.getHeader().setFlag(Flags.RA);
        }
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        return response;
    }

    /** Records for the answer and additional sections; null means the name does not exist. */
    private record Answer(List<Record> answers, List<Record> additional) {
        static Answer of(List<Record> answers) {
            return new Answer(answers, List.of());
        }
    }

    private Message nameError(Message response, DnsCatalog catalog) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(soa(catalog), Section.AUTHORITY);
        return response;
    }

    private Answer apex(int qtype, DnsCatalog catalog) {
        List<Record> answers = new ArrayList<>();
        List<Record> additional = new ArrayList<>();
        if (qtype == Type.SOA || qtype == Type.ANY) {
            answers.add(soa(catalog));
        }
        if (qtype == Type.NS || qtype == Type.ANY) {
            for (Node server : catalog.servers()) {
                Name target = nodeName(server);
                List<Record> glue = target == null ? List.of() : addressRecords(target, Type.ANY, server.address(),
                        settings.nodeTtlSeconds());
                if (!glue.isEmpty()) {
                    answers.add(new NSRecord(domain, DClass.IN, settings.nodeTtlSeconds(), target));
                    additional.addAll(glue);
                }
            }
        }
        return new Answer(answers, additional);
    }

    private Answer service(Name qname, int qtype, Lookup lookup, DnsCatalog catalog, int maxAnswers,
                           RandomGenerator random) {
        List<DnsCatalog.Instance> eligible = catalog.usable(lookup.name(), settings.onlyPassing());
        if (lookup.tag() != null) {
            eligible = eligible.stream().filter(i -> hasTag(i.service(), lookup.tag())).toList();
        }
        if (eligible.isEmpty()) {
            return null;
        }
        long ttl = settings.serviceTtls().secondsFor(lookup.name());
        List<DnsCatalog.Instance> chosen = Shuffle.pick(eligible, maxAnswers, random);
        if (qtype == Type.SRV) {
            return srv(qname, chosen, ttl, settings.datacenter());
        }
        return addresses(qname, qtype, chosen, ttl);
    }

    /**
     * The instances' addresses, each once. An instance registered by host name gives a CNAME, which may not stand
     * beside other records of the same name (RFC 1034 3.6.2; glibc then drops the answer): as Consul, the first
     * CNAME is answered only when no instance has an IP address.
     */
    private Answer addresses(Name qname, int qtype, List<DnsCatalog.Instance> chosen, long ttl) {
        List<Record> answers = new ArrayList<>();
        Record firstAlias = null;
        Set<String> seen = new HashSet<>();
        for (DnsCatalog.Instance instance : chosen) {
            String address = addressOf(instance);
            if (seen.add(address)) {
                for (Record r : addressRecords(qname, qtype, address, ttl)) {
                    if (r.getType() != Type.CNAME) {
                        answers.add(r);
                    } else if (firstAlias == null) {
                        firstAlias = r;
                    }
                }
            }
        }
        if (answers.isEmpty() && firstAlias != null) {
            answers.add(firstAlias);
        }
        return Answer.of(answers);
    }

    /**
     * SRV records naming the instances' nodes (or addresses) in {@code datacenter}, with their glue, and each node's
     * metadata as TXT records of its name, as Consul adds them by default ({@code enable_additional_node_meta_txt}).
     */
    private Answer srv(Name qname, List<DnsCatalog.Instance> chosen, long ttl, String datacenter) {
        List<Record> answers = new ArrayList<>();
        List<Record> additional = new ArrayList<>();
        Set<Name> glued = new HashSet<>();
        Set<Name> described = new HashSet<>();
        for (DnsCatalog.Instance instance : chosen) {
            Name node = nodeName(instance.node(), datacenter);
            ServiceInstance service = instance.service();
            byte[] ip = IpLiterals.bytes(service.address());
            Name target;
            List<Record> glue;
            if (service.address().isEmpty() && IpLiterals.bytes(instance.node().address()) == null) {
                // A node known by host name: that name is the target, as in Consul, rather than a node name
                // whose only record would be a CNAME.
                target = absolute(instance.node().address());
                glue = List.of();
            } else if (service.address().isEmpty()) {
                target = node;
                glue = target == null ? List.of()
                        : addressRecords(target, Type.ANY, instance.node().address(), ttl);
            } else if (ip != null) {
                target = under(HexFormat.of().formatHex(ip) + ".addr." + datacenter, domain);
                glue = addressRecords(target, Type.ANY, service.address(), ttl);
            } else {
                target = absolute(service.address());
                glue = List.of();
            }
            if (target != null) {
                answers.add(new SRVRecord(qname, DClass.IN, ttl, PRIORITY, weight(instance), service.port(),
                        target));
                if (glued.add(target)) {
                    additional.addAll(glue);
                }
            }
            if (node != null && described.add(node)) {
                additional.addAll(NodeMetaTxt.records(node, instance.node().meta(), ttl));
            }
        }
        return new Answer(answers, additional);
    }

    private static final int MAX_SRV_WEIGHT = 65535;

    /** The service's registered SRV weight for its health (Consul's {@code Weights}: 1 and 1 by default). */
    private static int weight(DnsCatalog.Instance instance) {
        int weight = instance.health() == CheckStatus.WARNING ? instance.service().extras().warningWeight()
                : instance.service().extras().passingWeight();
        return Math.min(weight, MAX_SRV_WEIGHT);
    }

    /**
     * The node's address, with its metadata as TXT records: in the answer for TXT and ANY, else beside an address
     * answer in the additional section, as Consul does by default ({@code enable_additional_node_meta_txt}).
     */
    private Answer node(Name qname, int qtype, Node node) {
        if (node == null) {
            return null;
        }
        long ttl = settings.nodeTtlSeconds();
        List<Record> answers = new ArrayList<>(addressRecords(qname, qtype, node.address(), ttl));
        List<Record> meta = NodeMetaTxt.records(qname, node.meta(), ttl);
        if (qtype == Type.TXT || qtype == Type.ANY) {
            answers.addAll(meta);
            return Answer.of(answers);
        }
        return new Answer(answers, answers.isEmpty() ? List.of() : meta);
    }

    private Answer addr(Name qname, int qtype, String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        byte[] ip;
        try {
            ip = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Answer.of(addressRecords(qname, qtype, ip, settings.nodeTtlSeconds()));
    }

    /**
     * A or AAAA for an IP address (whichever its family and {@code qtype} allow), or a CNAME for a host name as
     * Consul answers; nothing for other query types or an address that is neither.
     */
    private List<Record> addressRecords(Name owner, int qtype, String address, long ttl) {
        byte[] ip = IpLiterals.bytes(address);
        if (ip != null) {
            return addressRecords(owner, qtype, ip, ttl);
        }
        boolean addressType = qtype == Type.A || qtype == Type.AAAA || qtype == Type.ANY || qtype == Type.CNAME;
        Name alias = absolute(address);
        if (!addressType || alias == null) {
            return List.of();
        }
        return List.of(new CNAMERecord(owner, DClass.IN, ttl, alias));
    }

    private static List<Record> addressRecords(Name owner, int qtype, byte[] ip, long ttl) {
        InetAddress inet;
        try {
            inet = InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            return List.of();
        }
        boolean v4 = ip.length == 4;
        if (v4 && (qtype == Type.A || qtype == Type.ANY)) {
            return List.of(new ARecord(owner, DClass.IN, ttl, inet));
        }
        if (!v4 && (qtype == Type.AAAA || qtype == Type.ANY)) {
            return List.of(new AAAARecord(owner, DClass.IN, ttl, inet));
        }
        return List.of();
    }

    private SOARecord soa(DnsCatalog catalog) {
        DnsSettings.Soa soa = settings.soa();
        return new SOARecord(domain, DClass.IN, soa.minTtl(), nameserver, hostmaster, catalog.index() & 0xFFFFFFFFL,
                soa.refresh(), soa.retry(), soa.expire(), soa.minTtl());
    }

    private static boolean hasTag(ServiceInstance service, String tag) {
        return service.tags().stream().anyMatch(tag::equalsIgnoreCase);
    }

    private static String addressOf(DnsCatalog.Instance instance) {
        String address = instance.service().address();
        return address.isEmpty() ? instance.node().address() : address;
    }

    /** The node's name under the domain, or null if its name is not a valid DNS name. */
    private Name nodeName(Node node) {
        return nodeName(node, settings.datacenter());
    }

    private Name nodeName(Node node, String datacenter) {
        return under(node.name() + ".node." + datacenter, domain);
    }

    private static Name absolute(String hostname) {
        try {
            return hostname.isEmpty() ? null : Name.fromString(hostname, Name.root);
        } catch (TextParseException e) {
            return null;
        }
    }

    private static Name under(String relative, Name origin) {
        try {
            return Name.concatenate(Name.fromString(relative), origin);
        } catch (TextParseException | NameTooLongException e) {
            return null;
        }
    }
}
