package io.streamtune.trainer.publish;

import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Promotion;
import io.streamtune.vision.artifact.ArtifactStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Takes a model back to an earlier version: checks that the version's manifest and artifact are
 * still there (SHA-256 verified), re-announces it on the models topic with a rollback {@link
 * Promotion}, so every inference instance converges to it and the trainer uses it as production
 * (the base and baseline of the next run), and records the event in both versions' manifests.
 */
public final class Rollback {

    private final ModelRegistry registry;
    private final ArtifactStore store;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Clock clock;
    private final java.util.function.UnaryOperator<ModelPublished> sign;
    private final Duration sendTimeout;

    /** How long Kafka has, by default, to acknowledge a rollback's announcement. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    /**
     * {@code topic}: the models topic, prefixed; {@code sign} signs every announcement before it is
     * written (identity: unsigned); {@code sendTimeout}: how long Kafka has to acknowledge it
     * ({@link #SEND_TIMEOUT} in the service).
     */
    public Rollback(
            ModelRegistry registry,
            ArtifactStore store,
            Producer<byte[], byte[]> producer,
            String topic,
            Clock clock,
            java.util.function.UnaryOperator<ModelPublished> sign,
            Duration sendTimeout) {
        this.sign = sign;
        this.sendTimeout = sendTimeout;
        this.registry = registry;
        this.store = store;
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    /** {@code p} signed as this rollback signs its announcements. */
    public ModelPublished sign(ModelPublished p) {
        return sign.apply(p);
    }

    /** A rollback that cannot be done, with the reason in one line. */
    public static final class RollbackException extends Exception {
        private final boolean retriable;

        /** A rollback that cannot be done as things stand (no version to go back to...). */
        public RollbackException(String message) {
            this(message, false);
        }

        /**
         * {@code retriable}: nothing was changed and the same rollback may succeed later (Kafka did
         * not take the announcement).
         */
        public RollbackException(String message, boolean retriable) {
            super(message);
            this.retriable = retriable;
        }

        /** Whether nothing was changed and trying again later may succeed. */
        public boolean retriable() {
            return retriable;
        }
    }

    /**
     * Rolls {@code current} (production) back to version {@code to}, or when null to the newest
     * earlier version that was not itself rolled back and whose artifact is still stored.
     *
     * @return the announcement sent
     */
    public ModelPublished rollback(
            ModelPublished current, Integer to, Promotion.By by, String reason)
            throws RollbackException {
        if (by == Promotion.By.GATE) {
            throw new IllegalArgumentException("a rollback is by an operator or automatic");
        }
        String model = current.model();
        ModelRegistry.Manifest target;
        if (to != null) {
            if (to == current.version()) {
                throw new RollbackException(
                        model + " v" + to + " is already production; nothing to roll back");
            }
            target =
                    registry.manifest(model, to)
                            .orElseThrow(
                                    () ->
                                            new RollbackException(
                                                    "no manifest of "
                                                            + model
                                                            + " v"
                                                            + to
                                                            + " here (deleted under"
                                                            + " trainer.retain.versions, or"
                                                            + " trained on another machine)"));
            verify(target);
        } else {
            target = previous(model, current.version());
        }
        ModelPublished announced =
                target.published()
                        .withPromotion(
                                new Promotion(
                                        by,
                                        truncate(
                                                "rolled back from v"
                                                        + current.version()
                                                        + ": "
                                                        + reason),
                                        current.version(),
                                        clock.instant()));
        try {
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    model.getBytes(StandardCharsets.UTF_8),
                                    io.streamtune.contracts.Topics.MODELS_PUBLISHED.bytes(
                                            sign.apply(announced))))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RollbackException(
                    "interrupted while announcing the rollback on " + topic, true);
        } catch (TimeoutException e) {
            throw new RollbackException(
                    topic
                            + " did not acknowledge the rollback announcement within "
                            + sendTimeout.toMillis() / 1000.0
                            + "s",
                    true);
        } catch (ExecutionException e) {
            throw new RollbackException(
                    "could not announce the rollback on " + topic + ": " + e.getCause(), true);
        }
        String who = by == Promotion.By.OPERATOR_ROLLBACK ? "operator" : "automatic";
        registry.manifest(model, current.version())
                .ifPresent(
                        m ->
                                registry.update(
                                        m.with(
                                                new ModelRegistry.Event(
                                                        ModelRegistry.Event.Kind.ROLLED_BACK,
                                                        who,
                                                        truncate(reason),
                                                        clock.instant()))));
        registry.update(
                target.with(
                        new ModelRegistry.Event(
                                ModelRegistry.Event.Kind.RESTORED,
                                who,
                                truncate("replaces v" + current.version() + ": " + reason),
                                clock.instant())));
        return announced;
    }

    private ModelRegistry.Manifest previous(String model, int current) throws RollbackException {
        List<Integer> versions = registry.versions(model);
        String skipped = "";
        for (int i = versions.size() - 1; i >= 0; i--) {
            int v = versions.get(i);
            if (v >= current) {
                continue;
            }
            Optional<ModelRegistry.Manifest> m = registry.manifest(model, v);
            if (m.isEmpty() || m.get().rolledBack()) {
                skipped += " v" + v + " (rolled back)";
                continue;
            }
            try {
                verify(m.get());
                return m.get();
            } catch (RollbackException e) {
                skipped += " v" + v + " (" + e.getMessage() + ")";
            }
        }
        throw new RollbackException(
                "no earlier version of "
                        + model
                        + " to roll back to from v"
                        + current
                        + (skipped.isEmpty() ? "" : ";" + skipped));
    }

    private void verify(ModelRegistry.Manifest m) throws RollbackException {
        try {
            store.fetch(m.published().artifact());
        } catch (Exception e) {
            throw new RollbackException(
                    "artifact of v" + m.published().version() + " unavailable: " + e.getMessage());
        }
    }

    private static String truncate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
