package io.streamtune.trainer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.ModelRejected.Verdict;
import io.streamtune.vision.metrics.DetectionEvaluator;
import io.streamtune.vision.metrics.GroundTruthBox;
import io.streamtune.vision.metrics.PredictedBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GateTest {

    private final Gate gate = new Gate(new Gate.Settings(0.0, 0.6, 0.95, 2000, 20, 3));

    /** {@code n} samples, the first {@code right} correct. */
    private static Correctness correct(int n, int right) {
        boolean[] c = new boolean[n];
        for (int i = 0; i < right; i++) {
            c[i] = true;
        }
        return new Correctness(c);
    }

    private static Correctness of(boolean[] c) {
        return new Correctness(c);
    }

    @Test
    void shouldRejectATieWithBothNumbersTheIntervalAndTheSampleCount() {
        Gate.Decision d = gate.judge("accuracy", correct(50, 45), correct(50, 45), List.of(), null);

        assertThat(d.publish()).isFalse();
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_SIGNIFICANT);
        assertThat(d.evidence().candidate()).isEqualTo(0.9);
        assertThat(d.evidence().production()).isEqualTo(0.9);
        assertThat(d.evidence().lower()).isEqualTo(0.0);
        assertThat(d.evidence().samples()).isEqualTo(50);
        assertThat(d.reason()).contains("0.9000").contains("n=50").contains("CI");
    }

    @Test
    void shouldRejectAnImprovementWithinNoise() {
        // four more images right, none worse: the bootstrap alone clears 0, McNemar does not
        boolean[] prod = new boolean[100];
        boolean[] cand = new boolean[100];
        for (int i = 0; i < 100; i++) {
            prod[i] = i < 90;
            cand[i] = i < 94;
        }
        Gate.Decision d = gate.judge("accuracy", of(cand), of(prod), List.of(), null);

        assertThat(d.evidence().lower()).as("bootstrap lower bound").isGreaterThan(0);
        assertThat(d.publish()).isFalse();
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_SIGNIFICANT);
        assertThat(d.evidence().pValue()).isEqualTo(0.0625);
        assertThat(d.evidence().difference())
                .isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldPublishAClearImprovement() {
        Gate.Decision d =
                gate.judge("accuracy", correct(100, 95), correct(100, 70), List.of(), null);

        assertThat(d.publish()).isTrue();
        assertThat(d.verdict()).isNull();
        assertThat(d.evidence().lower()).isGreaterThan(0.1);
        assertThat(d.evidence().pValue()).isLessThan(1e-6);
    }

    @Test
    void shouldCallASignificantlyWorseCandidateWorse() {
        Gate.Decision d =
                gate.judge("accuracy", correct(100, 60), correct(100, 95), List.of(), null);

        assertThat(d.publish()).isFalse();
        assertThat(d.verdict()).isEqualTo(Verdict.WORSE);
        assertThat(d.evidence().upper()).isLessThan(0);
    }

    @Test
    void shouldRequireTheIntervalToClearTheMinimumDelta() {
        Gate strict = new Gate(new Gate.Settings(0.1, 0.6, 0.95, 2000, 20, 3));

        // +0.15 on 100 samples: significant, but the interval reaches below 0.1
        Gate.Decision d =
                strict.judge("accuracy", correct(100, 90), correct(100, 75), List.of(), null);

        assertThat(
                        gate.judge("accuracy", correct(100, 90), correct(100, 75), List.of(), null)
                                .publish())
                .isTrue();
        assertThat(d.publish()).isFalse();
        assertThat(d.evidence().lower()).isLessThan(0.1);
    }

    @Test
    void shouldRefuseToJudgeATinyGateSet() {
        Gate.Decision d = gate.judge("accuracy", correct(5, 5), null, List.of(), null);

        assertThat(d.publish()).isFalse();
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_ENOUGH_EVIDENCE);
        assertThat(d.reason()).contains("5 gate samples").contains("trainer.gate.min.samples");
    }

    @Test
    void shouldRefuseToJudgeWhenAClassHasTooFewGateSamples() {
        Gate.Decision d =
                gate.judge(
                        "accuracy",
                        correct(40, 40),
                        correct(40, 30),
                        List.of("cat", "dog", "owl"),
                        new int[] {20, 18, 2});

        assertThat(d.publish()).isFalse();
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_ENOUGH_EVIDENCE);
        assertThat(d.reason()).contains("owl=2").doesNotContain("cat=");
        assertThat(gate.shortfall(40, List.of("cat", "dog"), new int[] {20, 20})).isEmpty();
    }

    @Test
    void shouldNeverPublishWithoutGroundTruth() {
        DetectionEvaluator e = new DetectionEvaluator();
        for (int i = 0; i < 30; i++) {
            e.addImage(List.of(), List.of(new PredictedBox(0, 0.9, new Box(1, 1, 5, 5))));
        }
        BoxMatches none = new BoxMatches(e.matches());

        Gate.Decision d = gate.judge("map50_95", none, none, List.of(), null);

        assertThat(d.publish()).isFalse();
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_COMPARABLE);
        assertThat(gate.judge("map50_95", none, null, List.of(), null).publish()).isFalse();
    }

    @Test
    void shouldJudgeAFirstModelByTheLowerEndOfItsInterval() {
        // 0.70 point estimate on 20 images: Clopper-Pearson lower bound ~0.46, below 0.6
        Gate.Decision near = gate.judge("accuracy", correct(20, 14), null, List.of(), null);
        // 0.70 on 400 images: lower bound ~0.65
        Gate.Decision clear = gate.judge("accuracy", correct(400, 280), null, List.of(), null);

        assertThat(near.publish()).isFalse();
        assertThat(near.verdict()).isEqualTo(Verdict.BELOW_FLOOR);
        assertThat(near.evidence().lower()).isBetween(0.44, 0.48);
        assertThat(clear.publish()).isTrue();
        assertThat(clear.evidence().lower()).isBetween(0.64, 0.66);
    }

    @Test
    void shouldRarelyPublishOneOfTwoEquallyGoodModels() {
        // Retraining on unchanged data with another seed: both models are right 90% of the time,
        // their errors fall on different images. The gate must call that noise.
        Random random = new Random(42);
        int published = 0;
        for (int trial = 0; trial < 200; trial++) {
            boolean[] a = new boolean[120];
            boolean[] b = new boolean[120];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextDouble() < 0.9;
                b[i] = random.nextDouble() < 0.9;
            }
            published += gate.judge("accuracy", of(a), of(b), List.of(), null).publish() ? 1 : 0;
        }

        assertThat(published).as("noise published in 200 trials").isLessThanOrEqualTo(5);
    }

    @Test
    void shouldCompareSegmentationModelsOnTheSamePixels() {
        int classes = 2;
        List<long[]> good = new ArrayList<>();
        List<long[]> poor = new ArrayList<>();
        Random random = new Random(3);
        for (int img = 0; img < 30; img++) {
            int[] truth = new int[400];
            int[] a = new int[400];
            int[] b = new int[400];
            for (int p = 0; p < truth.length; p++) {
                truth[p] = p < 200 ? 1 : 0;
                a[p] = random.nextDouble() < 0.95 ? truth[p] : 1 - truth[p];
                b[p] = random.nextDouble() < 0.70 ? truth[p] : 1 - truth[p];
            }
            good.add(PixelConfusions.confusion(classes, truth, a));
            poor.add(PixelConfusions.confusion(classes, truth, b));
        }
        var g = new PixelConfusions(classes, good);
        var p = new PixelConfusions(classes, poor);

        assertThat(gate.judge("miou", g, p, List.of(), null).publish()).isTrue();
        assertThat(gate.judge("miou", p, g, List.of(), null).verdict()).isEqualTo(Verdict.WORSE);
        assertThat(gate.judge("miou", g, g, List.of(), null).verdict())
                .isEqualTo(Verdict.NOT_SIGNIFICANT);
    }

    @Test
    void shouldCompareDetectorsByResamplingImages() {
        DetectionEvaluator sharp = new DetectionEvaluator();
        DetectionEvaluator loose = new DetectionEvaluator();
        for (int i = 0; i < 30; i++) {
            var truth = List.of(new GroundTruthBox(0, new Box(10, 10, 20, 20)));
            sharp.addImage(truth, List.of(new PredictedBox(0, 0.9, new Box(10, 11, 20, 20))));
            loose.addImage(truth, List.of(new PredictedBox(0, 0.9, new Box(14, 15, 20, 20))));
        }
        var a = new BoxMatches(sharp.matches());
        var b = new BoxMatches(loose.matches());

        assertThat(a.metric(null)).isEqualTo(sharp.evaluate().map());
        assertThat(gate.judge("map50_95", a, b, List.of(), null).publish()).isTrue();
        assertThat(gate.judge("map50_95", b, a, List.of(), null).publish()).isFalse();
    }

    private final Gate forgetful = new Gate(new Gate.Settings(0.0, 0.6, 0.95, 2000, 20, 3, 0.2));

    /** Three classes of 40 gate images each; per class, how many of its images are right. */
    private static Correctness perClass(int... right) {
        int per = 40;
        boolean[] c = new boolean[per * right.length];
        int[] truth = new int[c.length];
        for (int k = 0; k < right.length; k++) {
            for (int i = 0; i < per; i++) {
                truth[k * per + i] = k;
                c[k * per + i] = i < right[k];
            }
        }
        return new Correctness(c, truth);
    }

    @Test
    void shouldRejectACandidateThatForgetsAClassWhateverItGainsElsewhere() {
        // production: 10/40 cat, 10/40 dog, 36/40 bird (0.467); the candidate learns cats and dogs
        // (40/40 each) and loses birds (10/40): 0.750 overall, significantly better on its own
        Correctness production = perClass(10, 10, 36);
        Correctness candidate = perClass(40, 40, 10);
        List<String> names = List.of("cat", "dog", "bird");

        assertThat(gate.judge("accuracy", candidate, production, names, null).publish())
                .as("without the per-class check")
                .isTrue();
        Gate.Decision d = forgetful.judge("accuracy", candidate, production, names, null);

        assertThat(d.publish()).isFalse();
        assertThat(d.verdict()).isEqualTo(Verdict.FORGETS_CLASS);
        assertThat(d.reason()).contains("'bird' (0.900 -> 0.250").doesNotContain("'cat'");
        assertThat(d.evidence().candidate()).isEqualTo(0.75);
    }

    @Test
    void shouldTolerateADropWithinNoiseOrTheAllowance() {
        // bird loses 3 of 40 (0.900 -> 0.825): worse, but not by more than 0.2 with confidence
        Gate.Decision d =
                forgetful.judge(
                        "accuracy",
                        perClass(40, 40, 33),
                        perClass(20, 20, 36),
                        List.of("cat", "dog", "bird"),
                        null);

        assertThat(d.publish()).as(d.reason()).isTrue();
    }

    @Test
    void shouldScoreRecallIoUAndApPerClass() {
        assertThat(perClass(40, 10, 0).perClass(null))
                .containsEntry(0, 1.0)
                .containsEntry(1, 0.25)
                .containsEntry(2, 0.0);
        // resampled: images 0 (class 0, right) twice and 79 (class 1, wrong) once
        assertThat(perClass(40, 10, 0).perClass(new int[] {0, 0, 79}))
                .containsOnlyKeys(0, 1)
                .containsEntry(1, 0.0);

        // truth [0 0 1 1], prediction [0 1 1 1]: IoU(0) = 1/2, IoU(1) = 2/3
        var seg =
                new PixelConfusions(
                        2,
                        List.of(
                                PixelConfusions.confusion(
                                        2, new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1})));
        assertThat(seg.perClass(null)).containsEntry(0, 0.5).containsEntry(1, 2 / 3.0);

        DetectionEvaluator e = new DetectionEvaluator();
        e.addImage(
                List.of(
                        new GroundTruthBox(0, new Box(10, 10, 20, 20)),
                        new GroundTruthBox(1, new Box(50, 50, 20, 20))),
                List.of(new PredictedBox(0, 0.9, new Box(10, 10, 20, 20))));
        var ap = new BoxMatches(e.matches()).perClass(null);
        assertThat(ap).containsOnlyKeys(0, 1).containsEntry(1, 0.0);
        assertThat(ap.get(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldRefuseANegativeDelta() {
        assertThatThrownBy(() -> new Gate.Settings(-0.05, 0.5, 0.95, 2000, 20, 3))
                .hasMessageContaining("minDelta");
    }

    @Test
    void shouldComputeExactTestsLikeTheTextbook() {
        assertThat(Gate.mcNemarOneSided(5, 0))
                .isEqualTo(1 / 32.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Gate.mcNemarOneSided(0, 4)).isEqualTo(1.0);
        double[] ci = Gate.clopperPearson(0, 10, 0.05);
        assertThat(ci[0]).isEqualTo(0.0);
        assertThat(ci[1]).isCloseTo(0.3085, org.assertj.core.data.Offset.offset(1e-4));
    }
}
