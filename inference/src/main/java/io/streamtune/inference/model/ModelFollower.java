package io.streamtune.inference.model;

import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Topic;
import io.streamtune.runtime.PollLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
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

    private final Consumer<byte[], byte[]> consumer;
    private final Topic<String, ModelPublished> topic;
    private final String model;
    private final ModelSwapper swapper;
    private final ModelSlot slot;
    private final PollLoop loop;
    private final Deserializer<ModelPublished> values;
    private final Runnable onRemoved;
    private final java.util.function.Consumer<DeadLetter> deadLetters;
    private final List<ModelPublished> history = new ArrayList<>();
    private ModelPublished attempted;

    /**
     * A follower not started yet; it owns {@code consumer} from here on and closes it.
     *
     * @param consumer a consumer without group over byte arrays (the follower assigns itself every
     *     partition and reads from the beginning)
     * @param topic the models topic, prefixed
     * @param onRemoved may be null; runs when the model's record is deleted (a tombstone: a
     *     candidate's shadow phase ended). Without it the follower serves production and falls back
     *     to an earlier version when the latest cannot be loaded on a fresh instance.
     * @param deadLetters may be null; receives each announcement of the model that cannot be read,
     *     with the reason (the topic is read from its start, so a restart letters it again)
     */
    public ModelFollower(
            Consumer<byte[], byte[]> consumer,
            Topic<String, ModelPublished> topic,
            String model,
            ModelSwapper swapper,
            ModelSlot slot,
            Runnable onRemoved,
            java.util.function.Consumer<DeadLetter> deadLetters) {
        this.consumer = Objects.requireNonNull(consumer);
        this.topic = Objects.requireNonNull(topic);
        this.model = Objects.requireNonNull(model);
        this.swapper = Objects.requireNonNull(swapper);
        this.slot = Objects.requireNonNull(slot);
        this.onRemoved = onRemoved;
        this.deadLetters = deadLetters;
        this.values = topic.valueSerde().deserializer();
        this.loop =
                PollLoop.over(
                                "model-follower-" + model,
                                consumer,
                                Duration.ofSeconds(2),
                                this::open,
                                this::turn)
                        .daemon()
                        .onFailureSays(
                                "the serving version of "
                                        + model
                                        + " stays but new versions are"
                                        + " not picked up");
    }

    /** Starts following on a background thread. */
    public ModelFollower start() {
        loop.start();
        return this;
    }

    /** Assigns every partition of the topic and rewinds to the beginning. */
    void open() {
        List<TopicPartition> partitions = List.of();
        while (loop.running() && partitions.isEmpty()) {
            List<PartitionInfo> infos =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
            partitions =
                    infos == null
                            ? List.of()
                            : infos.stream()
                                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                                    .toList();
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        log.info("following {} on {}", model, topic.name());
    }

    /** One poll: the newest announcement of the model in it decides what to serve. */
    void turn() {
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
        // a published version replaces the configured file model whatever the numbers (both may
        // say v1)
        boolean servesFile = slot.peek().map(ServingModel::fromFile).orElse(false);
        if (latest != null
                && !latest.equals(attempted)
                && (latest.version() != slot.servingVersion() || servesFile)) {
            attempted = latest;
            var report = swapper.swapTo(latest);
            if (report.outcome() != ModelSwapReported.Outcome.SWAPPED
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

    /**
     * Nothing serves and the latest announcement could not be loaded (a new or restarted instance):
     * tries the earlier announced versions, newest first, skipping the refused one and versions a
     * rollback took out of production, and says which one it serves instead.
     */
    private void fallBack(ModelPublished refused) {
        Set<Integer> excluded = new HashSet<>();
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
            if (report.outcome() == ModelSwapReported.Outcome.SWAPPED) {
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
                && model.equals(new String(r.key(), StandardCharsets.UTF_8));
    }

    private ModelPublished parse(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || !model.equals(new String(r.key(), StandardCharsets.UTF_8))) {
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
                        new DeadLetter(
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

    /** Whether the follower thread runs and has not failed. */
    public boolean isAlive() {
        return loop.healthy();
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(10));
    }
}
