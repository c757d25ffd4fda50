package io.streamtune.contracts;

/**
 * What a candidate did in shadow beside production, summed over inference instances.
 *
 * @param frames frames the candidate ran on
 * @param compared frames both versions predicted (the agreement is over these)
 * @param agreement mean agreement with production: top-1 agreement (classification), box-match F1
 *     at IoU 0.5 (detection), pixel agreement (segmentation)
 * @param failureRate share of the candidate's frames that failed (model run or decoding)
 * @param productionFailureRate the same for production on the same frames
 * @param meanConfidence the candidate's mean confidence (top-1 probability, best box score), NaN
 *     when the task has none
 * @param productionMeanConfidence production's on the same frames
 * @param instances inference instances that reported
 */
public record ShadowEvidence(
        long frames,
        long compared,
        double agreement,
        double failureRate,
        double productionFailureRate,
        double meanConfidence,
        double productionMeanConfidence,
        int instances) {

    /** One line with the numbers. */
    public String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%d shadow frames on %d instance(s): agreement %.3f, failures %.4f (production"
                        + " %.4f), mean confidence %.3f (production %.3f)",
                frames,
                instances,
                agreement,
                failureRate,
                productionFailureRate,
                meanConfidence,
                productionMeanConfidence);
    }
}
