package io.streamtune.inference.model;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version that serves now. Batches {@link #acquire()} it at their start and release it at their
 * end; {@link #install} switches versions atomically between batches and retires the old one, whose
 * session closes after the batch still running on it.
 */
public final class ModelSlot implements AutoCloseable {

    private final AtomicReference<ServingModel> current = new AtomicReference<>();

    /** The serving version with a reference taken for the caller, or null when none is loaded. */
    public ServingModel acquire() {
        while (true) {
            ServingModel m = current.get();
            if (m == null) {
                return null;
            }
            if (m.acquire()) {
                return m;
            }
            // Retired and closed between get() and acquire(): the slot already holds its successor.
            if (current.get() == m) {
                return null;
            }
        }
    }

    /**
     * Serves {@code next} from now on; the previous version closes once its in-flight batches end.
     */
    public void install(ServingModel next) {
        ServingModel previous = current.getAndSet(next);
        if (previous != null) {
            previous.release();
        }
    }

    /** The serving version, without taking a reference (for health and reports). */
    public Optional<ServingModel> peek() {
        return Optional.ofNullable(current.get());
    }

    /** The serving version number, 0 when none. */
    public int servingVersion() {
        ServingModel m = current.get();
        return m == null ? 0 : m.version();
    }

    @Override
    public void close() {
        install(null);
    }
}
