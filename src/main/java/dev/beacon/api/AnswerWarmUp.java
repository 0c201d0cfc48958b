package dev.beacon.api;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends 800 reads of its own through this server's {@code /v1} port once it has joined, so that the JIT has compiled
 * the path an answer takes before real clients need it. Without it, the first burst of answers on a fresh server runs
 * interpreted: when 10,000 blocking queries parked on a server's first minutes are woken at once (clients that kept
 * their index re-park as soon as a restarted server is back), the answers cost twice the CPU of later wakes and the
 * last came 1.2-1.6 s after the write, against 0.7-0.9 s with the warm-up (bench/README.md, "a fresh server's first
 * wake"). The reads are the kinds watchers and restarted clients send, blocking ones with a 1 ms wait (answered from
 * the timer, through the same code as a wake) and plain ones; they read a key nobody writes and the catalog, so they
 * change nothing, and they carry {@link #HEADER}, which keeps them out of the request metrics.
 * <p>
 * It gives way to real traffic: once other clients have been answered {@link #GIVE_WAY_AFTER} times since it began,
 * their requests are warming the same path, and it stops: a server restarted under load spends its CPU on catching up
 * and on those requests, not on reads of its own (bench/README.md, "What it costs").
 */
public final class AnswerWarmUp {
    /** Marks a warm-up request; {@link ApiServerRoute} leaves such requests out of its metrics. */
    public static final String HEADER = "X-Beacon-Warm-Up";
    /**
     * C1 compiles a method after about 200 calls (later while its queue is long): with 100 rounds part of a fresh
     * server's first wake still ran interpreted, more than 200 gained nothing.
     */
    static final int ROUNDS = 200;
    static final int GIVE_WAY_AFTER = 20;
    private static final Logger log = LoggerFactory.getLogger(AnswerWarmUp.class);
    private static final String PARKED = "stale&index=" + Long.MAX_VALUE + "&wait=1ms";
    private static final List<byte[]> REQUESTS = List.of(
            request("/v1/kv/_beacon/warm-up?" + PARKED),
            request("/v1/health/service/consul?" + PARKED),
            request("/v1/catalog/services?" + PARKED),
            request("/v1/kv/_beacon/warm-up?stale"));
    private static final int MAX_HEAD = 16 * 1024;
    /** CR LF CR LF, the last four bytes of a head, as an int. */
    private static final int HEAD_END = 0x0d0a0d0a;
    private static final String CONTENT_LENGTH = "content-length:";

    private final String host;
    private final int port;
    private final LongSupplier othersAnswered;

    /**
     * @param host           the HTTP server's address (a wildcard one is reached on loopback)
     * @param othersAnswered how many requests other than the warm-up's the server has answered so far
     */
    public AnswerWarmUp(String host, int port, LongSupplier othersAnswered) {
        this.host = host;
        this.port = port;
        this.othersAnswered = othersAnswered;
    }

    /** Runs on a thread of its own, which ends when the reads are done. */
    public void startInBackground() {
        Thread thread = new Thread(this::run, "beacon-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends the rounds over one kept-alive connection; returns how many of its reads were answered. */
    int run() {
        long start = System.nanoTime();
        long othersBefore = othersAnswered.getAsLong();
        int reads = 0;
        try (Socket socket = new Socket()) {
            InetAddress address = InetAddress.getByName(host);
            socket.connect(new InetSocketAddress(address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
                    : address, port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int round = 0; round < ROUNDS; round++) {
                if (othersAnswered.getAsLong() - othersBefore >= GIVE_WAY_AFTER) {
                    log.info("The answer path's warm-up gave way to other clients' requests after {} of its reads",
                            reads);
                    return reads;
                }
                for (byte[] request : REQUESTS) {
                    out.write(request);
                    out.flush();
                    skipAnswer(in);
                    reads++;
                }
            }
        } catch (IOException e) {
            // Not worth more than a line: the server serves as well without it, only its first answers cost more.
            log.info("The answer path's warm-up stopped after {} of its reads: {}", reads, e.toString());
            return reads;
        }
        log.info("Warmed the answer path up with {} reads of its own in {} ms", reads,
                (System.nanoTime() - start) / 1_000_000);
        return reads;
    }

    private static byte[] request(String target) {
        return ("GET " + target + " HTTP/1.1\r\nHost: beacon\r\n" + HEADER + ": 1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one answer's head and skips its body, whose length every {@code /v1} answer states. */
    static void skipAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int lastFour = 0;
        while (lastFour != HEAD_END) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed in an answer's head");
            }
            if (head.length() >= MAX_HEAD) {
                throw new IOException("an answer's head is longer than " + MAX_HEAD + " bytes");
            }
            head.append((char) b);
            lastFour = lastFour << 8 | b;
        }
        long length = -1;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(CONTENT_LENGTH)) {
                length = Long.parseLong(line.substring(CONTENT_LENGTH.length()).trim());
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length: " + head.toString().lines().findFirst().orElse(""));
        }
        in.skipNBytes(length);
    }
}
