package io.streamtune.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.contracts.Box;
import io.streamtune.vision.decode.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectionEvaluatorTest {

    @Test
    void shouldComputeHandWorkedApForThreeTruthsAndFourPredictions() {
        // Truths G1, G2, G3. Predictions by score: exact G1 (TP), nowhere (FP), G2 shifted 2.5 px
        // (IoU 7.5*10 / (200 - 75) = 0.6: TP up to t = 0.6), a duplicate of G1 (FP).
        // At t <= 0.6: TP FP TP FP -> recall 1/3 1/3 2/3 2/3, monotone precision 1 2/3 2/3 1/2:
        // recall points 0..0.33 -> 1 (34 points), 0.34..0.66 -> 2/3 (33 points), rest 0 -> 56/101.
        // At t >= 0.65: TP FP FP FP -> 34 points at precision 1 -> 34/101.
        DetectionEvaluator evaluator = new DetectionEvaluator();
        evaluator.addImage(
                List.of(gt(0, 0, 0, 10, 10), gt(0, 20, 0, 10, 10), gt(0, 40, 0, 10, 10)),
                List.of(
                        pred(0, 0.9, 0, 0, 10, 10),
                        pred(0, 0.8, 100, 100, 10, 10),
                        pred(0, 0.7, 22.5, 0, 10, 10),
                        pred(0, 0.6, 0, 0, 10, 10)));

        DetectionReport report = evaluator.evaluate();

        assertThat(report.map50()).isCloseTo(56.0 / 101, within(1e-12));
        assertThat(report.map75()).isCloseTo(34.0 / 101, within(1e-12));
        assertThat(report.map()).isCloseTo((3 * 56.0 + 7 * 34.0) / 1010, within(1e-12));
    }

    @Test
    void shouldScoreOneForPerfectPredictions() {
        DetectionEvaluator evaluator = new DetectionEvaluator();
        evaluator.addImage(
                List.of(gt(0, 5, 5, 20, 20), gt(1, 50, 50, 10, 30)),
                List.of(pred(1, 0.7, 50, 50, 10, 30), pred(0, 0.9, 5, 5, 20, 20)));
        evaluator.addImage(List.of(gt(1, 0, 0, 3, 3)), List.of(pred(1, 0.2, 0, 0, 3, 3)));

        DetectionReport report = evaluator.evaluate();

        assertThat(report.map()).isCloseTo(1.0, within(1e-12));
        assertThat(report.map50()).isCloseTo(1.0, within(1e-12));
        assertThat(report.images()).isEqualTo(2);
    }

    @Test
    void shouldAcceptDecodedDetections() {
        DetectionEvaluator evaluator = new DetectionEvaluator();
        evaluator.addDetections(
                List.of(gt(0, 0, 0, 10, 10)),
                List.of(
                        new Detection(0, "a", 0.3f, new Box(50, 50, 10, 10)),
                        new Detection(0, "a", 0.9f, new Box(0, 0, 10, 10))));

        DetectionReport report = evaluator.evaluate();

        assertThat(report.map50()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void shouldExcludeClassesWithoutGroundTruth() {
        DetectionEvaluator evaluator = new DetectionEvaluator();
        evaluator.addImage(
                List.of(gt(0, 0, 0, 10, 10)),
                List.of(
                        pred(0, 0.9, 0, 0, 10, 10),
                        pred(7, 0.95, 0, 0, 10, 10),
                        pred(7, 0.9, 30, 30, 5, 5)));

        DetectionReport report = evaluator.evaluate();

        assertThat(report.apPerClass()).containsOnlyKeys(0);
        assertThat(report.map()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void shouldScoreZeroForAClassThatIsNeverPredicted() {
        DetectionEvaluator evaluator = new DetectionEvaluator();
        evaluator.addImage(
                List.of(gt(0, 0, 0, 10, 10), gt(1, 0, 0, 10, 10)),
                List.of(pred(0, 0.9, 0, 0, 10, 10)));

        DetectionReport report = evaluator.evaluate();

        assertThat(report.apPerClass().get(0)).isCloseTo(1.0, within(1e-12));
        assertThat(report.apPerClass().get(1)).isEqualTo(0.0);
        assertThat(report.map()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldReportMinusOneWithoutAnyGroundTruth() {
        DetectionEvaluator evaluator = new DetectionEvaluator();
        evaluator.addImage(List.of(), List.of(pred(0, 0.9, 0, 0, 10, 10)));

        DetectionReport report = evaluator.evaluate();

        assertThat(report.map()).isEqualTo(-1);
    }

    @Test
    void shouldKeepOnlyTheBestScoredPredictionsPerImageAndClass() {
        // Three predictions, maxDetections 2: the best two are misses, so the hit is cut and AP is
        // 0.
        DetectionEvaluator evaluator = new DetectionEvaluator(2);
        evaluator.addImage(
                List.of(gt(0, 0, 0, 10, 10)),
                List.of(
                        pred(0, 0.5, 0, 0, 10, 10),
                        pred(0, 0.9, 50, 50, 5, 5),
                        pred(0, 0.8, 70, 70, 5, 5)));

        DetectionReport report = evaluator.evaluate();

        assertThat(report.map50()).isEqualTo(0.0);
    }

    /**
     * Random scenes: truths jittered into predictions, plus misses and spurious boxes, three
     * classes.
     */
    static List<List<List<double[]>>> randomScenes(long seed) {
        Random random = new Random(seed);
        List<List<List<double[]>>> scenes = new ArrayList<>();
        for (int image = 0; image < 12; image++) {
            List<double[]> truths = new ArrayList<>();
            List<double[]> preds = new ArrayList<>();
            int objects = random.nextInt(6);
            for (int o = 0; o < objects; o++) {
                double cls = random.nextInt(3);
                double x = random.nextInt(80);
                double y = random.nextInt(80);
                double w = 4 + random.nextInt(30);
                double h = 4 + random.nextInt(30);
                truths.add(new double[] {cls, x, y, w, h});
                if (random.nextDouble() < 0.8) {
                    double jitter = random.nextInt(9) * 0.5;
                    preds.add(
                            new double[] {
                                cls,
                                random.nextInt(1000) / 1000.0,
                                x + jitter,
                                y - jitter / 2,
                                w,
                                h + jitter
                            });
                }
            }
            int spurious = random.nextInt(4);
            for (int s = 0; s < spurious; s++) {
                preds.add(
                        new double[] {
                            random.nextInt(3),
                            random.nextInt(1000) / 1000.0,
                            random.nextInt(90),
                            random.nextInt(90),
                            2 + random.nextInt(20),
                            2 + random.nextInt(20)
                        });
            }
            scenes.add(List.of(truths, preds));
        }
        return scenes;
    }

    /**
     * Harder scenes: scores on a 0.1 grid (many ties), duplicate predictions of one object, and one
     * image with 130 predictions of one class so the 100-per-image cut applies.
     */
    static List<List<List<double[]>>> crowdedScenes(long seed) {
        Random random = new Random(seed);
        List<List<List<double[]>>> scenes = new ArrayList<>();
        for (int image = 0; image < 8; image++) {
            List<double[]> truths = new ArrayList<>();
            List<double[]> preds = new ArrayList<>();
            int objects = random.nextInt(9);
            for (int o = 0; o < objects; o++) {
                double cls = random.nextInt(2);
                double x = random.nextInt(60);
                double y = random.nextInt(60);
                double w = 5 + random.nextInt(25);
                double h = 5 + random.nextInt(25);
                truths.add(new double[] {cls, x, y, w, h});
                int copies = random.nextInt(3);
                for (int c = 0; c < copies; c++) {
                    double dx = random.nextInt(7) - 3;
                    double dy = random.nextInt(7) - 3;
                    preds.add(
                            new double[] {
                                cls, (1 + random.nextInt(9)) / 10.0, x + dx, y + dy, w, h
                            });
                }
            }
            int extra = image == 3 ? 130 : random.nextInt(5);
            for (int e = 0; e < extra; e++) {
                preds.add(
                        new double[] {
                            image == 3 ? 0 : random.nextInt(2),
                            (1 + random.nextInt(9)) / 10.0,
                            random.nextInt(80),
                            random.nextInt(80),
                            3 + random.nextInt(20),
                            3 + random.nextInt(20)
                        });
            }
            scenes.add(List.of(truths, preds));
        }
        return scenes;
    }

    private static DetectionReport evaluateScenes(List<List<List<double[]>>> scenes) {
        DetectionEvaluator evaluator = new DetectionEvaluator();
        for (List<List<double[]>> scene : scenes) {
            List<GroundTruthBox> truths = new ArrayList<>();
            for (double[] t : scene.get(0)) {
                truths.add(gt((int) t[0], t[1], t[2], t[3], t[4]));
            }
            List<PredictedBox> preds = new ArrayList<>();
            for (double[] p : scene.get(1)) {
                preds.add(pred((int) p[0], p[1], p[2], p[3], p[4], p[5]));
            }
            evaluator.addImage(truths, preds);
        }
        return evaluator.evaluate();
    }

    @Test
    void shouldAgreeWithPycocotoolsOnTiesDuplicatesAndTheDetectionCut() {
        // Expected values computed by pycocotools 2.0.11 COCOeval (bbox) on the same scenes.
        DetectionReport report = evaluateScenes(crowdedScenes(7L));

        assertThat(report.map()).isCloseTo(CROWDED_MAP, within(1e-12));
        assertThat(report.map50()).isCloseTo(CROWDED_MAP50, within(1e-12));
        assertThat(report.map75()).isCloseTo(CROWDED_MAP75, within(1e-12));
    }

    private static final double CROWDED_MAP = 0.10949440383443527;
    private static final double CROWDED_MAP50 = 0.22052515146727822;
    private static final double CROWDED_MAP75 = 0.08321913573090331;

    @Test
    void shouldAgreeWithPycocotoolsOnRandomScenes() {
        // Expected values computed by pycocotools 2.0.11 COCOeval (bbox) on the same scenes.
        DetectionReport report = evaluateScenes(randomScenes(20261129L));

        assertThat(report.map()).isCloseTo(EXPECTED_MAP, within(1e-12));
        assertThat(report.map50()).isCloseTo(EXPECTED_MAP50, within(1e-12));
        assertThat(report.map75()).isCloseTo(EXPECTED_MAP75, within(1e-12));
    }

    private static final double EXPECTED_MAP = 0.22927392739273925;
    private static final double EXPECTED_MAP50 = 0.4130913091309131;
    private static final double EXPECTED_MAP75 = 0.24422442244224424;

    private static GroundTruthBox gt(int cls, double x, double y, double w, double h) {
        return new GroundTruthBox(cls, new Box(x, y, w, h));
    }

    private static PredictedBox pred(
            int cls, double score, double x, double y, double w, double h) {
        return new PredictedBox(cls, score, new Box(x, y, w, h));
    }
}
