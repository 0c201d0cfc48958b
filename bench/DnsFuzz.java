import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * DNS packet fuzzer: valid queries for Consul names, mutated (bits flipped, bytes overwritten, cut short or
 * lengthened, header counts and flags changed, labels and names over their limits, compression pointers that loop,
 * odd types and classes, EDNS records), sent over UDP and over TCP (where the 2-byte length is fuzzed too). Every
 * 500 packets a valid query must still be answered, over both. Answers are counted by response code; a SERVFAIL
 * (the server failed, not the query) is kept as a sample. Bounded by --packets and --seconds.
 * Run: java bench/DnsFuzz.java --target 127.0.0.1:8600 [--packets 1000000] [--seconds 1800] [--seed 1]
 */
public final class DnsFuzz {
    private static final String[] NAMES = {"consul", "web.service.consul", "beacon.service.consul",
        "_web._tcp.service.consul", "primary.web.service.consul", "node1.node.consul", "dc1.datacenter.consul",
        "web.service.dc1.consul", "nope.service.consul", "127.0.0.1.addr.consul", "example.com",
        "1.0.0.127.in-addr.arpa", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"};
    private static final int[] TYPES = {1, 28, 33, 6, 2, 16, 255, 252, 251, 41, 0, 65535, 12, 5};
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private final InetSocketAddress target;
    private final Random random;
    private final DatagramSocket udp;
    private final java.nio.channels.DatagramChannel channel;
    private long udpSent;
    private final Map<String, Long> answers = new TreeMap<>();
    private final List<String> samples = new ArrayList<>();
    private long servfail;
    private long livenessFailures;

    private DnsFuzz(InetSocketAddress target, long seed) throws IOException {
        this.target = target;
        this.random = new Random(seed);
        this.udp = new DatagramSocket();
        udp.setSoTimeout(200);
        this.channel = java.nio.channels.DatagramChannel.open();
        channel.configureBlocking(false);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String[] t = options.getOrDefault("target", "127.0.0.1:8600").split(":");
        long packets = Long.parseLong(options.getOrDefault("packets", "1000000"));
        long deadline = System.nanoTime() + Long.parseLong(options.getOrDefault("seconds", "1800")) * 1_000_000_000L;
        DnsFuzz fuzz = new DnsFuzz(new InetSocketAddress(InetAddress.getByName(t[0]), Integer.parseInt(t[1])),
                Long.parseLong(options.getOrDefault("seed", "1")));
        long started = System.nanoTime();
        long sent = 0;
        Socket tcp = null;
        while (sent < packets && System.nanoTime() < deadline) {
            byte[] packet = fuzz.mutate(fuzz.query(fuzz.pick(NAMES), TYPES[fuzz.random.nextInt(TYPES.length)],
                    fuzz.random.nextInt(4) == 0));
            if (fuzz.random.nextInt(50) == 0) {
                if (tcp == null || fuzz.random.nextInt(50) == 0) {
                    fuzz.close(tcp);
                    tcp = fuzz.connect();
                }
                if (!fuzz.overTcp(tcp, packet)) {
                    fuzz.close(tcp);
                    tcp = null;
                }
            } else {
                fuzz.overUdp(packet);
            }
            sent++;
            if (sent % 500 == 0) {
                fuzz.checkAlive();
            }
            if (sent % 100_000 == 0) {
                System.out.printf("%,d packets, %.0f/s, %s%n", sent, sent / ((System.nanoTime() - started) / 1e9),
                        fuzz.answers);
            }
        }
        fuzz.close(tcp);
        fuzz.checkAlive();
        System.out.printf("%n%,d packets in %.0f s%nanswers: %s%nSERVFAIL: %d%nvalid queries left unanswered: %d%n",
                sent, (System.nanoTime() - started) / 1e9, fuzz.answers, fuzz.servfail, fuzz.livenessFailures);
        fuzz.samples.forEach(s -> System.out.println("sample: " + s));
        boolean ok = fuzz.servfail == 0 && fuzz.livenessFailures == 0;
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    private byte[] query(String name, int type, boolean edns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int id = random.nextInt(65536);
        out.write(id >> 8);
        out.write(id);
        out.write(0x01); // RD
        out.write(0);
        out.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, (byte) (edns ? 1 : 0)});
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        out.write(type >> 8);
        out.write(type);
        out.write(0);
        out.write(1);
        if (edns) {
            // An EDNS OPT record with a random payload size.
            int size = random.nextInt(65536);
            out.writeBytes(new byte[] {0, 0, 41, (byte) (size >> 8), (byte) size, 0, 0, 0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    private byte[] mutate(byte[] valid) {
        byte[] p = valid.clone();
        switch (random.nextInt(10)) {
            case 0 -> { // as sent: a valid query
            }
            case 1 -> {
                for (int i = random.nextInt(8) + 1; i > 0; i--) {
                    p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> p[random.nextInt(p.length)] = (byte) random.nextInt(256);
            case 3 -> p = java.util.Arrays.copyOf(p, random.nextInt(p.length));
            case 4 -> {
                byte[] longer = java.util.Arrays.copyOf(p, p.length + random.nextInt(600));
                for (int i = p.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                p = longer;
            }
            case 5 -> { // header counts and flags
                for (int i = 2; i < 12; i++) {
                    if (random.nextInt(3) == 0) {
                        p[i] = (byte) random.nextInt(256);
                    }
                }
            }
            case 6 -> p = withName(p, loopingPointer());
            case 7 -> p = withName(p, oversizedName());
            case 8 -> {
                p = new byte[random.nextInt(64)];
                random.nextBytes(p);
            }
            default -> p[2] = (byte) (p[2] | 0x80 | (random.nextInt(16) << 3)); // a response, odd opcodes
        }
        return p;
    }

    private static byte[] withName(byte[] p, byte[] name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p, 0, Math.min(12, p.length));
        out.writeBytes(name);
        out.writeBytes(new byte[] {0, 1, 0, 1});
        return out.toByteArray();
    }

    private byte[] loopingPointer() {
        return random.nextBoolean() ? new byte[] {(byte) 0xC0, 12} : new byte[] {3, 'w', 'e', 'b', (byte) 0xC0, 12};
    }

    private byte[] oversizedName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int labels = random.nextInt(10) + 1;
        for (int i = 0; i < labels; i++) {
            int length = random.nextBoolean() ? 63 + random.nextInt(3) : random.nextInt(64);
            out.write(length);
            for (int j = 0; j < Math.min(length, 63); j++) {
                out.write('a' + random.nextInt(26));
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    /**
     * Sends one datagram without waiting, then takes whatever answers have arrived: a malformed packet may get none
     * (a drop is a fair answer to garbage), and the liveness check every 500 packets is what proves the server
     * still answers. Sending is paced (a few thousand a second), so a full socket buffer does not hide answers.
     */
    private void overUdp(byte[] packet) throws IOException {
        channel.send(java.nio.ByteBuffer.wrap(packet), target);
        udpSent++;
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(65535);
        while (channel.receive(buffer) != null) {
            buffer.flip();
            byte[] answer = new byte[buffer.remaining()];
            buffer.get(answer);
            count(answer, null, "udp");
            buffer.clear();
        }
        if (udpSent % 8 == 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** Sends one framed packet; false if the connection is no longer usable. */
    private boolean overTcp(Socket tcp, byte[] packet) {
        try {
            OutputStream out = tcp.getOutputStream();
            int length = random.nextInt(20) == 0 ? random.nextInt(65536) : packet.length;
            out.write(new byte[] {(byte) (length >> 8), (byte) length});
            out.write(packet);
            out.flush();
            if (length != packet.length) {
                answers.merge("tcp bad length", 1L, Long::sum);
                return false;
            }
            DataInputStream in = new DataInputStream(tcp.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            count(answer, packet, "tcp");
            return true;
        } catch (SocketTimeoutException e) {
            answers.merge("tcp no answer", 1L, Long::sum);
            return false;
        } catch (IOException e) {
            answers.merge("tcp closed", 1L, Long::sum);
            return false;
        }
    }

    private void count(byte[] answer, byte[] query, String transport) {
        if (answer.length < 4) {
            answers.merge(transport + " short answer", 1L, Long::sum);
            return;
        }
        int rcode = answer[3] & 0x0F;
        String name = rcode < RCODES.length ? RCODES[rcode] : "RCODE" + rcode;
        answers.merge(transport + " " + name, 1L, Long::sum);
        if (rcode == 2) {
            servfail++;
            if (samples.size() < 30) {
                // Over UDP the answer is matched to no query: its question section says what was asked.
                byte[] asked = query == null ? answer : query;
                samples.add(transport + " SERVFAIL for " + java.util.HexFormat.of().formatHex(asked));
            }
        }
    }

    /** A valid query must be answered, over UDP and over a new TCP connection. */
    private void checkAlive() throws IOException {
        byte[] valid = query("consul", 6, false);
        boolean udpOk = false;
        for (int attempt = 0; attempt < 3 && !udpOk; attempt++) {
            udp.send(new DatagramPacket(valid, valid.length, target));
            try {
                byte[] buffer = new byte[65535];
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                udp.setSoTimeout(2_000);
                udp.receive(answer);
                udpOk = answer.getLength() > 3 && buffer[0] == valid[0] && buffer[1] == valid[1]
                        && (buffer[3] & 0x0F) == 0;
            } catch (SocketTimeoutException e) {
                udpOk = false;
            } finally {
                udp.setSoTimeout(200);
            }
        }
        Socket tcp = connect();
        boolean tcpOk = tcp != null && overTcpValid(tcp, valid);
        close(tcp);
        if (!udpOk || !tcpOk) {
            livenessFailures++;
            if (samples.size() < 30) {
                samples.add("valid query unanswered over " + (udpOk ? "" : "UDP ") + (tcpOk ? "" : "TCP"));
            }
        }
    }

    private boolean overTcpValid(Socket tcp, byte[] valid) {
        try {
            tcp.setSoTimeout(5_000);
            OutputStream out = tcp.getOutputStream();
            out.write(new byte[] {(byte) (valid.length >> 8), (byte) valid.length});
            out.write(valid);
            DataInputStream in = new DataInputStream(tcp.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return answer.length > 3 && (answer[3] & 0x0F) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private Socket connect() {
        try {
            Socket s = new Socket();
            s.connect(target, 2_000);
            s.setSoTimeout(300);
            return s;
        } catch (IOException e) {
            answers.merge("tcp connect failed", 1L, Long::sum);
            return null;
        }
    }

    private void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // Already broken: nothing to release.
            }
        }
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
