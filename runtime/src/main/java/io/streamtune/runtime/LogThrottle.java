package io.streamtune.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Collapses a flood of alike log lines (a topic full of bad records): per key, at most {@code
 * burst} lines per window are let through; the others are counted, and the next line let through
 * says how many were left out. Counters and dead letters keep every occurrence; only the log is
 * thinned. Thread-safe.
 */
public final class LogThrottle {

    private final long windowNanos;
    private final int burst;
    private final LongSupplier nanos;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Most distinct keys tracked; beyond it, lines of new keys always pass (keys are reasons). */
    private static final int MAX_KEYS = 1024;

    private static final class Window {
        long start;
        int logged;
        long suppressed;
    }

    public LogThrottle(Duration window, int burst) {
        this(window, burst, System::nanoTime);
    }

    LogThrottle(Duration window, int burst, LongSupplier nanos) {
        if (burst < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("burst >= 1 and a positive window needed");
        }
        this.windowNanos = window.toNanos();
        this.burst = burst;
        this.nanos = nanos;
    }

    /**
     * Whether to log this occurrence of {@code key}: {@code -1} when it is to be left out,
     * otherwise the number of occurrences of the key left out since the last line logged for it.
     */
    public long admit(String key) {
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
            return 0;
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            long now = nanos.getAsLong();
            if (w.logged == 0 || now - w.start >= windowNanos) {
                w.start = now;
                w.logged = 0;
            }
            if (w.logged < burst) {
                w.logged++;
                long left = w.suppressed;
                w.suppressed = 0;
                return left;
            }
            w.suppressed++;
            return -1;
        }
    }

    /** " (N more left out)" after a line that follows left-out ones, else "". */
    public static String note(long leftOut) {
        return leftOut > 0 ? " (" + leftOut + " more like it not logged)" : "";
    }
}
