package io.streamtune.inference.labelling;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LabellingRequested;
import io.streamtune.contracts.Task;
import io.streamtune.inference.stream.Frame;
import io.streamtune.inference.stream.FrameOutcome;
import io.streamtune.kafka.embedded.MockClients;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.Test;

/** The observer against Kafka's MockProducer: what a picked frame's request carries. */
class LabellingRequestsTest {

    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldSendAnUnsureFrameWithItsImageAndPreAnnotationAndNothingForASureOne() {
        LabellingRequests requests = requests(0);
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        FrameOutcome unsure = classified("f-1", jpeg, 0.45, 0.40);
        FrameOutcome sure = classified("f-2", jpeg, 0.97, 0.02);
        FrameOutcome rejected =
                new FrameOutcome.Rejected(frame("f-3", jpeg), "corrupt_image", "bad");

        requests.delivered(null, List.of(), List.of(unsure, sure, rejected));

        assertThat(producer.history()).hasSize(1);
        var record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("labelling.requests");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("pets/f-1");
        LabellingRequested r = JsonSerde.of(LabellingRequested.class).fromBytes(record.value());
        assertThat(r.image()).isEqualTo(jpeg);
        assertThat(r.reason()).isEqualTo("low_confidence");
        assertThat(r.score()).isEqualTo(0.45);
        assertThat(r.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(r.frame().modelVersion()).isEqualTo(3);
        assertThat(r.predictions().path("top").get(0).path("label").asText()).isEqualTo("cat");
        assertThat(r.requestedAt()).isEqualTo(T);
        assertThat(
                        registry.get("inference.labelling.requests")
                                .tag("reason", "low_confidence")
                                .counter()
                                .count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldRequestNothingForStylizedFramesAndCountNoFailure() {
        LabellingRequests requests = requests(1.0);
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        FrameOutcome stylized =
                new FrameOutcome.Predicted(
                        frame("f-9", jpeg),
                        Task.STYLIZATION,
                        new io.streamtune.contracts.StylizedFrame(
                                new FrameRef("f-9", "cam-1", T, 64, 48, "paint", 1), jpeg, 64, 48));

        requests.delivered(null, List.of(), List.of(stylized));

        assertThat(producer.history()).isEmpty();
        assertThat(registry.get("inference.labelling.requests.failed").counter().count()).isZero();
    }

    @Test
    void shouldRequestAFrameProductionAndTheShadowCandidateDisagreeOnOnce() {
        LabellingRequests requests = requests(0);
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        // production is sure (no other strategy picks it); the candidate says something else
        var production = (FrameOutcome.Predicted) classified("f-7", jpeg, 0.97, 0.02);
        var candidate = (FrameOutcome.Predicted) classified("f-7", jpeg, 0.90, 0.05);
        requests.delivered(null, List.of(), List.of(production));
        assertThat(producer.history()).isEmpty();

        requests.compared(production, candidate, 0.0);
        requests.compared(production, candidate, 0.0); // never twice
        requests.compared(
                (FrameOutcome.Predicted) classified("f-8", jpeg, 0.97, 0.02), candidate, 1.0);

        assertThat(producer.history()).hasSize(1);
        LabellingRequested r =
                JsonSerde.of(LabellingRequested.class).fromBytes(producer.history().get(0).value());
        assertThat(r.reason()).isEqualTo("disagreement");
        assertThat(r.score()).isZero();
        assertThat(r.frame().frameId()).isEqualTo("f-7");
        assertThat(r.predictions().path("top").get(0).path("probability").asDouble())
                .as("production's prediction is the pre-annotation")
                .isEqualTo(0.97);
    }

    private final MockProducer<byte[], byte[]> producer = MockClients.producer(true);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Requests for frames below 0.6 confidence, and for {@code randomShare} of all frames. */
    private LabellingRequests requests(double randomShare) {
        return new LabellingRequests(
                new LabellingSampler(
                        new LabellingSampler.Settings(
                                0.3,
                                0.6,
                                0,
                                0,
                                10,
                                randomShare,
                                100,
                                100,
                                100,
                                100,
                                100,
                                0.5,
                                0,
                                0,
                                0),
                        new LabellingSamplerTest.TestClock(),
                        1),
                producer,
                io.streamtune.contracts.Topics.LABELLING_REQUESTS,
                java.time.Clock.fixed(T, java.time.ZoneOffset.UTC),
                registry);
    }

    private static FrameOutcome classified(String id, byte[] image, double p1, double p2) {
        Frame f = frame(id, image);
        return new FrameOutcome.Predicted(
                f,
                Task.CLASSIFICATION,
                new ClassificationsEmitted(
                        new FrameRef(id, "cam-1", T, 64, 48, "pets", 3),
                        List.of(
                                new ClassificationsEmitted.ClassScore("cat", 0, p1),
                                new ClassificationsEmitted.ClassScore("dog", 1, p2)),
                        T));
    }

    private static Frame frame(String id, byte[] image) {
        return new Frame(
                new ConsumerRecord<>("frames", 0, 7, "cam-1".getBytes(), image), "cam-1", id, T, 0);
    }
}
