package io.streamtune.vision.metrics;

import io.streamtune.contracts.Box;
import io.streamtune.vision.decode.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * COCO box mAP computed the way pycocotools' {@code COCOeval} does for {@code iouType="bbox"}, area
 * range "all", no crowd annotations.
 *
 * <p>Per image and class, predictions are sorted by descending score (stable) and cut to {@code
 * maxDetections}; at each IoU threshold t in 0.50:0.05:0.95 each prediction in turn takes the
 * still-unmatched ground truth with the highest IoU ≥ t (on equal IoU the later one). Per class,
 * all images' predictions are sorted by score (stable, in image order), precision/recall curves are
 * built from cumulative true/false positives, precision is made monotone (running maximum from the
 * right) and sampled at 101 recall points (0:0.01:1, first point with recall ≥ r, 0 past the last).
 * Classes without ground truth are excluded; predictions of such classes are ignored.
 *
 * <p>Collects images one by one; not thread-safe.
 */
public final class DetectionEvaluator {

    /** COCO's maximum detections per image (and class) for the headline AP. */
    public static final int COCO_MAX_DETECTIONS = 100;

    private static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    private static final double[] RECALL_THRESHOLDS = linspace(0.0, 1.0, 101);
    // numpy's np.spacing(1), the epsilon pycocotools adds to precision denominators.
    private static final double EPS = Math.ulp(1.0);

    private final int maxDetections;
    private final List<List<GroundTruthBox>> truths = new ArrayList<>();
    private final List<List<PredictedBox>> predictions = new ArrayList<>();

    public DetectionEvaluator(int maxDetections) {
        if (maxDetections <= 0) {
            throw new IllegalArgumentException("maxDetections must be positive: " + maxDetections);
        }
        this.maxDetections = maxDetections;
    }

    public DetectionEvaluator() {
        this(COCO_MAX_DETECTIONS);
    }

    /** Adds one image's ground truth and predictions (either may be empty). */
    public void addImage(List<GroundTruthBox> imageTruths, List<PredictedBox> imagePredictions) {
        truths.add(List.copyOf(imageTruths));
        predictions.add(List.copyOf(imagePredictions));
    }

    /** Adds one image's ground truth and decoded detections. */
    public void addDetections(List<GroundTruthBox> imageTruths, List<Detection> detections) {
        List<PredictedBox> predicted = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            predicted.add(PredictedBox.of(d));
        }
        addImage(imageTruths, predicted);
    }

    public DetectionReport evaluate() {
        return matches().report(null);
    }

    /**
     * Every image's predictions matched to its ground truth, once; {@link Matches#report} then
     * scores any multiset of the images (a bootstrap resample) without matching again.
     */
    public Matches matches() {
        List<Map<Integer, ClassMatches>> images = new ArrayList<>(truths.size());
        for (int image = 0; image < truths.size(); image++) {
            images.add(matchImage(truths.get(image), predictions.get(image)));
        }
        return new Matches(images);
    }

    /** One image's predictions of one class: scores (descending) and matches per threshold. */
    private record ClassMatches(double[] scores, boolean[][] matched, int groundTruths) {}

    /** Matched images; immutable, shareable between threads. */
    public static final class Matches {

        private final List<Map<Integer, ClassMatches>> images;

        private Matches(List<Map<Integer, ClassMatches>> images) {
            this.images = List.copyOf(images);
        }

        /** Number of images. */
        public int images() {
            return images.size();
        }

        /** Ground-truth objects over all images. */
        public int groundTruths() {
            int n = 0;
            for (Map<Integer, ClassMatches> m : images) {
                for (ClassMatches c : m.values()) {
                    n += c.groundTruths();
                }
            }
            return n;
        }

        /**
         * The report over {@code sample} (image indices, repeats allowed, in that order), or over
         * every image when null.
         */
        public DetectionReport report(int[] sample) {
            int n = sample == null ? images.size() : sample.length;
            TreeSet<Integer> classes = new TreeSet<>();
            for (int k = 0; k < n; k++) {
                images.get(sample == null ? k : sample[k])
                        .forEach(
                                (c, m) -> {
                                    if (m.groundTruths() > 0) {
                                        classes.add(c);
                                    }
                                });
            }
            Map<Integer, Double> ap = new TreeMap<>();
            Map<Integer, Double> ap50 = new TreeMap<>();
            double sumAll = 0;
            double sum50 = 0;
            double sum75 = 0;
            for (int classId : classes) {
                double[] apByThreshold = averagePrecision(classId, sample, n);
                double mean = Arrays.stream(apByThreshold).average().orElseThrow();
                ap.put(classId, mean);
                ap50.put(classId, apByThreshold[0]);
                sumAll += mean;
                sum50 += apByThreshold[0];
                sum75 += apByThreshold[5];
            }
            int c = classes.size();
            return c == 0
                    ? new DetectionReport(-1, -1, -1, ap, ap50, n)
                    : new DetectionReport(sumAll / c, sum50 / c, sum75 / c, ap, ap50, n);
        }

        private double[] averagePrecision(int classId, int[] sample, int n) {
            int thresholds = IOU_THRESHOLDS.length;
            List<Double> scores = new ArrayList<>();
            List<boolean[]> matched = new ArrayList<>();
            int groundTruths = 0;
            for (int k = 0; k < n; k++) {
                ClassMatches m = images.get(sample == null ? k : sample[k]).get(classId);
                if (m == null) {
                    continue;
                }
                groundTruths += m.groundTruths();
                for (int d = 0; d < m.scores().length; d++) {
                    scores.add(m.scores()[d]);
                    matched.add(m.matched()[d]);
                }
            }
            int nd = scores.size();
            Integer[] order = new Integer[nd];
            for (int i = 0; i < nd; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> -scores.get(i)));
            double[] result = new double[thresholds];
            double[] precision = new double[nd];
            double[] recall = new double[nd];
            for (int t = 0; t < thresholds; t++) {
                double tp = 0;
                double fp = 0;
                for (int i = 0; i < nd; i++) {
                    if (matched.get(order[i])[t]) {
                        tp++;
                    } else {
                        fp++;
                    }
                    recall[i] = tp / groundTruths;
                    precision[i] = tp / (fp + tp + EPS);
                }
                for (int i = nd - 1; i > 0; i--) {
                    if (precision[i] > precision[i - 1]) {
                        precision[i - 1] = precision[i];
                    }
                }
                double sum = 0;
                int i = 0;
                for (double r : RECALL_THRESHOLDS) {
                    while (i < nd && recall[i] < r) {
                        i++;
                    }
                    if (i >= nd) {
                        break;
                    }
                    sum += precision[i];
                }
                result[t] = sum / RECALL_THRESHOLDS.length;
            }
            return result;
        }
    }

    /** Matches one image's predictions to its ground truth, class by class, at every threshold. */
    private Map<Integer, ClassMatches> matchImage(
            List<GroundTruthBox> imageTruths, List<PredictedBox> imagePredictions) {
        TreeSet<Integer> classes = new TreeSet<>();
        imageTruths.forEach(g -> classes.add(g.classId()));
        imagePredictions.forEach(p -> classes.add(p.classId()));
        Map<Integer, ClassMatches> out = new TreeMap<>();
        int thresholds = IOU_THRESHOLDS.length;
        for (int classId : classes) {
            List<Box> gts = new ArrayList<>();
            for (GroundTruthBox g : imageTruths) {
                if (g.classId() == classId) {
                    gts.add(g.box());
                }
            }
            List<PredictedBox> dts = new ArrayList<>();
            for (PredictedBox p : imagePredictions) {
                if (p.classId() == classId) {
                    dts.add(p);
                }
            }
            dts.sort(Comparator.comparingDouble(p -> -p.score()));
            if (dts.size() > maxDetections) {
                dts = dts.subList(0, maxDetections);
            }
            double[][] ious = new double[dts.size()][gts.size()];
            for (int d = 0; d < dts.size(); d++) {
                for (int g = 0; g < gts.size(); g++) {
                    ious[d][g] = dts.get(d).box().iou(gts.get(g));
                }
            }
            boolean[][] dtMatched = new boolean[dts.size()][thresholds];
            for (int t = 0; t < thresholds; t++) {
                boolean[] gtTaken = new boolean[gts.size()];
                for (int d = 0; d < dts.size(); d++) {
                    double best = Math.min(IOU_THRESHOLDS[t], 1 - 1e-10);
                    int m = -1;
                    for (int g = 0; g < gts.size(); g++) {
                        if (gtTaken[g] || ious[d][g] < best) {
                            continue;
                        }
                        best = ious[d][g];
                        m = g;
                    }
                    if (m >= 0) {
                        gtTaken[m] = true;
                        dtMatched[d][t] = true;
                    }
                }
            }
            double[] scores = new double[dts.size()];
            for (int d = 0; d < dts.size(); d++) {
                scores[d] = dts.get(d).score();
            }
            out.put(classId, new ClassMatches(scores, dtMatched, gts.size()));
        }
        return out;
    }

    /** numpy.linspace's arithmetic: start + i * step, with the last value exactly stop. */
    private static double[] linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] out = new double[num];
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }
}
