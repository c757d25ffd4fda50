package io.streamtune.vision.metrics;

import io.streamtune.vision.decode.Box;
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
        TreeSet<Integer> classes = new TreeSet<>();
        truths.forEach(list -> list.forEach(g -> classes.add(g.classId())));
        Map<Integer, Double> ap = new TreeMap<>();
        Map<Integer, Double> ap50 = new TreeMap<>();
        double sumAll = 0;
        double sum50 = 0;
        double sum75 = 0;
        for (int classId : classes) {
            double[] apByThreshold = evaluateClass(classId);
            double mean = Arrays.stream(apByThreshold).average().orElseThrow();
            ap.put(classId, mean);
            ap50.put(classId, apByThreshold[0]);
            sumAll += mean;
            sum50 += apByThreshold[0];
            sum75 += apByThreshold[5];
        }
        int n = classes.size();
        return n == 0
                ? new DetectionReport(-1, -1, -1, ap, ap50, truths.size())
                : new DetectionReport(sumAll / n, sum50 / n, sum75 / n, ap, ap50, truths.size());
    }

    /** AP at each of the 10 IoU thresholds for one class that has ground truth. */
    private double[] evaluateClass(int classId) {
        int thresholds = IOU_THRESHOLDS.length;
        List<Double> scores = new ArrayList<>();
        List<boolean[]> matched = new ArrayList<>(); // per prediction: matched at each threshold
        int groundTruths = 0;
        for (int image = 0; image < truths.size(); image++) {
            List<Box> gts = new ArrayList<>();
            for (GroundTruthBox g : truths.get(image)) {
                if (g.classId() == classId) {
                    gts.add(g.box());
                }
            }
            List<PredictedBox> dts = new ArrayList<>();
            for (PredictedBox p : predictions.get(image)) {
                if (p.classId() == classId) {
                    dts.add(p);
                }
            }
            groundTruths += gts.size();
            if (dts.isEmpty()) {
                continue;
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
            for (int d = 0; d < dts.size(); d++) {
                scores.add(dts.get(d).score());
                matched.add(dtMatched[d]);
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
