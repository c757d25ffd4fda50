package io.streamtune.trainer.gate;

/**
 * A metric that is the mean of one number per gate sample (e.g. a stylization model's gain on each
 * held-out content image).
 */
public final class MeanScores implements SampleScores {

    private final double[] values;

    public MeanScores(double[] values) {
        this.values = values.clone();
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public double metric(int[] sample) {
        if (values.length == 0 || (sample != null && sample.length == 0)) {
            return Double.NaN;
        }
        double s = 0;
        if (sample == null) {
            for (double v : values) {
                s += v;
            }
            return s / values.length;
        }
        for (int i : sample) {
            s += values[i];
        }
        return s / sample.length;
    }

    @Override
    public boolean hasGroundTruth() {
        return values.length > 0;
    }
}
