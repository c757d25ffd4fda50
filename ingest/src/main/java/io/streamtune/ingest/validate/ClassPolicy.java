package io.streamtune.ingest.validate;

/** What happens to a class name a model has not seen yet ({@code label.classes.policy}). */
public enum ClassPolicy {
    /** Register it, up to {@code label.classes.max} classes per model. */
    AUTO_REGISTER,
    /** Refuse it unless {@code model.<model>.classes} lists it. */
    KNOWN_ONLY
}
