package io.streamtune.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageSerdeTest {

    private static final Instant T = Instant.parse("2026-11-29T10:15:30.123Z");
    private static final String SHA = "a".repeat(64);
    private static final FrameRef FRAME = new FrameRef("f-1", "cam-1", T, 640, 480, "shapes", 3);

    static Stream<Object> everyMessage() {
        return Stream.of(
                new LabelledImageSubmitted(
                        "shapes", new byte[] {1, 2, 3}, new Label.ClassLabel("cat"), "http"),
                new LabelledImageSubmitted(
                        "shapes",
                        new byte[] {1},
                        new Label.BoxesLabel(
                                List.of(new Label.BoxedObject("car", new Box(1, 2, 3, 4)))),
                        null),
                new LabelledImageSubmitted(
                        "shapes",
                        new byte[] {1},
                        new Label.MaskLabel(new byte[] {9, 9}, List.of("background", "road")),
                        "coco.json"),
                new LabelledImageAccepted(
                        SHA,
                        "shapes",
                        new byte[] {4, 5},
                        "image/png",
                        10,
                        20,
                        new Label.ClassLabel("dog"),
                        null,
                        T),
                new TrainingRequested("shapes", "alice", T),
                new TrainingTriggered(
                        "t-1", "shapes", TrainingTriggered.Reason.THRESHOLD, 5, 50, T),
                new TrainingProgress(
                        "r-1",
                        "shapes",
                        TrainingProgress.Phase.FINE_TUNING,
                        2,
                        10,
                        0.5,
                        Double.NaN,
                        30,
                        null,
                        T),
                new ModelPublished(
                        "shapes",
                        2,
                        1,
                        Task.DETECTION,
                        List.of("a", "b"),
                        "map50",
                        0.8,
                        Map.of("map50", 0.8, "map50_95", 0.5),
                        new ArtifactRef("kafka:models.artifacts/shapes/2", SHA, 1234, 2),
                        Map.of(0, 10L, 1, 12L),
                        T),
                new ModelRejected("shapes", "r-2", "not better", "accuracy", 0.7, 0.9, 0.005, T),
                new ModelPublished(
                        "shapes",
                        3,
                        2,
                        Task.CLASSIFICATION,
                        List.of("a", "b"),
                        "accuracy",
                        0.9,
                        Map.of("accuracy", 0.9),
                        new ArtifactRef("kafka:models.artifacts/shapes/3", SHA, 1234, 2),
                        Map.of(0, 10L),
                        T,
                        new GateEvidence(
                                "accuracy", 0.9, 0.8, 0.1, 0.02, 0.18, 0.95, 60, 0.01, "paired"),
                        new Lineage("zoo:centernet", SHA, 100, 20, 30, SHA),
                        new Promotion(
                                Promotion.By.SHADOW,
                                "after shadow",
                                4,
                                T,
                                new ShadowEvidence(200, 190, 0.93, 0.0, 0.0, 0.81, 0.78, 2))),
                new LiveReport(
                        "inf-1",
                        "shapes",
                        3,
                        LiveReport.Role.SHADOW,
                        2,
                        200,
                        1,
                        160.5,
                        199,
                        199,
                        185.2,
                        0,
                        150.1,
                        3,
                        T,
                        T),
                new ModelRejected(
                        "shapes",
                        "r-3",
                        "not significant",
                        "accuracy",
                        0.91,
                        0.9,
                        0.0,
                        T,
                        ModelRejected.Verdict.NOT_SIGNIFICANT,
                        new GateEvidence(
                                "accuracy",
                                0.91,
                                Double.NaN,
                                Double.NaN,
                                Double.NaN,
                                Double.NaN,
                                0.95,
                                3,
                                Double.NaN,
                                "none")),
                new ModelSwapReported(
                        "inf-1",
                        "shapes",
                        3,
                        ModelSwapReported.Outcome.CHECKSUM_MISMATCH,
                        "bad sha",
                        2,
                        T),
                new DetectionsEmitted(
                        FRAME,
                        List.of(
                                new DetectionsEmitted.Detection(
                                        "car", 1, 0.9, new Box(10, 20, 30, 40)),
                                new DetectionsEmitted.Detection(
                                        "bus",
                                        2,
                                        0.8,
                                        new Box(0, 0, 2, 2),
                                        new DetectionsEmitted.Mask(List.of(480, 640), "a02k0"))),
                        T),
                new SegmentationsEmitted(
                        FRAME.equals(FRAME) ? new FrameRef("f-2", "", T, 2, 2, "seg", 1) : FRAME,
                        new SegmentationsEmitted.RleMask(2, 2, List.of(0, 1), List.of(3, 1)),
                        List.of(new SegmentationsEmitted.ClassArea(1, "road", 1)),
                        T),
                new ClassificationsEmitted(
                        FRAME, List.of(new ClassificationsEmitted.ClassScore("cat", 0, 0.75)), T),
                new ClassificationsEmitted(
                        new FrameRef("f-3", "cam-1", T, 64, 48, "shapes", 3, List.of(0.5f, -2f)),
                        List.of(new ClassificationsEmitted.ClassScore("cat", 0, 0.75)),
                        T),
                new DriftDetected(
                        "shapes", 3, T, T, 300, 0.01, 0.02, 0.1, 0.1, false, 0, null, null, 1.0),
                new DriftDetected(
                        "shapes", 3, T, T, 300, 0.01, 0.02, 0.1, 0.1, true, 2, 0.5, 0.2, 1.7),
                new ModelPublished(
                        "shapes",
                        4,
                        3,
                        Task.CLASSIFICATION,
                        List.of("a", "b"),
                        "accuracy",
                        0.9,
                        Map.of("accuracy", 0.9),
                        new ArtifactRef("kafka:models.artifacts/shapes/4", SHA, 1234, 2),
                        Map.of(0, 10L),
                        T,
                        null,
                        new Lineage("zoo:centernet", SHA, 100, 20, 30, SHA, driftReference()),
                        null));
    }

    /** A reference of 20 gate images with two-dimensional embeddings. */
    private static DriftReference driftReference() {
        List<DriftReference.Observation> obs = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            obs.add(
                    new DriftReference.Observation(
                            i % 3 == 0 ? "a" : "b", 0.05 * i, List.of((float) i, (float) -i)));
        }
        return DriftReference.of(obs);
    }

    @Test
    void shouldBinEmbeddingsIntoEqualSharesOfTheReference() {
        DriftReference.Embedding e = driftReference().embedding();

        assertThat(e.dimensions()).isEqualTo(2);
        assertThat(e.shares().get(0)).allMatch(v -> v == 0.1);
        assertThat(e.bin(0, -100)).isZero();
        assertThat(e.bin(0, 100)).isEqualTo(DriftReference.BINS - 1);
        assertThat(e.bin(0, 1.4)).isZero();
        assertThat(e.bin(0, 1.6)).isEqualTo(1);
        assertThat(e.bin(1, 0)).isEqualTo(DriftReference.BINS - 1);
        assertThat(e.bin(0, Double.NaN)).isZero();
        // too few images, or images without embeddings: no embedding distribution
        assertThat(
                        DriftReference.of(
                                        List.of(
                                                new DriftReference.Observation(
                                                        "a", 0.5, List.of(1f))))
                                .embedding())
                .isNull();
        assertThat(DriftReference.of(List.of(new DriftReference.Observation("a", 0.5))).embedding())
                .isNull();
        assertThatThrownBy(
                        () ->
                                new FrameRef(
                                        "f",
                                        "c",
                                        T,
                                        1,
                                        1,
                                        "m",
                                        1,
                                        java.util.Collections.nCopies(65, 0f)))
                .hasMessageContaining("1 to 64");
        List<Double> edges = java.util.Collections.nCopies(DriftReference.BINS - 1, 0.0);
        List<Double> shares = java.util.Collections.nCopies(DriftReference.BINS, 0.1);
        List<Double> negative = new java.util.ArrayList<>(shares);
        negative.set(3, -0.5);
        List<Double> descending = new java.util.ArrayList<>(edges);
        descending.set(0, 1.0);
        assertThat(new DriftReference.Embedding(List.of(edges), List.of(shares)).dimensions())
                .isEqualTo(1);
        assertThatThrownBy(() -> new DriftReference.Embedding(List.of(edges), List.of(negative)))
                .hasMessageContaining("shares must be in [0, 1]");
        assertThatThrownBy(() -> new DriftReference.Embedding(List.of(descending), List.of(shares)))
                .hasMessageContaining("non-decreasing");
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldRoundTripEveryMessageThroughJson(Object message) {
        JsonSerde serde = JsonSerde.of(message.getClass());

        byte[] bytes = serde.serializer().serialize("t", message);
        Object back = serde.deserializer().deserialize("t", bytes);

        assertThat(back).isEqualTo(message);
    }

    @Test
    void shouldWriteLabelsWithATypeFieldAndImagesAsBase64() {
        var message =
                new LabelledImageSubmitted(
                        "shapes",
                        "hi".getBytes(StandardCharsets.UTF_8),
                        new Label.ClassLabel("cat"),
                        null);

        String json =
                new String(
                        JsonSerde.of(LabelledImageSubmitted.class).toBytes(message),
                        StandardCharsets.UTF_8);

        assertThat(json)
                .contains("\"image\":\"aGk=\"")
                .contains("\"type\":\"class\"")
                .contains("\"className\":\"cat\"");
    }

    @Test
    void shouldReadAndWriteTheStyleAndContentLabelsOfAStylizationModel() {
        var labels = JsonSerde.of(Label.class);
        Label style = labels.fromBytes("{\"type\":\"style\"}".getBytes(StandardCharsets.UTF_8));
        Label content = labels.fromBytes("{\"type\":\"content\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(style).isInstanceOf(Label.StyleLabel.class);
        assertThat(content).isInstanceOf(Label.ContentLabel.class);
        assertThat(style.task()).isEqualTo(Task.STYLIZATION);
        assertThat(content.classNames()).isEmpty();
        assertThat(new String(labels.toBytes(style), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"style\"}");
        assertThat(Task.parse("Stylization")).isEqualTo(Task.STYLIZATION);
    }

    @Test
    void shouldParseAHandWrittenIntakeRecord() {
        String json =
                """
                {"model":"shapes","image":"aGk=","source":"kcat",
                 "label":{"type":"boxes","objects":[{"className":"car","box":{"x":1,"y":2,"width":3,"height":4}}]},
                 "someFutureField":42}""";

        var message =
                JsonSerde.of(LabelledImageSubmitted.class)
                        .fromBytes(json.getBytes(StandardCharsets.UTF_8));

        assertThat(message.label())
                .isEqualTo(
                        new Label.BoxesLabel(
                                List.of(new Label.BoxedObject("car", new Box(1, 2, 3, 4)))));
        assertThat(message.label().task()).isEqualTo(Task.DETECTION);
    }

    @Test
    void shouldRejectInvalidJsonNamingTheTypeAndTheProblem() {
        String json =
                "{\"model\":\"Bad Name\",\"image\":\"aGk=\",\"label\":{\"type\":\"class\",\"className\":\"x\"}}";

        assertThatThrownBy(
                        () ->
                                JsonSerde.of(LabelledImageSubmitted.class)
                                        .fromBytes(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("LabelledImageSubmitted")
                .hasMessageContaining("invalid model name 'Bad Name'");
    }

    @Test
    void shouldKeepTombstonesNull() {
        var serde = JsonSerde.of(LabelledImageAccepted.class);

        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldRejectInvalidValuesInRecords() {
        assertThatThrownBy(() -> new Box(0, 0, -1, 2)).hasMessageContaining("width and height");
        assertThatThrownBy(() -> new Label.ClassLabel(" "))
                .hasMessageContaining("invalid class name");
        assertThatThrownBy(() -> new Label.MaskLabel(new byte[0], List.of("a")))
                .hasMessageContaining("empty");
        assertThatThrownBy(
                        () ->
                                new LabelledImageAccepted(
                                        "xyz",
                                        "m",
                                        new byte[1],
                                        "image/png",
                                        1,
                                        1,
                                        new Label.ClassLabel("a"),
                                        null,
                                        T))
                .hasMessageContaining("sampleId");
        assertThatThrownBy(
                        () ->
                                new TrainingTriggered(
                                        "t", "m", TrainingTriggered.Reason.MANUAL, 5, 4, T))
                .hasMessageContaining("newSamples");
        assertThatThrownBy(
                        () ->
                                new TrainingProgress(
                                        "r",
                                        "m",
                                        TrainingProgress.Phase.FINE_TUNING,
                                        3,
                                        2,
                                        0,
                                        0,
                                        0,
                                        null,
                                        T))
                .hasMessageContaining("epoch");
        assertThatThrownBy(
                        () ->
                                new ModelPublished(
                                        "m",
                                        1,
                                        1,
                                        Task.CLASSIFICATION,
                                        List.of("a"),
                                        "acc",
                                        1,
                                        Map.of(),
                                        new ArtifactRef("file:/x", SHA, 1, 1),
                                        Map.of(),
                                        T))
                .hasMessageContaining("parentVersion");
        assertThatThrownBy(
                        () ->
                                ModelPublished.of(
                                        "m",
                                        1,
                                        Task.CLASSIFICATION,
                                        List.of("a"),
                                        "acc",
                                        Double.NaN,
                                        new ArtifactRef("file:/x", SHA, 1, 1),
                                        T))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> new ArtifactRef("file:/x", "ABC", 1, 1))
                .hasMessageContaining("sha256");
        assertThatThrownBy(() -> new DetectionsEmitted.Detection("a", 0, 1.5, new Box(0, 0, 1, 1)))
                .hasMessageContaining("score");
        assertThatThrownBy(() -> new SegmentationsEmitted.RleMask(2, 2, List.of(0), List.of(3)))
                .hasMessageContaining("run lengths");
        assertThatThrownBy(() -> new FrameRef("f", "c", T, 0, 1, "m", 1))
                .hasMessageContaining("width");
        assertThatThrownBy(() -> Task.parse("tracking"))
                .hasMessageContaining("unknown task 'tracking'");
    }

    @Test
    void shouldCarryDeadLetterReasonAndOriginInHeaders() {
        var consumed =
                new ConsumerRecord<>(
                        "frames",
                        2,
                        77L,
                        "cam".getBytes(StandardCharsets.UTF_8),
                        new byte[] {1, 2});
        var letter = DeadLetter.of(consumed, "corrupt_image", "truncated JPEG", "inference", T);

        var produced = letter.toProducerRecord("frames.dlq");
        var readBack = new ConsumerRecord<>("frames.dlq", 0, 0L, produced.key(), produced.value());
        produced.headers().forEach(h -> readBack.headers().add(h));

        assertThat(produced.topic()).isEqualTo("frames.dlq");
        assertThat(DeadLetter.fromConsumerRecord(readBack))
                .usingRecursiveComparison()
                .isEqualTo(letter);
        assertThatThrownBy(() -> DeadLetter.of(consumed, "Bad Reason", "", "inference", T))
                .hasMessageContaining("reason");
    }

    @Test
    void shouldKeepADeadLetterWithinTheRecordLimitWhateverItCarries() {
        byte[] huge = new byte[TopicSpec.MAX_RECORD_BYTES];
        byte[] longKey = new byte[5000];
        var consumed = new ConsumerRecord<>("frames", 0, 5L, longKey, huge);
        var letter = DeadLetter.of(consumed, "oversized_image", "too big", "inference", T);

        var produced = letter.toProducerRecord("frames.dlq");
        int headerBytes = 0;
        for (var h : produced.headers()) {
            headerBytes += h.key().length() + h.value().length;
        }

        assertThat(produced.key()).hasSize(DeadLetter.MAX_KEY_BYTES);
        assertThat(produced.value().length + produced.key().length + headerBytes)
                .isLessThan(TopicSpec.MAX_RECORD_BYTES);
        assertThat(
                        new String(
                                produced.headers()
                                        .lastHeader(DeadLetter.ORIGINAL_VALUE_BYTES)
                                        .value(),
                                StandardCharsets.UTF_8))
                .isEqualTo(Integer.toString(TopicSpec.MAX_RECORD_BYTES));
        assertThat(produced.headers().lastHeader(DeadLetter.ORIGINAL_KEY_BYTES)).isNotNull();
    }

    @Test
    void shouldDeclareEveryTopicWithAUniqueNameAndItsDeadLetterTopics() {
        var names = Topics.all().stream().map(Topic::name).toList();

        assertThat(names).doesNotHaveDuplicates().contains("frames.dlq", "images.intake.dlq");
        assertThat(Topics.IMAGES_LABELLED.spec().requiredConfigs())
                .containsEntry("cleanup.policy", "compact");
        assertThat(Topics.MODELS_PUBLISHED.spec().requiredConfigs())
                .containsEntry("cleanup.policy", "compact");
        assertThat(Topics.FRAMES.withPrefix("site1.").name()).isEqualTo("site1.frames");
    }

    @org.junit.jupiter.api.Test
    void shouldLeaveOutTheMaskOfAPlainDetection() {
        String json =
                new String(
                        JsonSerde.of(DetectionsEmitted.Detection.class)
                                .serializer()
                                .serialize(
                                        "t",
                                        new DetectionsEmitted.Detection(
                                                "car", 1, 0.9, new Box(10, 20, 30, 40))),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("mask");
        assertThatThrownBy(() -> new DetectionsEmitted.Mask(List.of(0, 3), "x"))
                .hasMessageContaining("size");
    }
}
