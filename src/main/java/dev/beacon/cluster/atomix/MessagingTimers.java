package dev.beacon.cluster.atomix;

import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.atomix.cluster.messaging.MessagingService;
import io.atomix.cluster.messaging.impl.NettyMessagingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has Atomix's messaging forget a request's timer as soon as the answer cancels it.
 * <p>
 * Atomix 3.1 arms a timer for every request it sends (Raft appends, client commands and queries) and cancels it when
 * the answer comes, but its timer pool keeps a cancelled timer queued until the moment it would have fired. Under
 * load a timer thread therefore woke once per request, thousands of times a second on every server, only to drop
 * a timer that had nothing left to do: about 5 % of a write's CPU over the three servers (bench/README.md, session
 * 31). Removed at cancellation instead, a timer wakes a thread only when a request really times out.
 */
final class MessagingTimers {
    private static final Logger log = LoggerFactory.getLogger(MessagingTimers.class);

    private MessagingTimers() {
    }

    /** Once Atomix's messaging has started (it makes its timer pool then). */
    static void dropCancelled(MessagingService messaging) {
        if (messaging instanceof NettyMessagingService netty
                && RaftIntrospection.field(NettyMessagingService.class, "timeoutExecutor", netty)
                        instanceof ScheduledThreadPoolExecutor timers) {
            timers.setRemoveOnCancelPolicy(true);
        } else {
            log.warn("Atomix's messaging timers are not where Beacon expects them; cancelled ones stay queued");
        }
    }
}
