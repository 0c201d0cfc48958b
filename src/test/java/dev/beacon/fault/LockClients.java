package dev.beacon.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Clients taking turns on one Consul lock, one per server, until stopped: each holds a session of its own (no
 * health checks, no lock delay, so only a release frees the lock) and loops acquire, hold, release. Each records
 * the holds it is sure of: from the answer "true" to its acquire until it first asks to release (a release may
 * apply before its answer, or without one). If the lock works, no two such holds overlap.
 */
final class LockClients {
    static final String LOCK = "fault/lock";
    private static final long HOLD_MILLIS = 20;
    private static final Duration GIVE_UP_RELEASING = Duration.ofSeconds(60);

    /** A hold the client was sure of, in {@link System#nanoTime()}. */
    record Hold(int client, long acquired, long releasing) {
    }

    private final List<ServerProcess> servers;
    private final List<Hold> holds = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    LockClients(List<ServerProcess> servers) {
        this.servers = servers;
    }

    void start() {
        running = true;
        for (int c = 0; c < servers.size(); c++) {
            int client = c;
            Thread thread = new Thread(() -> run(client), "fault-lock-" + c);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the clients; each first releases what it may hold. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(GIVE_UP_RELEASING.plusSeconds(10).toMillis());
        }
    }

    List<Hold> holds() {
        return List.copyOf(holds);
    }

    private void run(int client) {
        ConsulHttp http = new ConsulHttp(Duration.ofSeconds(5));
        ServerProcess server = servers.get(client);
        String session = null;
        while (running) {
            if (session == null) {
                session = http.createSession(server, "fault-lock-" + client);
                if (session == null) {
                    pause(100);
                    continue;
                }
            }
            Op.Outcome acquire = http.put(server, LOCK + "?acquire=" + session, "c" + client);
            long acquired = System.nanoTime();
            if (acquire == Op.Outcome.FAILED) {
                pause(HOLD_MILLIS);
                continue;
            }
            if (acquire == Op.Outcome.OK) {
                pause(HOLD_MILLIS);
            }
            long releasing = System.nanoTime();
            if (acquire == Op.Outcome.OK) {
                holds.add(new Hold(client, acquired, releasing));
            }
            if (!release(http, server, session)) {
                // Whatever this session holds stays held: a new one lets this client go on, the others wait.
                session = null;
            }
        }
    }

    /** Releases until the server answers (true: released; false: not held), for at most a minute. */
    private static boolean release(ConsulHttp http, ServerProcess server, String session) {
        long deadline = System.nanoTime() + GIVE_UP_RELEASING.toNanos();
        while (System.nanoTime() < deadline) {
            if (http.put(server, LOCK + "?release=" + session, "") != Op.Outcome.UNKNOWN) {
                return true;
            }
            pause(100);
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
