package io.streamtune.inference.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Groups arriving items into batches of at most {@code maxSize}: a batch is due when it is full or
 * when its oldest item has waited {@code maxWaitNanos}. Items leave in arrival order. Time is
 * passed in, so the logic is tested without clocks. Not thread-safe: owned by the pipeline thread.
 */
public final class MicroBatcher<T> {

    private record Entry<T>(T item, long arrivedNanos) {}

    private final int maxSize;
    private final long maxWaitNanos;
    private final Deque<Entry<T>> pending = new ArrayDeque<>();

    public MicroBatcher(int maxSize, long maxWaitNanos) {
        if (maxSize < 1 || maxWaitNanos < 0) {
            throw new IllegalArgumentException("need maxSize >= 1 and maxWaitNanos >= 0");
        }
        this.maxSize = maxSize;
        this.maxWaitNanos = maxWaitNanos;
    }

    public void add(T item, long nowNanos) {
        pending.addLast(new Entry<>(item, nowNanos));
    }

    public int size() {
        return pending.size();
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Whether a batch should run now. */
    public boolean due(long nowNanos) {
        return pending.size() >= maxSize
                || (!pending.isEmpty()
                        && nowNanos - pending.peekFirst().arrivedNanos() >= maxWaitNanos);
    }

    /**
     * How long until the oldest item is due; 0 when a batch is due, {@code Long.MAX_VALUE} when
     * empty.
     */
    public long nanosUntilDue(long nowNanos) {
        if (pending.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (pending.size() >= maxSize) {
            return 0;
        }
        return Math.max(0, pending.peekFirst().arrivedNanos() + maxWaitNanos - nowNanos);
    }

    /** How long the oldest item has waited, 0 when empty. */
    public long oldestAgeNanos(long nowNanos) {
        return pending.isEmpty() ? 0 : nowNanos - pending.peekFirst().arrivedNanos();
    }

    /** Removes and returns the next batch: up to {@code maxSize} oldest items. */
    public List<T> take() {
        List<T> batch = new ArrayList<>(Math.min(maxSize, pending.size()));
        while (batch.size() < maxSize && !pending.isEmpty()) {
            batch.add(pending.pollFirst().item());
        }
        return batch;
    }

    /** Removes and returns every pending item. */
    public List<T> drain() {
        List<T> all = new ArrayList<>(pending.size());
        while (!pending.isEmpty()) {
            all.add(pending.pollFirst().item());
        }
        return all;
    }

    /** Visits every pending item, oldest first, without removing it. */
    public void forEach(java.util.function.Consumer<T> action) {
        for (Entry<T> e : pending) {
            action.accept(e.item());
        }
    }

    /**
     * Drops pending items that match, e.g. those of partitions this instance no longer owns;
     * returns how many.
     */
    public int removeIf(Predicate<T> filter) {
        int before = pending.size();
        pending.removeIf(e -> filter.test(e.item()));
        return before - pending.size();
    }
}
