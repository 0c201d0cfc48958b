package dev.beacon.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.TrustManager;

import dev.beacon.state.CheckStatus;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;

/**
 * Consul's gRPC check: one call of the standard {@code grpc.health.v1.Health/Check} to {@code host:port}, for the
 * service named after a slash ({@code host:port/service}; none asks about the whole server). SERVING passes;
 * any other answer, an error or no answer in time is critical. A channel lives for one probe only, so a
 * deregistered check leaves no connection behind.
 */
final class GrpcHealthProbe {
    private final TrustManager trustEverything;

    /** @param trustEverything used for checks registered with TLSSkipVerify */
    GrpcHealthProbe(TrustManager trustEverything) {
        this.trustEverything = trustEverything;
    }

    void probe(CheckDefinition check, Duration timeout, Consumer<CheckResult> done) {
        String target = check.grpc();
        int slash = target.indexOf('/');
        String address = slash < 0 ? target : target.substring(0, slash);
        String service = slash < 0 ? "" : target.substring(slash + 1);
        ManagedChannel channel = Grpc.newChannelBuilder(address, credentials(check)).directExecutor().build();
        HealthGrpc.newStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build(), new StreamObserver<>() {
                    private HealthCheckResponse response;

                    @Override
                    public void onNext(HealthCheckResponse value) {
                        response = value;
                    }

                    @Override
                    public void onError(Throwable t) {
                        channel.shutdownNow();
                        done.accept(new CheckResult(CheckStatus.CRITICAL,
                                "gRPC check " + target + ": failed: " + t.getMessage()));
                    }

                    @Override
                    public void onCompleted() {
                        channel.shutdownNow();
                        HealthCheckResponse.ServingStatus status = response == null
                                ? HealthCheckResponse.ServingStatus.UNKNOWN : response.getStatus();
                        done.accept(status == HealthCheckResponse.ServingStatus.SERVING
                                ? new CheckResult(CheckStatus.PASSING, "gRPC check " + target + ": success")
                                : new CheckResult(CheckStatus.CRITICAL,
                                        "gRPC check " + target + ": failed: status " + status));
                    }
                });
    }

    private ChannelCredentials credentials(CheckDefinition check) {
        if (!check.grpcUseTls()) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        if (check.tlsSkipVerify()) {
            tls.trustManager(trustEverything);
        }
        return tls.build();
    }
}
