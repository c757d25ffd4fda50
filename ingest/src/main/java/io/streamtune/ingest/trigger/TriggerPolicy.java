package io.streamtune.ingest.trigger;

import java.time.Duration;
import java.util.Objects;

/**
 * When to emit a training trigger for a model.
 *
 * @param threshold {@code trigger.threshold}: emit as soon as this many new samples arrived since
 *     the last trigger
 * @param interval {@code trigger.interval}: emit when the oldest untrained sample is this old (and
 *     >= 1 is new)
 * @param checkEvery {@code trigger.check.interval}: how often the wall-clock schedule is checked
 * @param drift how the live stream's drift is measured and when it triggers ({@link Drift})
 */
public record TriggerPolicy(
        long threshold, Duration interval, Duration checkEvery, Drift.Settings drift) {

    /** A policy with the default drift settings. */
    public TriggerPolicy(long threshold, Duration interval, Duration checkEvery) {
        this(threshold, interval, checkEvery, Drift.Settings.DEFAULTS);
    }

    public TriggerPolicy {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be >= 1, was " + threshold);
        }
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(checkEvery, "checkEvery");
        Objects.requireNonNull(drift, "drift");
        if (interval.isNegative()
                || interval.isZero()
                || checkEvery.isNegative()
                || checkEvery.isZero()) {
            throw new IllegalArgumentException("interval and checkEvery must be positive");
        }
    }
}
