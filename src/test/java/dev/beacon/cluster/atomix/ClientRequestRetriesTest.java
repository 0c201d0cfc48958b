package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import io.atomix.cluster.messaging.MessagingException;
import io.atomix.cluster.messaging.MessagingService;
import io.atomix.utils.net.Address;
import org.junit.jupiter.api.Test;

class ClientRequestRetriesTest {
    private static final Address PEER = Address.from("127.0.0.2:8300");
    private static final byte[] REQUEST = {1};

    @Test
    void aClientRequestNoHandlerTookIsReportedAsARefusedConnectionSoTheSessionTriesTheNextServer() {
        MessagingService messaging = new ClientRequestRetries(answering(new MessagingException.NoRemoteHandler()));

        for (String subject : new String[] {"data-partition-1-command", "data-partition-1-query",
                "system-partition-1-keep-alive", "data-partition-1-open", "data-partition-1-close",
                "data-partition-1-metadata"}) {
            CompletableFuture<byte[]> reply = messaging.sendAndReceive(PEER, subject, REQUEST, true,
                    Duration.ofSeconds(5));
            assertThatThrownBy(reply::join).as(subject).hasCauseInstanceOf(ConnectException.class)
                    .hasRootCauseInstanceOf(MessagingException.NoRemoteHandler.class);
        }
    }

    @Test
    void aConnectionResetIsReportedAsARefusedConnectionToo() {
        MessagingService messaging = new ClientRequestRetries(answering(new IOException("Connection reset by peer")));

        assertThatThrownBy(() -> messaging.sendAndReceive(PEER, "data-partition-1-command", REQUEST, true).join())
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void failuresAtomixAlreadyRetriesOrAfterWhichTheRequestMayHaveRunArePassedOnUnchanged() {
        TimeoutException timeout = new TimeoutException("timed out");
        MessagingException.RemoteHandlerFailure handlerFailed = new MessagingException.RemoteHandlerFailure();
        ConnectException refused = new ConnectException("refused");

        for (Throwable failure : new Throwable[] {timeout, handlerFailed, refused}) {
            MessagingService messaging = new ClientRequestRetries(answering(failure));
            assertThatThrownBy(() -> messaging.sendAndReceive(PEER, "data-partition-1-command", REQUEST, true).join())
                    .isInstanceOf(CompletionException.class).hasCause(failure);
        }
    }

    @Test
    void raftServerTrafficSeesAtomixsFailuresUnchanged() {
        MessagingException.NoRemoteHandler noHandler = new MessagingException.NoRemoteHandler();
        MessagingService messaging = new ClientRequestRetries(answering(noHandler));

        for (String subject : new String[] {"data-partition-1-append", "data-partition-1-vote",
                "data-partition-1-install", "beacon-snapshot-chunk"}) {
            assertThatThrownBy(() -> messaging.sendAndReceive(PEER, subject, REQUEST, true).join()).as(subject)
                    .hasCause(noHandler);
        }
    }

    @Test
    void answersPassThrough() {
        byte[] answer = {4, 2};
        MessagingService messaging = new ClientRequestRetries(new StubMessaging(CompletableFuture.completedFuture(
                answer)));

        assertThat(messaging.sendAndReceive(PEER, "data-partition-1-command", REQUEST, true).join()).isSameAs(answer);
    }

    private static MessagingService answering(Throwable failure) {
        return new StubMessaging(CompletableFuture.failedFuture(failure));
    }

    /** Atomix's messaging, answering every request with one reply. */
    private record StubMessaging(CompletableFuture<byte[]> reply) implements MessagingService {
        @Override
        public Address address() {
            return Address.from("127.0.0.1:8300");
        }

        @Override
        public CompletableFuture<Void> sendAsync(Address address, String type, byte[] payload, boolean keepAlive) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload,
                                                        boolean keepAlive) {
            return reply;
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload,
                                                        boolean keepAlive, Executor executor) {
            return reply;
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload,
                                                        boolean keepAlive, Duration timeout) {
            return reply;
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload,
                                                        boolean keepAlive, Duration timeout, Executor executor) {
            return reply;
        }

        @Override
        public void registerHandler(String type, BiConsumer<Address, byte[]> handler, Executor executor) {
        }

        @Override
        public void registerHandler(String type, BiFunction<Address, byte[], byte[]> handler, Executor executor) {
        }

        @Override
        public void registerHandler(String type, BiFunction<Address, byte[], CompletableFuture<byte[]>> handler) {
        }

        @Override
        public void unregisterHandler(String type) {
        }
    }
}
