package dev.beacon.dns;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One request packet in, one response packet out, for either transport: parses and checks the request, answers
 * it from the catalog (a reverse lookup of an address there included), asks a server of the datacenter it names,
 * or forwards it to a recursor, and fits the response to what the client can take. A datacenter this server knows
 * of but cannot reach gets SERVFAIL. Bad input gets FORMERR or NOTIMP; a packet too short to carry an id, or that is
 * itself a response, is dropped.
 */
public final class DnsHandler {
    private static final Logger log = LoggerFactory.getLogger(DnsHandler.class);
    private static final int HEADER_LENGTH = 12;
    private static final int CLASSIC_UDP_SIZE = 512;
    /** The UDP payload this server says in its own OPT record that it takes (RFC 6891 6.2.3). */
    static final int EDNS_UDP_SIZE = 4096;
    /**
     * The largest UDP answer sent, whatever the client's EDNS size: one datagram after the IP and UDP headers, as
     * Consul caps it. Within that the client's size is honoured, so a resolver that asks for 8 KiB (HAProxy as
     * Consul's guides configure it) gets every instance of a large service, as from Consul.
     */
    static final int MAX_UDP_SIZE = 65535 - 68;
    private static final int TCP_SIZE = 65535;

    private final DnsResolver resolver;
    private final Supplier<DnsCatalog> catalog;
    private final Recursors recursors;
    private final RemoteDatacenters remotes;
    private final PreparedQueryLookup preparedQueries;
    private final int udpAnswerLimit;
    private final boolean enableTruncate;

    /**
     * @param enableTruncate set the TC bit on a UDP answer cut to fit, as Consul's {@code enable_truncate}; off by
     *                       default, as in Consul: resolvers that drop truncated answers (HAProxy's) then still get
     *                       the records that fit
     */
    public DnsHandler(DnsResolver resolver, Supplier<DnsCatalog> catalog, Recursors recursors,
                      RemoteDatacenters remotes, PreparedQueryLookup preparedQueries, int udpAnswerLimit,
                      boolean enableTruncate) {
        if (udpAnswerLimit < 1) {
            throw new IllegalArgumentException("udp-answer-limit must be at least 1, not " + udpAnswerLimit);
        }
        this.resolver = resolver;
        this.catalog = catalog;
        this.recursors = recursors;
        this.remotes = remotes;
        this.preparedQueries = preparedQueries;
        this.udpAnswerLimit = udpAnswerLimit;
        this.enableTruncate = enableTruncate;
    }

    /** The response to send, or null to send nothing. Never throws: a transport thread must not die of a bug. */
    public CompletableFuture<byte[]> handle(byte[] packet, boolean udp) {
        try {
            return answer(packet, udp);
        } catch (RuntimeException e) {
            log.warn("DNS request of {} bytes could not be answered", packet.length, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<byte[]> answer(byte[] packet, boolean udp) {
        if (packet.length < HEADER_LENGTH || (packet[2] & 0x80) != 0) {
            return CompletableFuture.completedFuture(null);
        }
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(formatError(packet));
        }
        int maxSize = udp ? udpSize(query) : TCP_SIZE;
        // Consul caps the records of an answer only for clients that take 512 bytes; one that offers more gets
        // as many as fit in what it offers.
        int answerLimit = maxSize == CLASSIC_UDP_SIZE ? udpAnswerLimit : Integer.MAX_VALUE;
        int opcode = query.getHeader().getOpcode();
        if (opcode != Opcode.QUERY) {
            return reply(query, error(query, Rcode.NOTIMP), maxSize);
        }
        // The question as parsed, not the header's count: with the TC flag set, dnsjava keeps a message whose
        // sections are cut short, and the count then names a question that is not there.
        if (query.getSection(Section.QUESTION).size() != 1) {
            return reply(query, error(query, Rcode.FORMERR), maxSize);
        }
        Record question = query.getQuestion();
        if (ReverseName.isReverse(question.getName())) {
            DnsCatalog snapshot = catalog.get();
            Message reverse = resolver.reverse(query, snapshot);
            if (reverse == null && !recursors.enabled()) {
                reverse = resolver.reverseNotFound(query, snapshot);
            }
            if (reverse != null) {
                return reply(query, reverse, maxSize);
            }
        }
        if (!resolver.inDomain(question.getName()) && recursors.enabled()) {
            return recursors.forward(query).handle((reply, failure) -> {
                Message response = failure == null ? reply : error(query, Rcode.SERVFAIL);
                return toWire(query, forwarded(query, response), maxSize);
            });
        }
        Lookup lookup = resolver.lookup(question.getName());
        String datacenter = lookup == null ? null : resolver.otherDatacenter(lookup);
        CompletableFuture<byte[]> remote = datacenter == null ? null : remotes.resolve(datacenter, packet, udp);
        if (remote != null) {
            return remote.handle((answer, failure) -> failure == null && answer != null ? answer
                    : toWire(query, error(query, Rcode.SERVFAIL), maxSize));
        }
        if (lookup != null && datacenter == null && lookup.kind() == Lookup.Kind.QUERY) {
            return preparedQueries.execute(lookup.name()).handle((answer, failure) -> {
                Message response = failure != null ? error(query, Rcode.SERVFAIL)
                        : resolver.resolve(query, answer, catalog.get(), answerLimit, ThreadLocalRandom.current());
                return toWire(query, response, maxSize);
            });
        }
        Message response;
        try {
            response = resolver.resolve(query, catalog.get(), answerLimit, ThreadLocalRandom.current());
        } catch (RuntimeException e) {
            log.warn("DNS query {} failed", question, e);
            response = error(query, Rcode.SERVFAIL);
        }
        return reply(query, response, maxSize);
    }

    private CompletableFuture<byte[]> reply(Message query, Message response, int maxSize) {
        return CompletableFuture.completedFuture(toWire(query, response, maxSize));
    }

    /** Answers EDNS with EDNS (advertising what this server sends), and never sends EDNS to a client without. */
    private byte[] toWire(Message query, Message response, int maxSize) {
        for (Record r : List.copyOf(response.getSection(Section.ADDITIONAL))) {
            if (r.getType() == Type.OPT) {
                response.removeRecord(r, Section.ADDITIONAL);
            }
        }
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_UDP_SIZE, 0, 0), Section.ADDITIONAL);
        }
        return Truncation.toWire(response, maxSize, enableTruncate);
    }

    /** An upstream response as ours: the client's id, and recursion available. */
    private static Message forwarded(Message query, Message upstream) {
        upstream.getHeader().setID(query.getHeader().getID());
        upstream.getHeader().setFlag(Flags.RA);
        return upstream;
    }

    private Message error(Message query, int rcode) {
        Message response = DnsResolver.responseTo(query, recursors.enabled());
        response.getHeader().setRcode(rcode);
        return response;
    }

    /** What a client may receive over UDP: 512 bytes, or its EDNS size up to {@link #MAX_UDP_SIZE}. */
    private static int udpSize(Message query) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return CLASSIC_UDP_SIZE;
        }
        return Math.max(CLASSIC_UDP_SIZE, Math.min(opt.getPayloadSize(), MAX_UDP_SIZE));
    }

    /**
     * FORMERR for a request that does not parse: just a header, echoing its id, opcode and RD flag, since
     * nothing after the header can be trusted.
     */
    private static byte[] formatError(byte[] packet) {
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = packet[0];
        header[1] = packet[1];
        header[2] = (byte) (0x80 | (packet[2] & 0x79));
        header[3] = (byte) Rcode.FORMERR;
        return header;
    }
}
