package io.streamtune.trainer.publish;

/**
 * Decides whether a candidate replaces production: it must match production plus a margin, or pass
 * a floor when first.
 */
public final class Gate {

    private final double minDelta;
    private final double floor;

    public Gate(double minDelta, double floor) {
        this.minDelta = minDelta;
        this.floor = floor;
    }

    /**
     * The decision.
     *
     * @param publish whether to publish
     * @param reason why, with both numbers
     */
    public record Decision(boolean publish, String reason) {}

    /** {@code production} is NaN when there is no comparable production model. */
    public Decision decide(String metricName, double candidate, double production) {
        if (!Double.isFinite(candidate)) {
            return new Decision(false, "candidate " + metricName + " is " + candidate);
        }
        if (Double.isNaN(production)) {
            return candidate >= floor
                    ? new Decision(
                            true,
                            String.format(
                                    "first model: %s %.4f >= floor %.4f",
                                    metricName, candidate, floor))
                    : new Decision(
                            false,
                            String.format(
                                    "first model: %s %.4f below floor %.4f",
                                    metricName, candidate, floor));
        }
        boolean ok = candidate >= production + minDelta;
        return new Decision(
                ok,
                String.format(
                        "%s %.4f %s production %.4f + min delta %.4f",
                        metricName, candidate, ok ? ">=" : "<", production, minDelta));
    }
}
