package io.streamtune.inference.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The two-deep batch pipeline of a {@link FramePipeline}, apart from Kafka: at most one batch runs
 * on the model's executor while the next one is prepared (decoded, preprocessed) on the caller's
 * thread; a finished batch is handed back to postprocess and deliver while its successor runs.
 * Batches finish in the order they were prepared. Not thread-safe: one caller (the poll thread).
 *
 * @param <P> a prepared batch
 * @param <R> what running it gave
 */
final class BatchScheduler<P, R> {

    /** A batch whose run ended: {@code ran} is the run's result or {@code failed}'s. */
    record Finished<P, R>(P prepared, R ran) {}

    private final Function<P, R> run;
    private final Function<Throwable, R> failed;
    private final Executor executor;
    private P running;
    private CompletableFuture<R> result;
    private P next;

    /**
     * @param run runs a prepared batch (on {@code executor})
     * @param failed the result of a run that threw
     * @param executor where batches run: the model thread
     */
    BatchScheduler(Function<P, R> run, Function<Throwable, R> failed, Executor executor) {
        this.run = run;
        this.failed = failed;
        this.executor = executor;
    }

    /** True when a batch may be prepared now (none is waiting to run). */
    boolean hasRoom() {
        return next == null;
    }

    /** True when a batch is running. */
    boolean isRunning() {
        return running != null;
    }

    /** True when nothing is running or waiting to run. */
    boolean isIdle() {
        return running == null && next == null;
    }

    /** The batches in the pipeline, oldest first. */
    List<P> inFlight() {
        List<P> out = new ArrayList<>(2);
        if (running != null) {
            out.add(running);
        }
        if (next != null) {
            out.add(next);
        }
        return out;
    }

    /** Queues a prepared batch; {@link #hasRoom()} must be true. */
    void add(P prepared) {
        if (next != null) {
            throw new IllegalStateException("a prepared batch is already waiting to run");
        }
        next = prepared;
    }

    /**
     * Moves the pipeline on: when the running batch has finished, or the next one is waiting for
     * it, returns the running batch (waiting for it if need be) and starts the next; with nothing
     * running, starts the next. Empty when no batch finished.
     */
    Optional<Finished<P, R>> advance() {
        if (running != null && (next != null || result.isDone())) {
            Finished<P, R> finished = new Finished<>(running, await(result));
            running = null;
            result = null;
            startNext();
            return Optional.of(finished);
        }
        if (running == null && next != null) {
            startNext();
        }
        return Optional.empty();
    }

    /**
     * The oldest batch in the pipeline, finished: the running one awaited, else the waiting one run
     * on the caller's thread. Empty when idle. Used to deliver everything before partitions are
     * given up or on shutdown.
     */
    Optional<Finished<P, R>> finishOldest() {
        if (running != null) {
            Finished<P, R> finished = new Finished<>(running, await(result));
            running = null;
            result = null;
            return Optional.of(finished);
        }
        if (next != null) {
            P prepared = next;
            next = null;
            R ran;
            try {
                ran = run.apply(prepared);
            } catch (RuntimeException e) {
                ran = failed.apply(e);
            }
            return Optional.of(new Finished<>(prepared, ran));
        }
        return Optional.empty();
    }

    /**
     * Drops what is in the pipeline without its results (a running batch is awaited first, so its
     * model is no longer in use); returns the dropped batches, oldest first.
     */
    List<P> abandon() {
        List<P> dropped = new ArrayList<>(2);
        if (running != null) {
            await(result);
            dropped.add(running);
            running = null;
            result = null;
        }
        if (next != null) {
            dropped.add(next);
            next = null;
        }
        return dropped;
    }

    /**
     * How long the poll thread may block in {@code poll}: briefly while waiting for a model, not at
     * all with a batch waiting to run, a couple of milliseconds while one runs (to pick its result
     * up promptly), otherwise until the micro-batch is due, at most 200 ms.
     */
    static Duration pollTimeout(
            boolean waitingForModel, boolean batchWaiting, boolean running, long nanosUntilDue) {
        if (waitingForModel) {
            return Duration.ofMillis(100);
        }
        if (batchWaiting) {
            return Duration.ZERO;
        }
        long cap = running ? Duration.ofMillis(2).toNanos() : Duration.ofMillis(200).toNanos();
        return Duration.ofNanos(Math.max(0, Math.min(nanosUntilDue, cap)));
    }

    private void startNext() {
        if (next == null) {
            return;
        }
        P prepared = next;
        next = null;
        running = prepared;
        result = CompletableFuture.supplyAsync(() -> run.apply(prepared), executor);
    }

    private R await(CompletableFuture<R> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            return failed.apply(e.getCause());
        }
    }
}
