package io.streamtune.inference.model;

import static io.streamtune.inference.model.ModelSwapperTest.published;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Topics;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.TestModels;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.vision.artifact.FileArtifactStore;
import io.streamtune.vision.model.RunnerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower turn by turn on Kafka's MockConsumer, with a real store, real ONNX files and a real
 * swapper: which announcement it serves, what it letters, where it falls back.
 */
class ModelFollowerTest {

    private static final String TOPIC = Topics.MODELS_PUBLISHED.name();
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    @TempDir Path dir;

    private final MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
    private final List<ModelSwapReported> reports = new CopyOnWriteArrayList<>();
    private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
    private final AtomicInteger removed = new AtomicInteger();
    private FileArtifactStore store;
    private ModelSlot slot;
    private ModelSwapper swapper;
    private long offset;

    @BeforeEach
    void setUp() {
        store = new FileArtifactStore(dir);
        slot = new ModelSlot();
        swapper =
                new ModelSwapper(
                        "inference-1",
                        store,
                        RunnerOptions.defaults(),
                        slot,
                        new InferenceMetrics(new SimpleMeterRegistry(), "cars"),
                        reports::add,
                        Clock.systemUTC());
        consumer.updatePartitions(
                TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
    }

    @AfterEach
    void tearDown() {
        slot.close();
    }

    private ModelFollower production() {
        var f =
                new ModelFollower(
                        consumer,
                        Topics.MODELS_PUBLISHED,
                        "cars",
                        swapper,
                        slot,
                        null,
                        letters::add);
        f.open();
        return f;
    }

    private ModelFollower candidate() {
        var f =
                new ModelFollower(
                        consumer,
                        Topics.MODELS_PUBLISHED,
                        "cars",
                        swapper,
                        slot,
                        removed::incrementAndGet,
                        letters::add);
        f.open();
        return f;
    }

    @Test
    void servesOnlyTheNewestAnnouncementOfAPollAndFollowsLaterOnes() throws Exception {
        var follower = production();
        announce(published(1, model(1)));
        announce(published(2, model(2)));
        follower.turn();

        assertThat(slot.servingVersion()).isEqualTo(2);
        assertThat(reports).as("v1 was superseded before it was tried").hasSize(1);

        announce(published(3, model(3)));
        follower.turn();
        assertThat(slot.servingVersion()).isEqualTo(3);

        follower.turn();
        assertThat(reports).as("nothing new, nothing tried").hasSize(2);
    }

    @Test
    void anotherModelsAnnouncementsAreIgnored() throws Exception {
        var follower = production();
        announce(published(1, model(1)));
        ModelPublished dogs = published(5, model(5));
        consumer.addRecord(
                new ConsumerRecord<>(
                        TOPIC,
                        0,
                        offset++,
                        "dogs".getBytes(StandardCharsets.UTF_8),
                        Topics.MODELS_PUBLISHED.valueSerde().serializer().serialize(TOPIC, dogs)));
        follower.turn();

        assertThat(slot.servingVersion()).isEqualTo(1);
        assertThat(letters).isEmpty();
    }

    @Test
    void anUnreadableAnnouncementIsDeadLetteredAndTheNextOneStillServed() throws Exception {
        var follower = production();
        consumer.addRecord(
                new ConsumerRecord<>(
                        TOPIC,
                        0,
                        offset++,
                        "cars".getBytes(StandardCharsets.UTF_8),
                        "{\"model\":".getBytes(StandardCharsets.UTF_8)));
        announce(published(1, model(1)));
        follower.turn();

        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).reason()).isEqualTo("unreadable_announcement");
        assertThat(letters.get(0).sourceOffset()).isZero();
        assertThat(slot.servingVersion()).isEqualTo(1);
    }

    @Test
    void aFreshInstanceFallsBackToTheLatestEarlierVersionWhenTheNewestIsCorrupt() throws Exception {
        ArtifactRef v1 = model(1);
        ArtifactRef v2 = model(2);
        byte[] tampered = Files.readAllBytes(store.pathOf("cars", 2));
        tampered[tampered.length - 10] ^= 0x5A;
        Files.write(store.pathOf("cars", 2), tampered);
        var follower = production();
        announce(published(1, v1));
        announce(published(2, v2));
        follower.turn();

        assertThat(slot.servingVersion()).as("v2 refused, v1 serves").isEqualTo(1);
        assertThat(reports)
                .extracting(ModelSwapReported::outcome)
                .containsExactly(
                        ModelSwapReported.Outcome.CHECKSUM_MISMATCH,
                        ModelSwapReported.Outcome.SWAPPED);

        follower.turn();
        assertThat(reports).as("a refused version is not retried without news").hasSize(2);
    }

    @Test
    void aCandidatesTombstoneEndsTheShadow() throws Exception {
        ArtifactRef v1 = model(1);
        var follower = candidate();
        announce(published(1, v1));
        follower.turn();
        assertThat(slot.servingVersion()).isEqualTo(1);

        consumer.addRecord(
                new ConsumerRecord<>(
                        TOPIC, 0, offset++, "cars".getBytes(StandardCharsets.UTF_8), null));
        follower.turn();
        assertThat(removed).hasValue(1);
    }

    @Test
    void aCandidateNeverFallsBackToAnEarlierVersion() throws Exception {
        ArtifactRef v1 = model(1);
        ArtifactRef bad = store.put("cars", 2, "not an onnx file".getBytes(StandardCharsets.UTF_8));
        var follower = candidate();
        announce(published(1, v1));
        announce(published(2, bad));
        follower.turn();

        assertThat(slot.servingVersion())
                .as("what a shadow serves is the candidate or nothing")
                .isZero();
        assertThat(reports).hasSize(1);
        assertThat(removed).hasValue(0);
    }

    private ArtifactRef model(int version) throws Exception {
        return store.put("cars", version, TestModels.detector("cars", version, ""));
    }

    private void announce(ModelPublished p) {
        consumer.addRecord(
                new ConsumerRecord<>(
                        TOPIC,
                        0,
                        offset++,
                        p.model().getBytes(StandardCharsets.UTF_8),
                        Topics.MODELS_PUBLISHED.valueSerde().serializer().serialize(TOPIC, p)));
    }
}
