import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop GET generator for one fixed request target, for issue 16's measure of forwarded reads
 * (../shared/kvbench has no way to add ?dc= to its requests). Each client is a thread with one keep-alive socket
 * and a minimal HTTP/1.1 exchange, so the generator stays cheap. Loopback only; bounded by a request count and a
 * time limit. Prints one line: ops/s, p50, p99, errors.
 *
 * Usage: java bench/ForwardedReads.java HOST PORT TARGET CLIENTS REQUESTS MAX_SECONDS
 *   e.g. java bench/ForwardedReads.java 127.0.0.1 8501 '/v1/kv/x?dc=dc2' 64 20000 120
 */
public final class ForwardedReads {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String target = args[2];
        int clients = Integer.parseInt(args[3]);
        int requests = Integer.parseInt(args[4]);
        long deadline = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback only: " + host);
        }
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            threads[c] = new Thread(() -> {
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    int i;
                    while ((i = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        out.write(request);
                        out.flush();
                        if (readResponse(in) != 200) {
                            errors.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - t0;
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] done = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        System.out.printf("requests=%d errors=%d seconds=%.2f ops/s=%.0f p50=%.2fms p99=%.2fms%n", done.length,
                errors.get(), seconds, done.length / seconds, percentile(done, 0.50), percentile(done, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    /** Reads one response (status line, headers, a Content-Length body); returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
