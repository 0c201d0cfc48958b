package dev.beacon.cluster.atomix;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import io.atomix.cluster.MemberId;
import io.atomix.primitive.session.SessionId;
import io.atomix.protocols.raft.protocol.AppendRequest;
import io.atomix.protocols.raft.protocol.AppendResponse;
import io.atomix.protocols.raft.protocol.CloseSessionRequest;
import io.atomix.protocols.raft.protocol.CloseSessionResponse;
import io.atomix.protocols.raft.protocol.CommandRequest;
import io.atomix.protocols.raft.protocol.CommandResponse;
import io.atomix.protocols.raft.protocol.ConfigureRequest;
import io.atomix.protocols.raft.protocol.ConfigureResponse;
import io.atomix.protocols.raft.protocol.HeartbeatRequest;
import io.atomix.protocols.raft.protocol.HeartbeatResponse;
import io.atomix.protocols.raft.protocol.InstallRequest;
import io.atomix.protocols.raft.protocol.InstallResponse;
import io.atomix.protocols.raft.protocol.JoinRequest;
import io.atomix.protocols.raft.protocol.JoinResponse;
import io.atomix.protocols.raft.protocol.KeepAliveRequest;
import io.atomix.protocols.raft.protocol.KeepAliveResponse;
import io.atomix.protocols.raft.protocol.LeaveRequest;
import io.atomix.protocols.raft.protocol.LeaveResponse;
import io.atomix.protocols.raft.protocol.MetadataRequest;
import io.atomix.protocols.raft.protocol.MetadataResponse;
import io.atomix.protocols.raft.protocol.OpenSessionRequest;
import io.atomix.protocols.raft.protocol.OpenSessionResponse;
import io.atomix.protocols.raft.protocol.PollRequest;
import io.atomix.protocols.raft.protocol.PollResponse;
import io.atomix.protocols.raft.protocol.PublishRequest;
import io.atomix.protocols.raft.protocol.QueryRequest;
import io.atomix.protocols.raft.protocol.QueryResponse;
import io.atomix.protocols.raft.protocol.RaftServerProtocol;
import io.atomix.protocols.raft.protocol.ReconfigureRequest;
import io.atomix.protocols.raft.protocol.ReconfigureResponse;
import io.atomix.protocols.raft.protocol.ResetRequest;
import io.atomix.protocols.raft.protocol.TransferRequest;
import io.atomix.protocols.raft.protocol.TransferResponse;
import io.atomix.protocols.raft.protocol.VoteRequest;
import io.atomix.protocols.raft.protocol.VoteResponse;

/**
 * A Raft server's messaging, with a look at each append the leader sends and at each follower once the leader has
 * handled its answer.
 * <p>
 * Atomix 3.1's leader, having handled a follower's answer, sends it nothing more until there are new entries or the
 * next heartbeat, and offers no hook on that answer. {@link PromptCommits} needs one: a follower whose append was
 * still in flight when an etcd write committed learns of the commit only from a further append, which it should get
 * as soon as it can take one, unless an append already on its way carries the commit. Everything but
 * {@link #append} is passed through unchanged.
 */
final class AppendAnswers implements RaftServerProtocol {
    /** What {@link PromptCommits} is told, on the Raft server's thread. */
    interface Listener {
        /** An append to {@code member} is being sent, carrying the leader's commit index {@code commitIndex}. */
        void sent(MemberId member, long commitIndex);

        /** The leader's appender has handled {@code member}'s answer to an append (or its failure). */
        void answered(MemberId member);
    }

    private final RaftServerProtocol delegate;
    private final Executor raftThread;
    private final Listener listener;

    /**
     * @param raftThread the Raft server's thread, on which the leader's appender sends appends and handles answers
     * @param listener   told of each append as it is sent, and after the appender of each answer
     */
    AppendAnswers(RaftServerProtocol delegate, Executor raftThread, Listener listener) {
        this.delegate = delegate;
        this.raftThread = raftThread;
        this.listener = listener;
    }

    @Override
    public CompletableFuture<OpenSessionResponse> openSession(MemberId memberId, OpenSessionRequest request) {
        return delegate.openSession(memberId, request);
    }

    @Override
    public CompletableFuture<CloseSessionResponse> closeSession(MemberId memberId, CloseSessionRequest request) {
        return delegate.closeSession(memberId, request);
    }

    @Override
    public CompletableFuture<KeepAliveResponse> keepAlive(MemberId memberId, KeepAliveRequest request) {
        return delegate.keepAlive(memberId, request);
    }

    @Override
    public CompletableFuture<QueryResponse> query(MemberId memberId, QueryRequest request) {
        return delegate.query(memberId, request);
    }

    @Override
    public CompletableFuture<CommandResponse> command(MemberId memberId, CommandRequest request) {
        return delegate.command(memberId, request);
    }

    @Override
    public CompletableFuture<MetadataResponse> metadata(MemberId memberId, MetadataRequest request) {
        return delegate.metadata(memberId, request);
    }

    @Override
    public CompletableFuture<JoinResponse> join(MemberId memberId, JoinRequest request) {
        return delegate.join(memberId, request);
    }

    @Override
    public CompletableFuture<LeaveResponse> leave(MemberId memberId, LeaveRequest request) {
        return delegate.leave(memberId, request);
    }

    @Override
    public CompletableFuture<ConfigureResponse> configure(MemberId memberId, ConfigureRequest request) {
        return delegate.configure(memberId, request);
    }

    @Override
    public CompletableFuture<ReconfigureResponse> reconfigure(MemberId memberId, ReconfigureRequest request) {
        return delegate.reconfigure(memberId, request);
    }

    @Override
    public CompletableFuture<InstallResponse> install(MemberId memberId, InstallRequest request) {
        return delegate.install(memberId, request);
    }

    @Override
    public CompletableFuture<TransferResponse> transfer(MemberId memberId, TransferRequest request) {
        return delegate.transfer(memberId, request);
    }

    @Override
    public CompletableFuture<PollResponse> poll(MemberId memberId, PollRequest request) {
        return delegate.poll(memberId, request);
    }

    @Override
    public CompletableFuture<VoteResponse> vote(MemberId memberId, VoteRequest request) {
        return delegate.vote(memberId, request);
    }

    @Override
    public CompletableFuture<AppendResponse> append(MemberId memberId, AppendRequest request) {
        listener.sent(memberId, request.commitIndex());
        CompletableFuture<AppendResponse> handed = new CompletableFuture<>();
        delegate.append(memberId, request).whenComplete((response, error) -> {
            if (error == null) {
                handed.complete(response);
            } else {
                handed.completeExceptionally(error);
            }
            // The appender handles the answer on the Raft thread, queued by the completion above: this runs after it.
            raftThread.execute(() -> listener.answered(memberId));
        });
        return handed;
    }

    @Override
    public CompletableFuture<HeartbeatResponse> heartbeat(MemberId memberId, HeartbeatRequest request) {
        return delegate.heartbeat(memberId, request);
    }

    @Override
    public void publish(MemberId memberId, PublishRequest request) {
        delegate.publish(memberId, request);
    }

    @Override
    public void registerOpenSessionHandler(
            Function<OpenSessionRequest, CompletableFuture<OpenSessionResponse>> handler) {
        delegate.registerOpenSessionHandler(handler);
    }

    @Override
    public void unregisterOpenSessionHandler() {
        delegate.unregisterOpenSessionHandler();
    }

    @Override
    public void registerCloseSessionHandler(
            Function<CloseSessionRequest, CompletableFuture<CloseSessionResponse>> handler) {
        delegate.registerCloseSessionHandler(handler);
    }

    @Override
    public void unregisterCloseSessionHandler() {
        delegate.unregisterCloseSessionHandler();
    }

    @Override
    public void registerKeepAliveHandler(Function<KeepAliveRequest, CompletableFuture<KeepAliveResponse>> handler) {
        delegate.registerKeepAliveHandler(handler);
    }

    @Override
    public void unregisterKeepAliveHandler() {
        delegate.unregisterKeepAliveHandler();
    }

    @Override
    public void registerQueryHandler(Function<QueryRequest, CompletableFuture<QueryResponse>> handler) {
        delegate.registerQueryHandler(handler);
    }

    @Override
    public void unregisterQueryHandler() {
        delegate.unregisterQueryHandler();
    }

    @Override
    public void registerCommandHandler(Function<CommandRequest, CompletableFuture<CommandResponse>> handler) {
        delegate.registerCommandHandler(handler);
    }

    @Override
    public void unregisterCommandHandler() {
        delegate.unregisterCommandHandler();
    }

    @Override
    public void registerMetadataHandler(Function<MetadataRequest, CompletableFuture<MetadataResponse>> handler) {
        delegate.registerMetadataHandler(handler);
    }

    @Override
    public void unregisterMetadataHandler() {
        delegate.unregisterMetadataHandler();
    }

    @Override
    public void registerJoinHandler(Function<JoinRequest, CompletableFuture<JoinResponse>> handler) {
        delegate.registerJoinHandler(handler);
    }

    @Override
    public void unregisterJoinHandler() {
        delegate.unregisterJoinHandler();
    }

    @Override
    public void registerLeaveHandler(Function<LeaveRequest, CompletableFuture<LeaveResponse>> handler) {
        delegate.registerLeaveHandler(handler);
    }

    @Override
    public void unregisterLeaveHandler() {
        delegate.unregisterLeaveHandler();
    }

    @Override
    public void registerTransferHandler(Function<TransferRequest, CompletableFuture<TransferResponse>> handler) {
        delegate.registerTransferHandler(handler);
    }

    @Override
    public void unregisterTransferHandler() {
        delegate.unregisterTransferHandler();
    }

    @Override
    public void registerConfigureHandler(Function<ConfigureRequest, CompletableFuture<ConfigureResponse>> handler) {
        delegate.registerConfigureHandler(handler);
    }

    @Override
    public void unregisterConfigureHandler() {
        delegate.unregisterConfigureHandler();
    }

    @Override
    public void registerReconfigureHandler(
            Function<ReconfigureRequest, CompletableFuture<ReconfigureResponse>> handler) {
        delegate.registerReconfigureHandler(handler);
    }

    @Override
    public void unregisterReconfigureHandler() {
        delegate.unregisterReconfigureHandler();
    }

    @Override
    public void registerInstallHandler(Function<InstallRequest, CompletableFuture<InstallResponse>> handler) {
        delegate.registerInstallHandler(handler);
    }

    @Override
    public void unregisterInstallHandler() {
        delegate.unregisterInstallHandler();
    }

    @Override
    public void registerPollHandler(Function<PollRequest, CompletableFuture<PollResponse>> handler) {
        delegate.registerPollHandler(handler);
    }

    @Override
    public void unregisterPollHandler() {
        delegate.unregisterPollHandler();
    }

    @Override
    public void registerVoteHandler(Function<VoteRequest, CompletableFuture<VoteResponse>> handler) {
        delegate.registerVoteHandler(handler);
    }

    @Override
    public void unregisterVoteHandler() {
        delegate.unregisterVoteHandler();
    }

    @Override
    public void registerAppendHandler(Function<AppendRequest, CompletableFuture<AppendResponse>> handler) {
        delegate.registerAppendHandler(handler);
    }

    @Override
    public void unregisterAppendHandler() {
        delegate.unregisterAppendHandler();
    }

    @Override
    public void registerResetListener(SessionId sessionId, Consumer<ResetRequest> listener, Executor executor) {
        delegate.registerResetListener(sessionId, listener, executor);
    }

    @Override
    public void unregisterResetListener(SessionId sessionId) {
        delegate.unregisterResetListener(sessionId);
    }
}
