package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

class EventLoopHopTest {
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "the-event-loop"));
    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor(r -> new Thread(r, "raft"));

    @AfterEach
    void stop() {
        loop.shutdownNow();
        elsewhere.shutdownNow();
    }

    @Test
    void anAnswerCompletedOnAnotherThreadIsDeliveredOnTheRequestsEventLoop() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Mono<String> thread = EventLoopHop.onEventLoop(answer).map(value -> Thread.currentThread().getName())
                .contextWrite(Context.of(EventLoopHop.LOOP, Schedulers.fromExecutor(loop)));

        elsewhere.execute(() -> answer.complete("page"));

        assertThat(thread.block()).isEqualTo("the-event-loop");
    }

    @Test
    void anAnswerReadyAtOnceStaysOnTheCallingThread() {
        Mono<String> thread = EventLoopHop.onEventLoop(CompletableFuture.completedFuture("page"))
                .map(value -> Thread.currentThread().getName())
                .contextWrite(Context.of(EventLoopHop.LOOP, Schedulers.fromExecutor(loop)));

        assertThat(thread.block()).isEqualTo(Thread.currentThread().getName());
    }
}
