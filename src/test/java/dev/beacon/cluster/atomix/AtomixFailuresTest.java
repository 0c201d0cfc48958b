package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.NoLeaderException;
import io.atomix.cluster.messaging.MessagingException;
import io.atomix.primitive.PrimitiveException;
import io.atomix.protocols.raft.RaftException;
import org.junit.jupiter.api.Test;

class AtomixFailuresTest {

    @Test
    void aTimedOutWriteSaysItMayStillBeApplied() {
        Throwable answer = AtomixFailures.translate(new CompletionException(new TimeoutException()), true, true);

        assertThat(answer).isInstanceOf(ClusterUnavailableException.class)
                .hasMessage("rpc error making call: timed out waiting for the write to commit; it may still be applied");
    }

    @Test
    void aTimedOutReadSaysOnlyThatItTimedOut() {
        assertThat(AtomixFailures.translate(new PrimitiveException.Timeout(), false, true))
                .hasMessage("rpc error making call: timed out waiting for the leader");
    }

    @Test
    void anUnreachableClusterWithNoLeaderKnownIsConsulsNoClusterLeader() {
        for (Throwable failure : new Throwable[] {new ConnectException("Failed to connect to the cluster"),
                new PrimitiveException.ClosedSession("session closed"), new PrimitiveException.UnknownSession(),
                new MessagingException.NoRemoteHandler()}) {
            assertThat(AtomixFailures.translate(failure, true, false)).as(failure.toString())
                    .isInstanceOf(NoLeaderException.class).hasMessage("No cluster leader");
        }
        assertThat(AtomixFailures.translate(new RaftException.NoLeader("none"), false, true))
                .isInstanceOf(NoLeaderException.class);
    }

    @Test
    void anUnreachableLeaderAnswersWithoutClassNamesOrAddresses() {
        Throwable write = AtomixFailures.translate(
                new ConnectException("Connection refused: /127.0.0.13:38300"), true, true);
        Throwable read = AtomixFailures.translate(
                new RaftException.ProtocolException("Failed to reach consensus"), false, true);

        assertThat(write).isInstanceOf(ClusterUnavailableException.class)
                .hasMessageStartingWith("rpc error making call: ").hasMessageContaining("may or may not")
                .hasMessageNotContaining("127.0.0").hasMessageNotContaining("Exception");
        assertThat(read).isInstanceOf(ClusterUnavailableException.class)
                .hasMessage("rpc error making call: the leader could not be reached");
    }

    @Test
    void aConnectionResetByTheDyingLeaderIsAnUnreachableLeaderToo() {
        Throwable reset = new IOException("recvAddress(..) failed with error(-104): Connection reset by peer");

        assertThat(AtomixFailures.translate(new CompletionException(reset), true, true))
                .isInstanceOf(ClusterUnavailableException.class).hasMessageContaining("may or may not")
                .hasMessageNotContaining("recvAddress");
    }

    @Test
    void aReadTheLeaderCouldNotConfirmSaysSoWithoutTheServersException() {
        String serverSide = "io.atomix.protocols.raft.RaftException$ProtocolException: Failed to reach consensus";
        for (Throwable failure : new Throwable[] {new RaftException.QueryFailure(serverSide),
                new PrimitiveException.QueryFailure(serverSide), new ReadRefusedException()}) {
            assertThat(AtomixFailures.translate(new CompletionException(failure), false, true)).as(failure.toString())
                    .isInstanceOf(ClusterUnavailableException.class)
                    .hasMessage("rpc error making call: the leader could not confirm its leadership in time for this read");
        }
    }

    @Test
    void anythingElseIsPassedOnAsADefect() {
        IllegalStateException bug = new IllegalStateException("bug");

        assertThat(AtomixFailures.translate(new CompletionException(bug), true, true)).isSameAs(bug);
    }
}
