package io.streamtune.trainer.gate;

import java.util.List;

/**
 * Segmentation results: each gate image's pixel confusion matrix (ignored pixels not counted). Mean
 * IoU of a resample is computed from the sum of its images' matrices, over the classes present in
 * truth or prediction, as {@link io.streamtune.vision.metrics.SegmentationEvaluator} does.
 */
public final class PixelConfusions implements SampleScores {

    private final int classes;
    private final List<long[]> images;

    /**
     * {@code images}: per image, a row-major classes x classes matrix (truth row, prediction
     * column).
     */
    public PixelConfusions(int classes, List<long[]> images) {
        this.classes = classes;
        this.images = List.copyOf(images);
        for (long[] m : this.images) {
            if (m.length != classes * classes) {
                throw new IllegalArgumentException(
                        "confusion matrix of " + m.length + " cells for " + classes + " classes");
            }
        }
    }

    /** One image's confusion matrix from its truth (255 = ignore) and predicted labels. */
    public static long[] confusion(int classes, int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(
                    "truth has " + truth.length + " pixels, prediction " + predicted.length);
        }
        long[] m = new long[classes * classes];
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            int p = predicted[i];
            if (t < 0 || t >= classes) {
                continue; // ignored
            }
            if (p < 0 || p >= classes) {
                throw new IllegalArgumentException(
                        "pixel " + i + ": predicted " + p + " outside 0.." + (classes - 1));
            }
            m[t * classes + p]++;
        }
        return m;
    }

    @Override
    public int size() {
        return images.size();
    }

    private long[] sum(int[] sample) {
        int n = sample == null ? images.size() : sample.length;
        long[] sum = new long[classes * classes];
        for (int k = 0; k < n; k++) {
            long[] m = images.get(sample == null ? k : sample[k]);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += m[i];
            }
        }
        return sum;
    }

    /** IoU per class with ground-truth pixels in the resample. */
    @Override
    public java.util.Map<Integer, Double> perClass(int[] sample) {
        java.util.Map<Integer, Double> out = new java.util.TreeMap<>();
        long[][] stats = classStats(sum(sample));
        for (int c = 0; c < classes; c++) {
            if (stats[c][1] > 0) {
                out.put(c, (double) stats[c][0] / stats[c][3]);
            }
        }
        return out;
    }

    @Override
    public double metric(int[] sample) {
        long[][] stats = classStats(sum(sample));
        double iouSum = 0;
        int present = 0;
        long total = 0;
        for (int c = 0; c < classes; c++) {
            total += stats[c][1];
            if (stats[c][3] > 0) {
                iouSum += (double) stats[c][0] / stats[c][3];
                present++;
            }
        }
        return total == 0 || present == 0 ? Double.NaN : iouSum / present;
    }

    /** Per class: true positives, truth pixels (row), predicted pixels (column), union. */
    private long[][] classStats(long[] sum) {
        long[][] out = new long[classes][4];
        for (int c = 0; c < classes; c++) {
            long tp = sum[c * classes + c];
            long row = 0;
            long column = 0;
            for (int k = 0; k < classes; k++) {
                row += sum[c * classes + k];
                column += sum[k * classes + c];
            }
            out[c] = new long[] {tp, row, column, row + column - tp};
        }
        return out;
    }

    @Override
    public boolean hasGroundTruth() {
        for (long[] m : images) {
            for (long v : m) {
                if (v > 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
