package dev.beacon.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients, each bound to one server, running until stopped: reads (default, consistent, stale), writes of unique
 * values and read-then-CAS on a few registers, and inserts of unique keys into a set. Every register operation is
 * recorded with its invocation and answer times; every set insert is remembered as acknowledged or as attempted.
 */
final class Workload {
    static final String REGISTERS = "fault/r";
    static final String SET = "fault/set/";
    private static final int REGISTER_COUNT = 4;
    /** A pause between operations: keeps the history small enough to check and the servers far from saturated. */
    private static final long THINK_MILLIS = 10;

    private final List<ServerProcess> servers;
    private final int clients;
    private final List<Op> history = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final AtomicLong unique = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    Workload(List<ServerProcess> servers, int clients) {
        this.servers = servers;
        this.clients = clients;
    }

    void start() {
        running = true;
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> run(client), "fault-client-" + c);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the clients; an operation in flight gets its answer or its timeout first. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    List<Op> history() {
        return List.copyOf(history);
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    Set<String> attempted() {
        return Set.copyOf(attempted);
    }

    /** The server a client sends all its operations to. */
    ServerProcess serverOf(int client) {
        return servers.get(client % servers.size());
    }

    private void run(int client) {
        ConsulHttp http = new ConsulHttp(Duration.ofSeconds(5));
        ServerProcess server = serverOf(client);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            String key = REGISTERS + random.nextInt(REGISTER_COUNT);
            int pick = random.nextInt(20);
            boolean answered;
            if (pick < 2) {
                answered = insert(http, server, client);
            } else if (pick < 7) {
                answered = write(http, server, client, key);
            } else if (pick < 10) {
                answered = cas(http, server, client, key);
            } else {
                Op.ReadMode mode = Op.ReadMode.values()[random.nextInt(Op.ReadMode.values().length)];
                answered = read(http, server, client, key, mode) != null;
            }
            pause(answered ? THINK_MILLIS : 100);
        }
    }

    private boolean write(ConsulHttp http, ServerProcess server, int client, String key) {
        String value = "c" + client + "-" + unique.incrementAndGet();
        long invoked = System.nanoTime();
        Op.Outcome outcome = http.put(server, key, value, null);
        history.add(Op.write(client, key, value, invoked, System.nanoTime(), outcome));
        return outcome == Op.Outcome.OK;
    }

    /** Reads the register (recorded as a default read), then writes a new value if it still holds what was read. */
    private boolean cas(ConsulHttp http, ServerProcess server, int client, String key) {
        ConsulHttp.Read read = read(http, server, client, key, Op.ReadMode.DEFAULT);
        if (read == null) {
            return false;
        }
        String value = "c" + client + "-" + unique.incrementAndGet();
        long invoked = System.nanoTime();
        Op.Outcome outcome = http.put(server, key, value, read.modifyIndex());
        history.add(Op.cas(client, key, read.value(), value, invoked, System.nanoTime(), outcome));
        return outcome != Op.Outcome.UNKNOWN;
    }

    /** The read, recorded if it got an answer; null if it did not. */
    private ConsulHttp.Read read(ConsulHttp http, ServerProcess server, int client, String key, Op.ReadMode mode) {
        long invoked = System.nanoTime();
        ConsulHttp.Read read = http.read(server, key, mode);
        if (!read.ok()) {
            return null;
        }
        history.add(Op.read(client, mode, key, read.value(), invoked, System.nanoTime()));
        return read;
    }

    private boolean insert(ConsulHttp http, ServerProcess server, int client) {
        String key = SET + "c" + client + "-" + unique.incrementAndGet();
        attempted.add(key);
        Op.Outcome outcome = http.put(server, key, "x", null);
        if (outcome == Op.Outcome.OK) {
            acknowledged.add(key);
        }
        return outcome != Op.Outcome.UNKNOWN;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
