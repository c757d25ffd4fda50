package io.streamtune.inference.model;

import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted models topic from its beginning on a background thread and hands the latest
 * version of one model to the {@link ModelSwapper} whenever it differs from the serving one (a
 * higher version, or a lower one republished as a rollback). A version that failed is not tried
 * again until a new record for the model arrives. When nothing serves yet and the latest cannot be
 * loaded (a new or restarted instance), it falls back to the latest earlier version that loads.
 */
public final class ModelFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelFollower.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, ModelPublished> topic;
    private final String model;
    private final ModelSwapper swapper;
    private final ModelSlot slot;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Deserializer<ModelPublished> values;
    private final Runnable onRemoved;
    private final java.util.function.Consumer<io.streamtune.contracts.DeadLetter> deadLetters;
    private final java.util.List<ModelPublished> history = new java.util.ArrayList<>();

    private ModelFollower(
            Map<String, Object> consumerProperties,
            Topic<String, ModelPublished> topic,
            String model,
            ModelSwapper swapper,
            ModelSlot slot,
            Runnable onRemoved,
            java.util.function.Consumer<io.streamtune.contracts.DeadLetter> deadLetters) {
        this.consumer = new KafkaConsumer<>(consumerProperties);
        this.onRemoved = onRemoved;
        this.deadLetters = deadLetters;
        this.topic = topic;
        this.model = model;
        this.swapper = swapper;
        this.slot = slot;
        this.values = topic.valueSerde().deserializer();
        this.thread = new Thread(this::run, "model-follower-" + model);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following.
     *
     * @param consumerProperties properties of a consumer without group (it assigns itself every
     *     partition)
     * @param topic the models topic, prefixed
     */
    public static ModelFollower start(
            Map<String, Object> consumerProperties,
            Topic<String, ModelPublished> topic,
            String model,
            ModelSwapper swapper,
            ModelSlot slot) {
        return start(consumerProperties, topic, model, swapper, slot, null, null);
    }

    /**
     * Starts following; {@code onRemoved} (may be null) runs when the model's record is deleted (a
     * tombstone: a candidate's shadow phase ended); {@code deadLetters} (may be null) receives each
     * announcement of the model that cannot be read, with the reason (this instance reads the topic
     * from its start, so a restart letters it again).
     */
    public static ModelFollower start(
            Map<String, Object> consumerProperties,
            Topic<String, ModelPublished> topic,
            String model,
            ModelSwapper swapper,
            ModelSlot slot,
            Runnable onRemoved,
            java.util.function.Consumer<io.streamtune.contracts.DeadLetter> deadLetters) {
        ModelFollower follower =
                new ModelFollower(
                        consumerProperties,
                        topic,
                        Objects.requireNonNull(model),
                        swapper,
                        slot,
                        onRemoved,
                        deadLetters);
        follower.thread.start();
        return follower;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running.get() && partitions.isEmpty()) {
                partitions =
                        consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition()))
                                .toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            log.info("following {} on {}", model, topic.name());
            ModelPublished attempted = null;
            while (running.get()) {
                ModelPublished latest = null;
                boolean removed = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (isTombstone(r)) {
                        latest = null;
                        removed = true;
                        continue;
                    }
                    ModelPublished p = parse(r);
                    if (p != null) {
                        latest = p;
                        removed = false;
                        history.add(p);
                    }
                }
                if (removed && onRemoved != null && slot.servingVersion() != 0) {
                    attempted = null;
                    onRemoved.run();
                }
                // a published version replaces the configured file model whatever the numbers
                // (both may say v1)
                boolean servesFile = slot.peek().map(ServingModel::fromFile).orElse(false);
                if (latest != null
                        && !latest.equals(attempted)
                        && (latest.version() != slot.servingVersion() || servesFile)) {
                    attempted = latest;
                    var report = swapper.swapTo(latest);
                    if (report.outcome()
                                    != io.streamtune.contracts.ModelSwapReported.Outcome.SWAPPED
                            && slot.servingVersion() == 0
                            && onRemoved == null) {
                        // production only: a candidate in shadow never falls back to older ones
                        fallBack(latest);
                    }
                }
                if (history.size() > 1000) {
                    history.subList(0, history.size() - 1000).clear();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("model follower woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error(
                    "model follower for {} stopped: {}; the serving version stays but new versions"
                            + " are not picked up",
                    model,
                    e.toString(),
                    e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Nothing serves and the latest announcement could not be loaded (a new or restarted instance):
     * tries the earlier announced versions, newest first, skipping the refused one and versions a
     * rollback took out of production, and says which one it serves instead.
     */
    private void fallBack(ModelPublished refused) {
        java.util.Set<Integer> excluded = new java.util.HashSet<>();
        excluded.add(refused.version());
        for (ModelPublished p : history) {
            if (p.isRollback() && p.promotion().fromVersion() != null) {
                excluded.add(p.promotion().fromVersion());
            }
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            ModelPublished p = history.get(i);
            if (!excluded.add(p.version())) {
                continue;
            }
            log.warn(
                    "{} v{} cannot be served; falling back to v{}, the latest earlier version",
                    model,
                    refused.version(),
                    p.version());
            var report = swapper.swapTo(p);
            if (report.outcome() == io.streamtune.contracts.ModelSwapReported.Outcome.SWAPPED) {
                return;
            }
        }
        log.error(
                "{} v{} cannot be served and no earlier version loads; serving nothing",
                model,
                refused.version());
    }

    private boolean isTombstone(ConsumerRecord<byte[], byte[]> r) {
        return r.value() == null
                && r.key() != null
                && model.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private ModelPublished parse(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null
                || !model.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))) {
            return null;
        }
        if (r.value() == null) {
            return null;
        }
        try {
            return values.deserialize(r.topic(), r.value());
        } catch (SerializationException e) {
            log.warn(
                    "skipping unreadable model record {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            if (deadLetters != null) {
                deadLetters.accept(
                        new io.streamtune.contracts.DeadLetter(
                                "unreadable_announcement",
                                String.valueOf(e.getMessage()),
                                "inference",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                r.key(),
                                r.value(),
                                java.time.Instant.now()));
            }
            return null;
        }
    }

    /** Whether the follower thread is still running. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
