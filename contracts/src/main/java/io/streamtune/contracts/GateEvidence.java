package io.streamtune.contracts;

/**
 * The numbers behind one gate decision, measured on the gate split (samples that neither training
 * nor early stopping saw).
 *
 * @param metricName the gating metric (accuracy, map50_95, miou)
 * @param candidate the candidate's value
 * @param production production's value on the same samples, NaN when there is no comparable
 *     production model
 * @param difference candidate minus production, NaN when there is no production model
 * @param lower lower end of the confidence interval: of the difference when compared with
 *     production, of the candidate's metric for a first model; NaN when not computed
 * @param upper upper end of that interval
 * @param confidence the interval's confidence level, e.g. 0.95
 * @param samples gate images the numbers come from
 * @param pValue one-sided p-value of "the candidate is not better" (exact McNemar test on the
 *     discordant pairs, classification only), NaN otherwise
 * @param method how the interval was computed, in words
 * @param productionVersion the production version compared with, null when none
 */
public record GateEvidence(
        String metricName,
        double candidate,
        double production,
        double difference,
        double lower,
        double upper,
        double confidence,
        int samples,
        double pValue,
        String method,
        Integer productionVersion) {

    /** Evidence that names no production version. */
    public GateEvidence(
            String metricName,
            double candidate,
            double production,
            double difference,
            double lower,
            double upper,
            double confidence,
            int samples,
            double pValue,
            String method) {
        this(
                metricName,
                candidate,
                production,
                difference,
                lower,
                upper,
                confidence,
                samples,
                pValue,
                method,
                null);
    }

    /** The same evidence, naming the production version it was compared with. */
    public GateEvidence against(Integer version) {
        return new GateEvidence(
                metricName,
                candidate,
                production,
                difference,
                lower,
                upper,
                confidence,
                samples,
                pValue,
                method,
                version);
    }

    public GateEvidence {
        Names.requireText(metricName, "metricName", 64);
        Names.requireText(method, "method", 256);
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, was " + samples);
        }
    }

    /** One line: {@code accuracy 0.9400 vs 0.9100, diff +0.0300 95% CI [-0.0100, 0.0700], n=50}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT, "%s %.4f", metricName, candidate));
        if (!Double.isNaN(production)) {
            b.append(
                    String.format(
                            java.util.Locale.ROOT,
                            " vs production %.4f, difference %+.4f",
                            production,
                            difference));
        }
        if (!Double.isNaN(lower)) {
            b.append(
                    String.format(
                            java.util.Locale.ROOT,
                            " %.0f%% CI [%.4f, %.4f]",
                            confidence * 100,
                            lower,
                            upper));
        }
        if (!Double.isNaN(pValue)) {
            b.append(String.format(java.util.Locale.ROOT, " p=%.4f", pValue));
        }
        b.append(" n=").append(samples);
        return b.toString();
    }
}
