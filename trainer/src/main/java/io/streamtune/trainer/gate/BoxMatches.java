package io.streamtune.trainer.gate;

import io.streamtune.vision.metrics.DetectionEvaluator;

/**
 * Detection results: every gate image's predictions matched to its boxes once; COCO mAP@[.5:.95] of
 * a resample is computed from the matches of its images.
 */
public final class BoxMatches implements SampleScores {

    private final DetectionEvaluator.Matches matches;

    public BoxMatches(DetectionEvaluator.Matches matches) {
        this.matches = matches;
    }

    @Override
    public int size() {
        return matches.images();
    }

    @Override
    public double metric(int[] sample) {
        double map = matches.report(sample).map();
        return map < 0 ? Double.NaN : map; // -1: no ground truth in the resample
    }

    @Override
    public java.util.Map<Integer, Double> perClass(int[] sample) {
        return matches.report(sample).apPerClass();
    }

    @Override
    public boolean hasGroundTruth() {
        return matches.groundTruths() > 0;
    }
}
