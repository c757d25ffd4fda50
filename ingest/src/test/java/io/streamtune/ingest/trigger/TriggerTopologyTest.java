package io.streamtune.ingest.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.TrainingRequested;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.ingest.IngestMetrics;
import io.streamtune.ingest.validate.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggerTopologyTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final TriggerPolicy POLICY =
            new TriggerPolicy(3, Duration.ofMinutes(10), Duration.ofSeconds(30));

    @TempDir Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final class Harness implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, byte[]> labelled;
        final TestInputTopic<String, TrainingRequested> requests;
        final TestOutputTopic<String, TrainingTriggered> triggers;

        Harness(Instant wallClock) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "trigger-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
            driver =
                    new TopologyTestDriver(
                            TriggerTopology.build(POLICY, "t.", new IngestMetrics(registry)),
                            props,
                            wallClock);
            labelled =
                    driver.createInputTopic(
                            "t.images.labelled",
                            Serdes.String().serializer(),
                            Serdes.ByteArray().serializer());
            requests =
                    driver.createInputTopic(
                            "t.training.requests",
                            Serdes.String().serializer(),
                            JsonSerde.of(TrainingRequested.class).serializer());
            triggers =
                    driver.createOutputTopic(
                            "t.training.triggers",
                            Serdes.String().deserializer(),
                            JsonSerde.of(TrainingTriggered.class).deserializer());
        }

        void sample(String model, int n, String className) {
            byte[] image = ("image-" + n).getBytes(StandardCharsets.UTF_8);
            String id = Digests.sha256Hex(image);
            var value =
                    new LabelledImageAccepted(
                            id,
                            model,
                            image,
                            "image/png",
                            4,
                            4,
                            new Label.ClassLabel(className),
                            "test",
                            START);
            labelled.pipeInput(
                    LabelledImageAccepted.key(model, id),
                    JsonSerde.of(LabelledImageAccepted.class).toBytes(value));
        }

        void delete(String model, int n) {
            labelled.pipeInput(
                    LabelledImageAccepted.key(
                            model,
                            Digests.sha256Hex(("image-" + n).getBytes(StandardCharsets.UTF_8))),
                    (byte[]) null);
        }

        /** What the changelog topics hold: the only state a real restart gets back. */
        Map<String, List<TestRecord<String, byte[]>>> changelogs() {
            Map<String, List<TestRecord<String, byte[]>>> out = new HashMap<>();
            for (String store :
                    List.of(TriggerTopology.SAMPLES_STORE, TriggerTopology.MODELS_STORE)) {
                out.put(
                        store,
                        driver.createOutputTopic(
                                        "trigger-test-" + store + "-changelog",
                                        Serdes.String().deserializer(),
                                        Serdes.ByteArray().deserializer())
                                .readRecordsToList());
            }
            return out;
        }

        /** Restores stores from changelog records, as Kafka Streams does on start-up. */
        void restore(Map<String, List<TestRecord<String, byte[]>>> changelogs) {
            changelogs.forEach(
                    (store, records) -> {
                        KeyValueStore<String, Object> typed = driver.getKeyValueStore(store);
                        for (var r : records) {
                            if (r.value() == null) {
                                typed.delete(r.key());
                            } else if (store.equals(TriggerTopology.MODELS_STORE)) {
                                typed.put(
                                        r.key(),
                                        JsonSerde.of(ModelStats.class).fromBytes(r.value()));
                            } else {
                                typed.put(
                                        r.key(),
                                        JsonSerde.of(SampleState.class).fromBytes(r.value()));
                            }
                        }
                    });
        }

        ModelStats stats(String model) {
            KeyValueStore<String, ModelStats> store =
                    driver.getKeyValueStore(TriggerTopology.MODELS_STORE);
            return store.get(model);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    @Test
    void shouldTriggerOnceWhenTheThresholdIsReached() {
        try (var h = new Harness(START)) {
            h.sample("pets", 1, "cat");
            h.sample("pets", 2, "dog");

            assertThat(h.triggers.isEmpty()).isTrue();

            h.sample("pets", 3, "cat");

            var trigger = h.triggers.readValue();
            assertThat(trigger.reason()).isEqualTo(TrainingTriggered.Reason.THRESHOLD);
            assertThat(trigger.newSamples()).isEqualTo(3);
            assertThat(trigger.totalSamples()).isEqualTo(3);
            assertThat(trigger.triggerId()).isEqualTo("pets-1");
            assertThat(h.triggers.isEmpty()).isTrue();
            assertThat(h.stats("pets").classCounts())
                    .containsEntry("cat", 2L)
                    .containsEntry("dog", 1L);
            assertThat(h.stats("pets").pendingSamples()).isZero();
        }
    }

    @Test
    void shouldIgnoreRepeatsAndCountRelabelsAsNewData() {
        try (var h = new Harness(START)) {
            h.sample("pets", 1, "cat");
            h.sample("pets", 1, "cat");
            h.sample("pets", 1, "cat");

            assertThat(h.triggers.isEmpty()).isTrue();
            assertThat(h.stats("pets").totalSamples()).isEqualTo(1);

            h.sample("pets", 1, "dog");

            assertThat(h.stats("pets").totalSamples()).isEqualTo(1);
            assertThat(h.stats("pets").pendingSamples()).isEqualTo(2);
            assertThat(h.stats("pets").classCounts()).containsOnlyKeys("dog");

            h.delete("pets", 1);

            assertThat(h.stats("pets").totalSamples()).isZero();
            assertThat(h.stats("pets").classCounts()).isEmpty();
        }
    }

    @Test
    void shouldTriggerOnScheduleWhenTheOldestPendingSampleIsOldEnough() {
        try (var h = new Harness(START)) {
            h.sample("pets", 1, "cat");

            h.driver.advanceWallClockTime(Duration.ofMinutes(9));
            assertThat(h.triggers.isEmpty()).isTrue();

            h.driver.advanceWallClockTime(Duration.ofMinutes(1));
            var trigger = h.triggers.readValue();
            assertThat(trigger.reason()).isEqualTo(TrainingTriggered.Reason.SCHEDULE);
            assertThat(trigger.newSamples()).isEqualTo(1);
            assertThat(trigger.triggeredAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));

            h.driver.advanceWallClockTime(Duration.ofMinutes(30));
            assertThat(h.triggers.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldNotTriggerOnScheduleWithoutNewSamples() {
        try (var h = new Harness(START)) {
            h.driver.advanceWallClockTime(Duration.ofHours(2));

            assertThat(h.triggers.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldTriggerOnManualRequestOnlyWhenThereIsNewData() {
        try (var h = new Harness(START)) {
            h.sample("pets", 1, "cat");

            h.requests.pipeInput("pets", new TrainingRequested("pets", "alice", START));
            var manual = h.triggers.readValue();
            h.requests.pipeInput("pets", new TrainingRequested("pets", "alice", START));

            assertThat(manual.reason()).isEqualTo(TrainingTriggered.Reason.MANUAL);
            assertThat(manual.newSamples()).isEqualTo(1);
            assertThat(h.triggers.isEmpty()).isTrue();
            assertThat(registry.get(IngestMetrics.TRIGGERS_SUPPRESSED).counter().count())
                    .isEqualTo(1.0);
            assertThat(
                            registry.get(IngestMetrics.TRIGGERS)
                                    .tag("reason", "manual")
                                    .counter()
                                    .count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void shouldIgnoreRequestsWhoseKeyIsNotTheirModel() {
        try (var h = new Harness(START)) {
            h.sample("pets", 1, "cat");

            h.requests.pipeInput("other", new TrainingRequested("pets", "mallory", START));

            assertThat(h.triggers.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldKeepCountsAcrossARestartAndNotTriggerTheSameDataTwice() {
        Map<String, List<TestRecord<String, byte[]>>> changelogs;
        try (var h = new Harness(START)) {
            h.sample("pets", 1, "cat");
            h.sample("pets", 2, "cat");
            h.sample("pets", 3, "cat");
            assertThat(h.triggers.readValuesToList()).hasSize(1);
            h.sample("pets", 4, "dog");
            changelogs = h.changelogs();
        }

        try (var h = new Harness(START.plus(Duration.ofMinutes(1)))) {
            h.restore(changelogs);

            // The labelled topic is replayed after a restart (at-least-once input): nothing is new.
            h.sample("pets", 1, "cat");
            h.sample("pets", 2, "cat");
            h.sample("pets", 3, "cat");
            h.sample("pets", 4, "dog");

            assertThat(h.triggers.isEmpty()).isTrue();
            assertThat(h.stats("pets").totalSamples()).isEqualTo(4);
            assertThat(h.stats("pets").pendingSamples()).isEqualTo(1);

            h.sample("pets", 5, "dog");
            h.sample("pets", 6, "dog");

            var second = h.triggers.readValue();
            assertThat(second.triggerId()).isEqualTo("pets-2");
            assertThat(second.newSamples()).isEqualTo(3);
            assertThat(second.totalSamples()).isEqualTo(6);
        }
    }

    @Test
    void shouldKeepModelsApart() {
        try (var h = new Harness(START)) {
            for (int i = 0; i < 3; i++) {
                h.sample("a", i, "x");
                h.sample("b", 100 + i, "y");
            }

            List<TrainingTriggered> triggers = h.triggers.readValuesToList();

            assertThat(triggers)
                    .extracting(TrainingTriggered::model)
                    .containsExactlyInAnyOrder("a", "b");
        }
    }
}
