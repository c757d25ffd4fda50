package io.streamtune.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class BatchSchedulerTest {

    /** Runs submitted model runs only when the test says so: the model thread, by hand. */
    private static final class ModelThread implements Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            queued.add(r);
        }

        void runOne() {
            queued.remove().run();
        }
    }

    private final ModelThread model = new ModelThread();
    private final List<String> ran = new ArrayList<>();
    private final BatchScheduler<String, String> scheduler =
            new BatchScheduler<>(
                    batch -> {
                        if (batch.startsWith("bad")) {
                            throw new IllegalStateException("model failed on " + batch);
                        }
                        ran.add(batch);
                        return "ran " + batch;
                    },
                    e -> "failed: " + e.getMessage(),
                    model);

    @Test
    void shouldStartAPreparedBatchAndHandItBackOnceItRan() {
        scheduler.add("b1");
        assertThat(scheduler.advance()).isEmpty();
        assertThat(scheduler.isRunning()).isTrue();
        assertThat(scheduler.hasRoom()).isTrue();

        assertThat(scheduler.advance()).as("still running").isEmpty();
        model.runOne();

        assertThat(scheduler.advance()).hasValue(new BatchScheduler.Finished<>("b1", "ran b1"));
        assertThat(scheduler.isIdle()).isTrue();
    }

    @Test
    void shouldRunTheNextBatchWhileTheFinishedOneIsDelivered() {
        scheduler.add("b1");
        scheduler.advance();
        scheduler.add("b2");
        assertThat(scheduler.hasRoom()).isFalse();
        model.runOne();

        var finished = scheduler.advance();

        assertThat(finished).hasValue(new BatchScheduler.Finished<>("b1", "ran b1"));
        assertThat(scheduler.isRunning()).as("b2 started before b1 is delivered").isTrue();
        assertThat(model.queued).hasSize(1);
        assertThat(scheduler.inFlight()).containsExactly("b2");
    }

    @Test
    void shouldTurnAModelFailureIntoItsResult() {
        scheduler.add("bad1");
        scheduler.advance();
        model.runOne();

        assertThat(scheduler.advance())
                .hasValue(new BatchScheduler.Finished<>("bad1", "failed: model failed on bad1"));
    }

    @Test
    void shouldFinishWhatIsInFlightOldestFirst() {
        scheduler.add("b1");
        scheduler.advance();
        scheduler.add("b2");
        model.runOne();

        assertThat(scheduler.inFlight()).containsExactly("b1", "b2");
        assertThat(scheduler.finishOldest())
                .hasValue(new BatchScheduler.Finished<>("b1", "ran b1"));
        assertThat(scheduler.finishOldest())
                .as("the waiting batch runs on the caller's thread")
                .hasValue(new BatchScheduler.Finished<>("b2", "ran b2"));
        assertThat(scheduler.finishOldest()).isEmpty();
        assertThat(ran).containsExactly("b1", "b2");
    }

    @Test
    void shouldAbandonWhatIsInFlightOldestFirstWithoutRunningTheWaitingBatch() {
        scheduler.add("b1");
        scheduler.advance();
        scheduler.add("b2");
        model.runOne();

        assertThat(scheduler.abandon()).containsExactly("b1", "b2");
        assertThat(scheduler.isIdle()).isTrue();
        assertThat(ran).containsExactly("b1");
    }

    @Test
    void shouldRefuseASecondWaitingBatch() {
        scheduler.add("b1");

        assertThatThrownBy(() -> scheduler.add("b2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldPollWithoutBlockingWhenABatchIsWaitingAndBrieflyWhileOneRuns() {
        long due = Duration.ofMillis(40).toNanos();
        assertThat(BatchScheduler.pollTimeout(true, true, true, due)).hasMillis(100);
        assertThat(BatchScheduler.pollTimeout(false, true, true, due)).isZero();
        assertThat(BatchScheduler.pollTimeout(false, false, true, due)).hasMillis(2);
        assertThat(BatchScheduler.pollTimeout(false, false, false, due)).hasMillis(40);
        assertThat(BatchScheduler.pollTimeout(false, false, false, Long.MAX_VALUE)).hasMillis(200);
        assertThat(BatchScheduler.pollTimeout(false, false, false, -5)).isZero();
    }
}
