package io.streamtune.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waiting in tests for something another thread or process makes true, without fixed sleeps and
 * without falling through silently: each helper retries at short, growing intervals (10 ms up to
 * 250 ms) and, when the time is up, fails with an {@link AssertionError} saying what was awaited
 * and carrying the last failure.
 *
 * <pre>
 * eventually(Duration.ofSeconds(30), () -> assertEquals(3, read().size()));
 * Snapshot s = eventually(Duration.ofSeconds(30), this::scrape, x -> x.count() >= 3);
 * </pre>
 */
public final class Eventually {

    /** An assertion that may throw anything; it passes when it returns. */
    @FunctionalInterface
    public interface Assertion {
        void check() throws Exception;
    }

    private Eventually() {}

    /** Retries {@code assertion} until it returns normally, at most {@code timeout}. */
    public static void eventually(Duration timeout, Assertion assertion) {
        Objects.requireNonNull(assertion);
        eventually(
                timeout,
                () -> {
                    assertion.check();
                    return Boolean.TRUE;
                },
                ok -> true);
    }

    /**
     * Retries until {@code condition} holds, at most {@code timeout}.
     *
     * @param what what is awaited, for the failure message
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        Objects.requireNonNull(condition);
        eventually(
                timeout,
                () -> {
                    if (!condition.getAsBoolean()) {
                        throw new AssertionError(what);
                    }
                });
    }

    /**
     * Calls {@code supplier} until its value satisfies {@code accept} and returns that value, at
     * most {@code timeout}; an exception from the supplier counts as not yet.
     */
    public static <T> T eventually(Duration timeout, Callable<T> supplier, Predicate<T> accept) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 10;
        Throwable last = null;
        T lastValue = null;
        boolean gotValue = false;
        while (true) {
            try {
                T value = supplier.call();
                if (accept.test(value)) {
                    return value;
                }
                lastValue = value;
                gotValue = true;
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            } catch (Exception | AssertionError e) {
                last = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                String why =
                        last != null
                                ? String.valueOf(last.getMessage())
                                : gotValue ? "last value " + lastValue : "no value";
                throw new AssertionError(
                        "not so within " + timeout.toMillis() + " ms: " + why, last);
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
            pause = Math.min(250, pause * 2);
        }
    }
}
