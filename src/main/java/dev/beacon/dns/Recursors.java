package dev.beacon.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

/**
 * Consul's {@code recursors}: names outside the domain go to these resolvers, in order, until one answers with
 * something other than SERVFAIL. Asynchronous: no thread waits on an upstream answer.
 */
public final class Recursors {
    private final List<SimpleResolver> resolvers;

    public Recursors(List<InetSocketAddress> servers, Duration timeout) {
        this.resolvers = servers.stream().map(address -> {
            SimpleResolver resolver = new SimpleResolver(address);
            resolver.setTimeout(timeout);
            return resolver;
        }).toList();
    }

    public static Recursors none() {
        return new Recursors(List.of(), Duration.ZERO);
    }

    public boolean enabled() {
        return !resolvers.isEmpty();
    }

    /** The first useful upstream response; fails if no resolver answered at all. */
    public CompletableFuture<Message> forward(Message query) {
        return attempt(query, 0);
    }

    private CompletableFuture<Message> attempt(Message query, int i) {
        if (i >= resolvers.size()) {
            return CompletableFuture.failedFuture(new IOException("no recursor answered"));
        }
        boolean last = i == resolvers.size() - 1;
        return resolvers.get(i).sendAsync(query.clone()).toCompletableFuture()
                .handle((reply, error) -> error != null || (reply.getRcode() == Rcode.SERVFAIL && !last)
                        ? attempt(query, i + 1) : CompletableFuture.completedFuture(reply))
                .thenCompose(next -> next);
    }
}
