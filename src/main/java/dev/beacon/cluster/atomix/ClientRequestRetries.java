package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import io.atomix.cluster.messaging.ClusterCommunicationService;
import io.atomix.cluster.messaging.MessagingException;
import io.atomix.cluster.messaging.MessagingService;
import io.atomix.cluster.messaging.impl.DefaultClusterCommunicationService;
import io.atomix.utils.net.Address;

/**
 * Makes Atomix's Raft client send a session request to the next server when the one it reached had no handler for
 * it yet or the connection broke, as it already does when a connection is refused.
 * <p>
 * Atomix 3.1's client retries a request elsewhere only after a refused connection, a closed channel or a timeout.
 * Two other failures are common around a restart and a leader change: a server whose JVM has just come back
 * accepts connections seconds before its Raft partitions register their handlers, and answers "no remote message
 * handler"; a dying leader's connection is reset, which Netty's native transport reports as a plain
 * {@link IOException}. Atomix fails such a command for good, and with it the command's place in the session's
 * sequence: the leader then parks every later command of that session until a keep-alive and a resend, and a
 * server's writes stalled for 5-20 s after each restart of a peer (issue 17). Neither failure means the command
 * was applied twice if sent again: a request with no handler was not delivered, and a resent command that was
 * applied before the reset is answered from the session's cache of results, as after a timeout.
 * <p>
 * Only the client's session subjects are translated; Raft's server-to-server traffic, membership and the rest
 * see Atomix's failures unchanged.
 */
final class ClientRequestRetries implements MessagingService {
    /** The request types of Atomix's {@code RaftClientCommunicator}, after the partition's name and a dash. */
    private static final List<String> CLIENT_SUBJECTS =
            List.of("-command", "-query", "-keep-alive", "-open", "-close", "-metadata");

    private final MessagingService messaging;

    ClientRequestRetries(MessagingService messaging) {
        this.messaging = messaging;
    }

    /** Puts the translation between Atomix's cluster communication and its messaging; before Atomix starts. */
    static void install(ClusterCommunicationService communication) {
        MessagingService current = (MessagingService) RaftIntrospection.field(
                DefaultClusterCommunicationService.class, "messagingService", communication);
        RaftIntrospection.setField(DefaultClusterCommunicationService.class, "messagingService", communication,
                new ClientRequestRetries(current));
    }

    static boolean clientSubject(String type) {
        return CLIENT_SUBJECTS.stream().anyMatch(type::endsWith);
    }

    /** A failure after which the request did not reach a handler, or the connection it was on is gone. */
    static boolean resendable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof MessagingException.NoRemoteHandler) {
            return true;
        }
        return cause instanceof IOException && !(cause instanceof MessagingException)
                && !(cause instanceof SocketException) && !(cause instanceof ClosedChannelException);
    }

    private CompletableFuture<byte[]> translated(String type, CompletableFuture<byte[]> reply) {
        if (!clientSubject(type)) {
            return reply;
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        reply.whenComplete((payload, error) -> {
            if (error == null) {
                result.complete(payload);
            } else if (resendable(error)) {
                ConnectException refused = new ConnectException("request not handled there: " + error);
                refused.initCause(error);
                result.completeExceptionally(refused);
            } else {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    @Override
    public Address address() {
        return messaging.address();
    }

    @Override
    public CompletableFuture<Void> sendAsync(Address address, String type, byte[] payload, boolean keepAlive) {
        return messaging.sendAsync(address, type, payload, keepAlive);
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload,
                                                    boolean keepAlive) {
        return translated(type, messaging.sendAndReceive(address, type, payload, keepAlive));
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload, boolean keepAlive,
                                                    Executor executor) {
        return translated(type, messaging.sendAndReceive(address, type, payload, keepAlive, executor));
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload, boolean keepAlive,
                                                    Duration timeout) {
        return translated(type, messaging.sendAndReceive(address, type, payload, keepAlive, timeout));
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload, boolean keepAlive,
                                                    Duration timeout, Executor executor) {
        return translated(type, messaging.sendAndReceive(address, type, payload, keepAlive, timeout, executor));
    }

    @Override
    public void registerHandler(String type, BiConsumer<Address, byte[]> handler, Executor executor) {
        messaging.registerHandler(type, handler, executor);
    }

    @Override
    public void registerHandler(String type, BiFunction<Address, byte[], byte[]> handler, Executor executor) {
        messaging.registerHandler(type, handler, executor);
    }

    @Override
    public void registerHandler(String type, BiFunction<Address, byte[], CompletableFuture<byte[]>> handler) {
        messaging.registerHandler(type, handler);
    }

    @Override
    public void unregisterHandler(String type) {
        messaging.unregisterHandler(type);
    }
}
