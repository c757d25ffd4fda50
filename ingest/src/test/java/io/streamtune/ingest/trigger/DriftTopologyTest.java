package io.streamtune.ingest.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.DriftDetected;
import io.streamtune.contracts.DriftReference;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.Lineage;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.ingest.IngestMetrics;
import io.streamtune.ingest.validate.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift of live classifications from the production version's reference, on the real topology in
 * Kafka's TopologyTestDriver: a stream drawn from the reference's own distribution raises no drift
 * over many windows; a camera whose frames make the model unsure raises drift in the first window,
 * and after {@code trigger.drift.windows} drifted windows and enough new labels, a training trigger
 * with reason DRIFT.
 */
class DriftTopologyTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final List<String> CLASSES = List.of("cat", "dog", "bird");
    private static final double[] CLASS_SHARES = {0.5, 0.3, 0.2};

    @TempDir Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final class Harness implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, byte[]> classifications;
        final TestInputTopic<String, byte[]> published;
        final TestInputTopic<String, byte[]> labelled;
        final TestOutputTopic<String, DriftDetected> drift;
        final TestOutputTopic<String, TrainingTriggered> triggers;

        Harness() {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "drift-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
            TriggerPolicy policy =
                    new TriggerPolicy(
                            1_000_000,
                            Duration.ofDays(30),
                            Duration.ofHours(1),
                            new Drift.Settings(WINDOW, 200, 0.001, 3, 20));
            driver =
                    new TopologyTestDriver(
                            TriggerTopology.build(policy, "t.", new IngestMetrics(registry)),
                            props,
                            START);
            classifications =
                    driver.createInputTopic(
                            "t.predictions.classifications",
                            Serdes.String().serializer(),
                            Serdes.ByteArray().serializer());
            published =
                    driver.createInputTopic(
                            "t.models.published",
                            Serdes.String().serializer(),
                            Serdes.ByteArray().serializer());
            labelled =
                    driver.createInputTopic(
                            "t.images.labelled",
                            Serdes.String().serializer(),
                            Serdes.ByteArray().serializer());
            drift =
                    driver.createOutputTopic(
                            "t.models.drift",
                            Serdes.String().deserializer(),
                            JsonSerde.of(DriftDetected.class).deserializer());
            triggers =
                    driver.createOutputTopic(
                            "t.training.triggers",
                            Serdes.String().deserializer(),
                            JsonSerde.of(TrainingTriggered.class).deserializer());
        }

        void publish(int version, DriftReference reference) {
            var p =
                    new ModelPublished(
                            "pets",
                            version,
                            null,
                            Task.CLASSIFICATION,
                            CLASSES,
                            "accuracy",
                            0.9,
                            Map.of(),
                            new ArtifactRef("file:/x", "0".repeat(64), 1, 1),
                            Map.of(),
                            START,
                            null,
                            new Lineage("zoo:centernet", "f", 10, 10, 10, "s", reference),
                            null);
            published.pipeInput(
                    "pets", JsonSerde.of(ModelPublished.class).toBytes(p), START.toEpochMilli());
        }

        /** One window of {@code n} predictions of {@code version}, starting at window {@code w}. */
        void window(int w, int n, int version, Random r, boolean unsure) {
            window(w, n, version, r, unsure, null);
        }

        /** Likewise, each frame with an embedding drawn by {@code embed} (none when null). */
        void window(
                int w,
                int n,
                int version,
                Random r,
                boolean unsure,
                java.util.function.Function<Random, List<Float>> embed) {
            long t0 = START.toEpochMilli() + w * WINDOW.toMillis();
            for (int i = 0; i < n; i++) {
                DriftReference.Observation o = draw(r, unsure);
                var c =
                        new ClassificationsEmitted(
                                new FrameRef(
                                        "f" + w + "-" + i,
                                        "cam-" + i % 3,
                                        START,
                                        64,
                                        48,
                                        "pets",
                                        version,
                                        embed == null ? null : embed.apply(r)),
                                List.of(
                                        new ClassificationsEmitted.ClassScore(
                                                o.topClass(),
                                                CLASSES.indexOf(o.topClass()),
                                                o.confidence())),
                                START);
                classifications.pipeInput(
                        "cam-" + i % 3,
                        JsonSerde.of(ClassificationsEmitted.class).toBytes(c),
                        t0 + i * (WINDOW.toMillis() / n));
            }
        }

        void labels(int from, int n) {
            for (int i = from; i < from + n; i++) {
                byte[] image = ("image-" + i).getBytes(StandardCharsets.UTF_8);
                String id = Digests.sha256Hex(image);
                var value =
                        new LabelledImageAccepted(
                                id,
                                "pets",
                                image,
                                "image/png",
                                4,
                                4,
                                new Label.ClassLabel(CLASSES.get(i % 3)),
                                "test",
                                START);
                labelled.pipeInput(
                        LabelledImageAccepted.key("pets", id),
                        JsonSerde.of(LabelledImageAccepted.class).toBytes(value));
            }
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    /**
     * A prediction as the model makes them on its own kind of data (confident: mostly 0.7-1.0), or
     * on frames it is unsure about (a blurred camera: 0.35-0.7).
     */
    private static DriftReference.Observation draw(Random r, boolean unsure) {
        double u = r.nextDouble();
        String cls =
                u < CLASS_SHARES[0]
                        ? "cat"
                        : u < CLASS_SHARES[0] + CLASS_SHARES[1] ? "dog" : "bird";
        double conf =
                unsure
                        ? 0.35 + 0.35 * r.nextDouble()
                        : Math.min(1, 0.6 + 0.4 * Math.sqrt(r.nextDouble()));
        return new DriftReference.Observation(cls, conf);
    }

    private static DriftReference reference(int n, long seed) {
        Random r = new Random(seed);
        List<DriftReference.Observation> obs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            obs.add(draw(r, false));
        }
        return DriftReference.of(obs);
    }

    @Test
    void shouldRaiseNoDriftOnAStreamLikeTheReferenceOverManyWindows() {
        try (Harness h = new Harness()) {
            h.publish(1, reference(400, 1));
            Random r = new Random(2);
            for (int w = 0; w < 31; w++) {
                h.window(w, 300, 1, r, false);
            }

            List<DriftDetected> judged = h.drift.readValuesToList();
            assertThat(judged).hasSize(30).noneMatch(DriftDetected::drifted);
            assertThat(judged).allMatch(d -> d.frames() == 300 && d.version() == 1);
            assertThat(judged).allMatch(d -> d.score() < 1);
            assertThat(h.triggers.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldRaiseDriftWhenTheModelTurnsUnsureAndRetrainOnceItPersistsWithNewLabels() {
        try (Harness h = new Harness()) {
            h.publish(1, reference(400, 1));
            Random r = new Random(3);
            h.window(0, 300, 1, r, false);
            h.window(1, 300, 1, r, true); // the camera's lens fogs up
            h.window(2, 300, 1, r, true); // closes window 1

            List<DriftDetected> judged = h.drift.readValuesToList();
            assertThat(judged).extracting(DriftDetected::drifted).containsExactly(false, true);
            assertThat(judged.get(1).confidencePsi())
                    .isGreaterThan(judged.get(1).confidenceThreshold());
            assertThat(judged.get(1).consecutive()).isEqualTo(1);

            // persistent, but without new labels there is nothing to retrain on
            h.window(3, 300, 1, r, true);
            h.window(4, 300, 1, r, true);
            assertThat(h.drift.readValuesToList())
                    .extracting(DriftDetected::consecutive)
                    .containsExactly(2, 3);
            assertThat(h.triggers.isEmpty()).isTrue();

            // labellers answer 25 requests; the next drifted window triggers
            h.labels(0, 25);
            h.window(5, 300, 1, r, true);
            assertThat(h.drift.readValuesToList())
                    .extracting(DriftDetected::consecutive)
                    .containsExactly(4);
            List<TrainingTriggered> triggers = h.triggers.readValuesToList();
            assertThat(triggers).hasSize(1);
            assertThat(triggers.get(0).reason()).isEqualTo(TrainingTriggered.Reason.DRIFT);
            assertThat(triggers.get(0).newSamples()).isEqualTo(25);

            // a new version restarts the comparison: its own reference, its own predictions
            h.publish(2, reference(400, 4));
            h.window(6, 300, 1, r, true); // v1 frames still in flight: not counted
            h.window(7, 300, 2, r, false);
            h.window(8, 300, 2, r, false);
            assertThat(h.drift.readValuesToList())
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.version()).isEqualTo(2);
                                assertThat(d.drifted()).isFalse();
                            });
            assertThat(h.triggers.isEmpty()).isTrue();
            assertThat(registry.get(IngestMetrics.DRIFT_SCORE).tag("model", "pets").gauge().value())
                    .isLessThan(1);
        }
    }

    @Test
    void shouldJudgeTheLastWindowOnceItsPredictionsStopWithoutWaitingForTheNextOne() {
        try (Harness h = new Harness()) {
            h.publish(1, reference(400, 1));
            Random r = new Random(5);
            h.window(0, 300, 1, r, false);
            h.window(1, 300, 1, r, true); // closes window 0; the lens fogs up
            assertThat(h.drift.readValuesToList())
                    .extracting(DriftDetected::drifted)
                    .containsExactly(false);

            // then the camera goes dark: only the clock can close window 1 (it ends at +10 min)
            h.driver.advanceWallClockTime(Duration.ofMinutes(10));
            assertThat(h.drift.isEmpty())
                    .as("not judged before the grace after its end has passed")
                    .isTrue();
            h.driver.advanceWallClockTime(Drift.quietGrace(WINDOW).plusSeconds(1));

            List<DriftDetected> judged = h.drift.readValuesToList();
            assertThat(judged).hasSize(1);
            assertThat(judged.get(0).windowStart()).isEqualTo(START.plus(WINDOW));
            assertThat(judged.get(0).frames()).isEqualTo(300);
            assertThat(judged.get(0).drifted()).isTrue();
            assertThat(judged.get(0).consecutive()).isEqualTo(1);

            // when predictions come back, window 1 is not judged again and the streak goes on
            h.driver.advanceWallClockTime(Duration.ofMinutes(10));
            h.window(5, 300, 1, r, true);
            h.window(6, 300, 1, r, true);
            assertThat(h.drift.readValuesToList())
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.windowStart())
                                        .isEqualTo(START.plus(WINDOW.multipliedBy(5)));
                                assertThat(d.consecutive()).isEqualTo(2);
                            });
        }
    }

    /**
     * An 8-dimensional embedding summary as a backbone's projected features look: correlated
     * dimensions (one shared factor plus noise). {@code contrast} scales the image-dependent part
     * (1 as in training; a fogged lens flattens it), {@code shift} moves the shared factor.
     */
    private static List<Float> embedding(Random r, double contrast, double shift) {
        double shared = r.nextGaussian() * contrast + shift;
        List<Float> e = new ArrayList<>();
        for (int d = 0; d < 8; d++) {
            e.add((float) (3 + d + (0.8 * shared + 0.6 * r.nextGaussian()) * contrast));
        }
        return e;
    }

    /** A reference of {@code n} gate images whose predictions also carry embeddings. */
    private static DriftReference referenceWithEmbeddings(int n, long seed) {
        Random r = new Random(seed);
        List<DriftReference.Observation> obs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DriftReference.Observation o = draw(r, false);
            obs.add(
                    new DriftReference.Observation(
                            o.topClass(), o.confidence(), embedding(r, 1, 0)));
        }
        return DriftReference.of(obs);
    }

    @Test
    void shouldRaiseNoEmbeddingDriftOnFramesLikeTheReferenceOverManyWindows() {
        try (Harness h = new Harness()) {
            // as small as a real gate split: the threshold accounts for the reference's own noise
            DriftReference ref = referenceWithEmbeddings(100, 11);
            assertThat(ref.embedding().dimensions()).isEqualTo(8);
            h.publish(1, ref);
            Random r = new Random(12);
            for (int w = 0; w < 31; w++) {
                h.window(w, 300, 1, r, false, x -> embedding(x, 1, 0));
            }

            List<DriftDetected> judged = h.drift.readValuesToList();
            assertThat(judged).hasSize(30).noneMatch(DriftDetected::drifted);
            assertThat(judged)
                    .allSatisfy(
                            d -> {
                                assertThat(d.embeddingPsi()).isNotNull();
                                assertThat(d.embeddingPsi()).isLessThan(d.embeddingThreshold());
                            });
        }
    }

    @Test
    void shouldRaiseDriftWhenTheCameraChangesThoughThePredictionsDoNot() {
        try (Harness h = new Harness()) {
            h.publish(1, referenceWithEmbeddings(100, 11));
            Random r = new Random(13);
            h.window(0, 300, 1, r, false, x -> embedding(x, 1, 0));
            // the lens fogs: the model answers as confidently as before, its features flatten
            h.window(1, 300, 1, r, false, x -> embedding(x, 0.4, 0));
            // the camera is moved to another scene: its features shift
            h.window(2, 300, 1, r, false, x -> embedding(x, 1, 1.5));
            h.window(3, 300, 1, r, false, x -> embedding(x, 1, 0));
            h.window(4, 300, 1, r, false, null); // frames of a model without embeddings

            List<DriftDetected> judged = h.drift.readValuesToList();
            assertThat(judged)
                    .extracting(DriftDetected::drifted)
                    .containsExactly(false, true, true, false);
            for (DriftDetected d : judged) {
                assertThat(d.confidencePsi()).isLessThan(d.confidenceThreshold());
                assertThat(d.classPsi()).isLessThan(d.classThreshold());
            }
            assertThat(judged.get(1).embeddingPsi())
                    .isGreaterThan(judged.get(1).embeddingThreshold());
            assertThat(judged.get(2).consecutive()).isEqualTo(2);
            assertThat(judged.get(3).embeddingPsi()).isLessThan(judged.get(3).embeddingThreshold());

            // a window whose frames carried no embedding is judged on the predictions alone
            h.window(5, 300, 1, r, false, null);
            assertThat(h.drift.readValuesToList())
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.drifted()).isFalse();
                                assertThat(d.embeddingPsi()).isNull();
                            });
        }
    }

    /**
     * Frames as a camera films them: one scene stays in view for {@code run} frames, each frame
     * seeing it with a little noise of its own, so a window holds few independent observations.
     */
    private static java.util.function.Function<Random, List<Float>> scenes(
            int run, double contrast, double shift) {
        int[] left = {0};
        List<Float>[] scene = new List[1];
        return r -> {
            if (left[0]-- <= 0) {
                scene[0] = embedding(r, contrast, shift);
                left[0] = run - 1;
            }
            List<Float> e = new ArrayList<>();
            for (float v : scene[0]) {
                e.add((float) (v + 0.05 * r.nextGaussian()));
            }
            return e;
        };
    }

    @Test
    void shouldAllowForFramesOfOneSceneBeingAlikeAndStillSeeAStrongShift() {
        try (Harness h = new Harness()) {
            DriftReference ref = referenceWithEmbeddings(100, 11);
            h.publish(1, ref);
            Random r = new Random(21);
            var camera = scenes(25, 1, 0); // 12 scenes a window of 300 frames
            for (int w = 0; w < 31; w++) {
                h.window(w, 300, 1, r, false, camera);
            }
            List<DriftDetected> judged = h.drift.readValuesToList();

            // 12 scenes a window say little: some windows still pass their threshold, but far fewer
            // than when the frames are taken for independent ones, and never the drifted windows
            // in a row that trigger a retrain
            assertThat(judged).hasSize(30);
            assertThat(judged).allMatch(d -> d.dispersion() > 5);
            long drifted = judged.stream().filter(DriftDetected::drifted).count();
            assertThat(drifted).isLessThanOrEqualTo(6);
            assertThat(judged).allMatch(d -> d.consecutive() < 3);
            assertThat(h.triggers.isEmpty()).isTrue();
            // counted as 300 independent frames, most of these windows would have drifted
            long naive =
                    judged.stream()
                            .filter(
                                    d ->
                                            d.embeddingPsi()
                                                    > Drift.threshold(
                                                            DriftReference.BINS,
                                                            d.frames(),
                                                            ref.samples(),
                                                            0.001 / 8))
                            .count();
            assertThat(naive).isGreaterThan(3 * drifted);

            // the camera is moved to another place: its scenes are far from the reference
            var moved = scenes(25, 1, 3);
            h.window(31, 300, 1, r, false, moved);
            h.window(32, 300, 1, r, false, moved); // closes window 30 (unmoved) and 31
            List<DriftDetected> after = h.drift.readValuesToList();
            assertThat(after).hasSize(2);
            assertThat(after.get(1).drifted()).isTrue();
            assertThat(after.get(1).embeddingPsi())
                    .isGreaterThan(after.get(1).embeddingThreshold());
        }
    }

    @Test
    void shouldEstimateNoDispersionForIndependentFrames() {
        try (Harness h = new Harness()) {
            h.publish(1, referenceWithEmbeddings(100, 11));
            Random r = new Random(22);
            for (int w = 0; w < 11; w++) {
                h.window(w, 300, 1, r, false, x -> embedding(x, 1, 0));
            }
            assertThat(h.drift.readValuesToList())
                    .hasSize(10)
                    .allSatisfy(d -> assertThat(d.dispersion()).isLessThan(1.5));
        }
    }

    @Test
    void shouldCallAShiftInTheClassMixDriftAndTheSameMixNot() {
        DriftReference ref = reference(400, 1); // ~50 / 30 / 20 % cat / dog / bird
        long[] bins = new long[DriftReference.BINS];
        bins[8] = 150;
        bins[9] = 150;
        Drift.State same =
                new Drift.State(
                        1,
                        ref,
                        0,
                        bins,
                        Map.of("cat", 150L, "dog", 90L, "bird", 60L),
                        300,
                        0,
                        null,
                        null);
        Drift.State birds =
                new Drift.State(
                        1,
                        ref,
                        0,
                        bins,
                        Map.of("cat", 60L, "dog", 90L, "bird", 150L),
                        300,
                        0,
                        null,
                        null);
        Drift.State newClass =
                new Drift.State(
                        1,
                        ref,
                        0,
                        bins,
                        Map.of("cat", 120L, "dog", 90L, "bird", 60L, "fox", 30L),
                        300,
                        0,
                        null,
                        null);
        Drift.Settings settings = Drift.Settings.DEFAULTS;

        DriftDetected a = Drift.judge("pets", same, settings, START, START);
        DriftDetected b = Drift.judge("pets", birds, settings, START, START);
        DriftDetected c = Drift.judge("pets", newClass, settings, START, START);

        assertThat(a.classPsi()).isLessThan(a.classThreshold());
        assertThat(b.classPsi()).isGreaterThan(b.classThreshold());
        assertThat(b.drifted()).isTrue();
        assertThat(c.classPsi())
                .as("a class the reference never saw")
                .isGreaterThan(c.classThreshold());
    }

    @Test
    void shouldComputeThePsiAndItsThresholdLikeTheFormula() {
        // identical shares: PSI 0
        assertThat(Drift.psi(new double[] {0.5, 0.5}, new long[] {50, 50}, 100)).isZero();
        // 0.5/0.5 against 80/20 of 100, smoothed by half a count per category
        double e = (0.5 * 100 + 0.5) / 101;
        double a1 = 80.5 / 101, a2 = 20.5 / 101;
        assertThat(Drift.psi(new double[] {0.5, 0.5}, new long[] {80, 20}, 100))
                .isCloseTo(
                        (a1 - e) * Math.log(a1 / e) + (a2 - e) * Math.log(a2 / e),
                        org.assertj.core.data.Offset.offset(1e-12));
        // chi2(1, 0.999) = 10.828; times 1/100 + 1/100
        assertThat(Drift.threshold(2, 100, 100, 0.001))
                .isCloseTo(10.828 * 0.02, org.assertj.core.data.Offset.offset(1e-4));
    }
}
