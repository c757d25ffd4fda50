package io.streamtune.ingest.validate;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class names each model accepts, by {@link ClassPolicy}. Auto-registered names live in this
 * process only: the policy bounds what one instance lets in, the dataset's real class list is what
 * the labelled topic holds. Thread-safe.
 */
public final class ClassRegistry {

    private final ClassPolicy policy;
    private final int maxClasses;
    private final Map<String, Set<String>> classes = new ConcurrentHashMap<>();

    /**
     * @param known classes configured per model; with {@link ClassPolicy#KNOWN_ONLY} the only ones
     *     accepted
     */
    public ClassRegistry(ClassPolicy policy, int maxClasses, Map<String, List<String>> known) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.maxClasses = maxClasses;
        known.forEach(
                (model, names) -> {
                    Set<String> set = ConcurrentHashMap.newKeySet();
                    set.addAll(names);
                    classes.put(model, set);
                });
    }

    /** Accepts the class for the model or says why not. */
    public void check(String model, String className) throws SampleRejectedException {
        Set<String> known = classes.computeIfAbsent(model, m -> ConcurrentHashMap.newKeySet());
        if (known.contains(className)) {
            return;
        }
        if (policy == ClassPolicy.KNOWN_ONLY) {
            throw new SampleRejectedException(
                    RejectReason.UNKNOWN_CLASS,
                    "class '"
                            + className
                            + "' is not configured for model "
                            + model
                            + " (model."
                            + model
                            + ".classes); known: "
                            + known.stream().sorted().limit(20).toList());
        }
        synchronized (known) {
            if (!known.contains(className) && known.size() >= maxClasses) {
                throw new SampleRejectedException(
                        RejectReason.TOO_MANY_CLASSES,
                        "model "
                                + model
                                + " already has "
                                + known.size()
                                + " classes (label.classes.max); refusing '"
                                + className
                                + "'");
            }
            known.add(className);
        }
    }
}
