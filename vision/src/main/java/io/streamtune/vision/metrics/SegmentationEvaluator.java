package io.streamtune.vision.metrics;

import io.streamtune.vision.mask.LabelMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates a pixel confusion matrix over images and reports mean IoU and pixel accuracy;
 * ground-truth pixels equal to the ignore index (255 by convention) are not counted. Not
 * thread-safe.
 */
public final class SegmentationEvaluator {

    /** The conventional "don't care" label of VOC/Cityscapes-style masks. */
    public static final int DEFAULT_IGNORE_INDEX = 255;

    private final int numClasses;
    private final int ignoreIndex;
    private final long[][] confusion;

    public SegmentationEvaluator(int numClasses, int ignoreIndex) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be positive: " + numClasses);
        }
        if (ignoreIndex >= 0 && ignoreIndex < numClasses) {
            throw new IllegalArgumentException("ignoreIndex " + ignoreIndex + " is a real class");
        }
        this.numClasses = numClasses;
        this.ignoreIndex = ignoreIndex;
        this.confusion = new long[numClasses][numClasses];
    }

    public SegmentationEvaluator(int numClasses) {
        this(numClasses, DEFAULT_IGNORE_INDEX);
    }

    /** Adds one image's ground-truth and predicted label maps, which must have the same size. */
    public void add(LabelMap truth, LabelMap predicted) {
        if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
            throw new IllegalArgumentException(
                    "truth is "
                            + truth.width()
                            + "x"
                            + truth.height()
                            + ", prediction "
                            + predicted.width()
                            + "x"
                            + predicted.height());
        }
        add(truth.labels(), predicted.labels());
    }

    /** Adds one image's row-major ground truth and prediction of equal size. */
    public void add(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(
                    "truth has " + truth.length + " pixels, prediction " + predicted.length);
        }
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            if (t == ignoreIndex) {
                continue;
            }
            int p = predicted[i];
            if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
                throw new IllegalArgumentException(
                        "pixel "
                                + i
                                + ": truth "
                                + t
                                + ", predicted "
                                + p
                                + " outside 0.."
                                + (numClasses - 1));
            }
            confusion[t][p]++;
        }
    }

    public SegmentationReport report() {
        List<Double> ious = new ArrayList<>();
        double iouSum = 0;
        int present = 0;
        long correct = 0;
        long total = 0;
        for (int c = 0; c < numClasses; c++) {
            long tp = confusion[c][c];
            long rowSum = 0;
            long columnSum = 0;
            for (int k = 0; k < numClasses; k++) {
                rowSum += confusion[c][k];
                columnSum += confusion[k][c];
            }
            long union = rowSum + columnSum - tp;
            correct += tp;
            total += rowSum;
            if (union == 0) {
                ious.add(Double.NaN);
            } else {
                double iou = (double) tp / union;
                ious.add(iou);
                iouSum += iou;
                present++;
            }
        }
        return new SegmentationReport(
                present == 0 ? Double.NaN : iouSum / present,
                total == 0 ? Double.NaN : (double) correct / total,
                ious,
                total);
    }
}
