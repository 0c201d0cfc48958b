package dev.beacon.dns;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over UDP and TCP on one address and port. UDP: a few worker threads take turns receiving and each answers
 * what it received (answers are computed in memory, so nothing blocks but the receive). TCP: an accepting thread
 * and a bounded pool of connection threads; a connection that stays idle longer than the timeout is closed, and
 * connections beyond the bound are refused by closing them.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    private static final int UDP_RECEIVE_SIZE = 65535;
    private static final int EPHEMERAL_ATTEMPTS = 20;

    private final InetAddress address;
    private final int requestedPort;
    private final DnsHandler handler;
    private final Settings settings;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<Socket> openConnections = ConcurrentHashMap.newKeySet();
    private DatagramChannel udp;
    private ServerSocket tcp;
    private ThreadPoolExecutor connections;
    private volatile boolean closed;

    /**
     * @param udpWorkers     threads answering UDP
     * @param maxConnections TCP connections served at once
     * @param idleTimeout    how long a TCP connection may wait for its next request (or the rest of one)
     */
    public record Settings(int udpWorkers, int maxConnections, Duration idleTimeout) {
    }

    public DnsServer(InetAddress address, int port, DnsHandler handler, Settings settings) {
        this.address = address;
        this.requestedPort = port;
        this.handler = handler;
        this.settings = settings;
    }

    /** Binds both sockets (the same port number; port 0 picks a free one) and starts serving. */
    public synchronized void start() throws IOException {
        bind();
        AtomicInteger count = new AtomicInteger();
        connections = new ThreadPoolExecutor(0, settings.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> daemon(r, "beacon-dns-tcp-" + count.incrementAndGet()));
        for (int i = 0; i < settings.udpWorkers(); i++) {
            threads.add(daemon(this::serveUdp, "beacon-dns-udp-" + (i + 1)));
        }
        threads.add(daemon(this::acceptTcp, "beacon-dns-accept"));
        threads.forEach(Thread::start);
        log.info("DNS listening on {}:{} (UDP and TCP)", address.getHostAddress(), port());
    }

    private void bind() throws IOException {
        for (int attempt = 1; ; attempt++) {
            ServerSocket serverSocket = new ServerSocket();
            try {
                serverSocket.setReuseAddress(true);
                serverSocket.bind(new InetSocketAddress(address, requestedPort), 128);
                DatagramChannel channel = DatagramChannel.open(address.getAddress().length == 4
                        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                try {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
                    channel.bind(new InetSocketAddress(address, serverSocket.getLocalPort()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                tcp = serverSocket;
                udp = channel;
                return;
            } catch (BindException e) {
                serverSocket.close();
                // With port 0, the free TCP port may be taken for UDP: pick another pair.
                if (requestedPort != 0 || attempt >= EPHEMERAL_ATTEMPTS) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                serverSocket.close();
                throw e;
            }
        }
    }

    /** The bound port (UDP and TCP). */
    public int port() {
        return tcp.getLocalPort();
    }

    private void serveUdp() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(UDP_RECEIVE_SIZE);
        while (!closed) {
            SocketAddress client;
            byte[] packet;
            try {
                buffer.clear();
                client = udp.receive(buffer);
                buffer.flip();
                packet = new byte[buffer.remaining()];
                buffer.get(packet);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("DNS UDP receive failed", e);
                }
                continue;
            }
            handler.handle(packet, true).whenComplete((reply, error) -> {
                if (reply != null) {
                    sendUdp(reply, client);
                } else if (error != null) {
                    log.warn("DNS UDP request from {} failed", client, error);
                }
            });
        }
    }

    private void sendUdp(byte[] reply, SocketAddress client) {
        try {
            udp.send(ByteBuffer.wrap(reply), client);
        } catch (IOException e) {
            if (!closed) {
                log.debug("DNS UDP reply to {} failed", client, e);
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("DNS TCP accept failed", e);
                }
                continue;
            }
            // Registered here, before the hand-off, so that close() (which waits for this thread) sees every one.
            openConnections.add(socket);
            try {
                connections.execute(new TcpConnection(socket, handler, settings.idleTimeout(), openConnections));
            } catch (RejectedExecutionException e) {
                openConnections.remove(socket);
                TcpConnection.closeQuietly(socket);
            }
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Closes both sockets, waits for the receiving threads to end, then closes every open connection. */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (udp != null) {
                udp.close();
            }
            if (tcp != null) {
                tcp.close();
            }
        } catch (IOException e) {
            log.debug("Closing DNS sockets", e);
        }
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (connections != null) {
            connections.shutdownNow();
        }
        openConnections.forEach(TcpConnection::closeQuietly);
    }
}
