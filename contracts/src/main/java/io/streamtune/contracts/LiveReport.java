package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * One inference instance's live signals for one model version, cumulative since the instance
 * started serving it (production) or running it in shadow. Reports repeat periodically; the latest
 * per instance and version holds the totals.
 *
 * @param instance inference instance id
 * @param model model name
 * @param version the version the numbers are about
 * @param role production (serving) or shadow (a candidate beside production)
 * @param productionVersion for a shadow report, the production version it was compared with
 * @param frames frames the version ran on
 * @param failures of those, frames whose model run or output decoding failed
 * @param confidenceSum sum of per-frame confidences (top-1 probability, best box score)
 * @param confidenceCount frames with a confidence
 * @param compared shadow only: frames both versions predicted
 * @param agreementSum shadow only: sum of per-frame agreement with production
 * @param productionFailures shadow only: production's failures on the shadow frames
 * @param productionConfidenceSum shadow only: production's confidences on the compared frames
 * @param skipped shadow only: batches not run in shadow because the shadow worker was busy
 * @param since when this instance started serving or shadowing the version
 * @param at when the report was made
 */
public record LiveReport(
        String instance,
        String model,
        int version,
        Role role,
        Integer productionVersion,
        long frames,
        long failures,
        double confidenceSum,
        long confidenceCount,
        long compared,
        double agreementSum,
        long productionFailures,
        double productionConfidenceSum,
        long skipped,
        Instant since,
        Instant at) {

    /** Whether the version serves or shadows. */
    public enum Role {
        PRODUCTION,
        SHADOW
    }

    public LiveReport {
        Names.requireText(instance, "instance", 256);
        Names.requireModelName(model);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(at, "at");
    }

    /** Failures per frame, 0 with no frames. */
    public double failureRate() {
        return frames == 0 ? 0 : (double) failures / frames;
    }

    /** Mean confidence, NaN when none was measured. */
    public double meanConfidence() {
        return confidenceCount == 0 ? Double.NaN : confidenceSum / confidenceCount;
    }
}
