package dev.beacon.dns;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DNS-over-TCP connection: requests and responses each prefixed with their two-byte length (RFC 1035 4.2.2),
 * served in order until the client closes, stays idle past the timeout, or sends something unanswerable. The
 * length prefix bounds a request to 64 KiB. The server registers the socket in {@code open} before this runs, so
 * that it can close it on shutdown; it leaves the set when the connection ends.
 */
final class TcpConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

    private final Socket socket;
    private final DnsHandler handler;
    private final Duration idleTimeout;
    private final Set<Socket> open;

    TcpConnection(Socket socket, DnsHandler handler, Duration idleTimeout, Set<Socket> open) {
        this.socket = socket;
        this.handler = handler;
        this.idleTimeout = idleTimeout;
        this.open = open;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setSoTimeout(Math.toIntExact(idleTimeout.toMillis()));
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                int length = in.readUnsignedShort();
                byte[] request = new byte[length];
                in.readFully(request);
                byte[] reply = handler.handle(request, false).get(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (reply == null) {
                    return;
                }
                byte[] framed = new byte[reply.length + 2];
                framed[0] = (byte) (reply.length >>> 8);
                framed[1] = (byte) reply.length;
                System.arraycopy(reply, 0, framed, 2, reply.length);
                out.write(framed);
                out.flush();
            }
        } catch (EOFException | SocketTimeoutException | TimeoutException e) {
            // The client is done, idle, or stalled mid-request; or a forwarded query got no answer in time.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | ExecutionException e) {
            log.debug("DNS TCP connection from {} ended", socket.getRemoteSocketAddress(), e);
        } finally {
            open.remove(socket);
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Closing a DNS TCP connection", e);
        }
    }
}
