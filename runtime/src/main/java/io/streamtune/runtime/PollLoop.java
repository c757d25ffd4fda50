package io.streamtune.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of one Kafka poll loop, the part every loop shares: it runs {@link Body#open} once,
 * then {@link Body#turn} while running, then {@link Body#close} (always, also after a failure, so
 * the body closes its clients on its own thread); {@link #close} stops it through the consumer's
 * {@code wakeup()} and waits for the thread. A {@link WakeupException} after {@link #close} is the
 * normal way out; any other throwable ends the loop, is logged once as an ERROR naming the loop and
 * what stops with it, and is kept in {@link #failure()} so health checks can tell the truth.
 *
 * <p>The body holds the loop's state and is tested on its own, turn by turn, with Kafka's {@code
 * MockConsumer}; this class only owns the thread.
 */
public final class PollLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

    /** What a loop does; all three run on the loop thread. */
    public interface Body {

        /** Runs once before the first turn (subscribe, assign, seek). */
        default void open() throws Exception {}

        /** One turn: a poll and what follows from it. */
        void turn() throws Exception;

        /** Runs once after the last turn, also after a failure; closes the clients. */
        default void close() {}
    }

    private final String name;
    private final Body body;
    private final Runnable wakeup;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile String consequence = "";
    private volatile Throwable failure;

    /**
     * A loop not started yet.
     *
     * @param name the thread's name, also how log lines name the loop
     * @param wakeup interrupts a blocking poll (normally {@code consumer::wakeup}); thread-safe
     */
    public PollLoop(String name, Runnable wakeup, Body body) {
        this.name = Objects.requireNonNull(name);
        this.wakeup = Objects.requireNonNull(wakeup);
        this.body = Objects.requireNonNull(body);
        this.thread = new Thread(this::run, name);
    }

    /** A step of a loop's body, as a lambda or method reference. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * A loop over {@code consumer}, the usual shape: woken by the consumer's wakeup, {@code open}
     * once, then {@code turn} after turn, and the consumer closed (within {@code closeTimeout}) on
     * the loop's thread at the end.
     */
    public static PollLoop over(
            String name,
            org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
            Duration closeTimeout,
            Step open,
            Step turn) {
        return new PollLoop(
                name,
                consumer::wakeup,
                new Body() {
                    @Override
                    public void open() throws Exception {
                        open.run();
                    }

                    @Override
                    public void turn() throws Exception {
                        turn.run();
                    }

                    @Override
                    public void close() {
                        consumer.close(closeTimeout);
                    }
                });
    }

    /** Marks the thread as a daemon (it does not hold the JVM up); before {@link #start}. */
    public PollLoop daemon() {
        thread.setDaemon(true);
        return this;
    }

    /**
     * What stops with this loop, appended to the ERROR line of a failure (for example "new versions
     * are not picked up").
     */
    public PollLoop onFailureSays(String consequence) {
        this.consequence = "; " + Objects.requireNonNull(consequence);
        return this;
    }

    /** Starts the thread. */
    public PollLoop start() {
        thread.start();
        return this;
    }

    /** False once {@link #close} was called; bodies with inner waits check it. */
    public boolean running() {
        return running.get();
    }

    /** Whether the thread runs (false before {@link #start}, after a failure and after close). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Alive and not failed: what a liveness check reports. */
    public boolean healthy() {
        return thread.isAlive() && failure == null;
    }

    /** What ended the loop, or null while it runs or when it was closed. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            body.open();
            while (running.get()) {
                body.turn();
            }
        } catch (WakeupException | InterruptException e) {
            if (running.get()) {
                fail(e);
            }
        } catch (InterruptedException e) {
            if (running.get()) {
                fail(e);
            }
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            fail(e);
        } finally {
            try {
                body.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: closing failed: {}", name, e.toString());
            }
        }
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.error("{} stopped: {}{}", name, e.toString(), consequence, e);
    }

    /** Stops the loop and waits for its thread, at most 30 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops the loop and waits for its thread at most {@code wait}.
     *
     * @return whether the thread ended in time
     */
    public boolean close(Duration wait) {
        if (!running.getAndSet(false)) {
            return !thread.isAlive();
        }
        if (thread.getState() == Thread.State.NEW) {
            body.close(); // never started: its clients are closed here
            return true;
        }
        wakeup.run();
        if (thread == Thread.currentThread()) {
            return false;
        }
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
