package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.atomix.cluster.MemberId;
import io.atomix.protocols.raft.protocol.AppendRequest;
import io.atomix.protocols.raft.protocol.AppendResponse;
import io.atomix.protocols.raft.protocol.RaftServerProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The look at a follower comes after the leader's appender has handled its answer, on the same thread: otherwise
 * the follower would still count as having an append in flight, and would not be sent the commit. Each append is
 * reported with the commit index it carries as it is sent.
 */
class AppendAnswersTest {
    private final ExecutorService raftThread = Executors.newSingleThreadExecutor();
    private final CompletableFuture<AppendResponse> sent = new CompletableFuture<>();
    private static final long COMMIT = 5;
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<String> sentCommits = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        raftThread.shutdownNow();
    }

    @Test
    void theListenerRunsAfterTheAppenderHandledTheAnswer() {
        appendThroughAnswers();

        sent.complete(null);

        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 2);
        assertThat(order).containsExactly("appender handled an answer", "listener looked at f1");
    }

    @Test
    void theListenerRunsAfterTheAppenderHandledAFailure() {
        appendThroughAnswers();

        sent.completeExceptionally(new IllegalStateException("no route"));

        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 2);
        assertThat(order).containsExactly("appender handled a failure", "listener looked at f1");
    }

    /** Sends one append the way Atomix's appender does: its handler queued on the Raft thread. */
    private void appendThroughAnswers() {
        RaftServerProtocol delegate = (RaftServerProtocol) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RaftServerProtocol.class}, (proxy, method, args) -> {
                    assertThat(method.getName()).isEqualTo("append");
                    return sent;
                });
        AppendAnswers answers = new AppendAnswers(delegate, raftThread, new AppendAnswers.Listener() {
            @Override
            public void sent(MemberId member, long commitIndex) {
                sentCommits.add(member.id() + " at " + commitIndex);
            }

            @Override
            public void answered(MemberId member) {
                order.add("listener looked at " + member.id());
            }
        });
        AppendRequest request = AppendRequest.builder().withTerm(2).withLeader(MemberId.from("leader"))
                .withPrevLogIndex(6).withPrevLogTerm(2).withEntries(List.of()).withCommitIndex(COMMIT).build();
        answers.append(MemberId.from("f1"), request).whenCompleteAsync((response, error) ->
                order.add(error == null ? "appender handled an answer" : "appender handled a failure"), raftThread);
        assertThat(sentCommits).as("told as it is sent").containsExactly("f1 at " + COMMIT);
    }
}
