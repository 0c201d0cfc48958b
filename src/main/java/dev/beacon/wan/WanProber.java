package dev.beacon.wan;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.WanMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pings every known server of every other datacenter once a second, and those of this one every fifth second, with
 * this server's {@link WanHello}, and tells the pool what each answers and how long it took. A server that does not
 * answer is not pinged again until its last ping has ended (timed out), so a hung server costs one open request. Logs each server that becomes alive or
 * failed, as Consul logs its WAN members.
 */
public final class WanProber {
    static final String PING_PATH = "/wan/v1/ping";
    private static final Logger log = LoggerFactory.getLogger(WanProber.class);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int LOCAL_EVERY = 5;

    private final WanPool pool;
    private final JsonMapper json;
    private final HttpClient client;
    private final WanTransport transport;
    private final ScheduledExecutorService scheduler;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> lastSeenAlive = new HashMap<>();
    private ScheduledFuture<?> rounds;
    private long roundsDone;

    public WanProber(WanPool pool, JsonMapper json, WanTransport transport, ScheduledExecutorService scheduler) {
        this.pool = pool;
        this.json = json;
        this.transport = transport;
        this.client = transport.connecting().responseTimeout(TIMEOUT);
        this.scheduler = scheduler;
    }

    public synchronized void start() {
        rounds = scheduler.scheduleWithFixedDelay(this::round, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (rounds != null) {
            rounds.cancel(false);
            rounds = null;
        }
    }

    private void round() {
        try {
            logChanges();
            byte[] hello = json.writeValueAsBytes(WanHello.from(pool));
            for (String target : pool.pingTargets(roundsDone++ % LOCAL_EVERY == 0)) {
                if (inFlight.add(target)) {
                    ping(target, hello);
                }
            }
        } catch (RuntimeException e) {
            log.warn("WAN ping round failed: {}", e.toString());
        }
    }

    private void ping(String target, byte[] hello) {
        long start = System.nanoTime();
        transport.post(client, target, PING_PATH, hello)
                .doFinally(signal -> inFlight.remove(target))
                .subscribe(bytes -> json.readValue(bytes, WanHello.class).answerTo(pool, target,
                                System.nanoTime() - start),
                        failure -> log.debug("WAN ping of {} failed: {}", target, failure.toString()));
    }

    private void logChanges() {
        for (WanMember member : pool.members()) {
            if (member.wanName().equals(pool.self().wanName())) {
                continue;
            }
            Boolean before = lastSeenAlive.put(member.wanName(), member.alive());
            if (before == null || before != member.alive()) {
                if (member.alive()) {
                    log.info("WAN member {} ({}) is alive", member.wanName(), member.address());
                } else {
                    log.warn("WAN member {} ({}) failed: no answer for {} s", member.wanName(), member.address(),
                            TimeUnit.NANOSECONDS.toSeconds(pool.failedAfter(member.datacenter())));
                }
            }
        }
    }
}
