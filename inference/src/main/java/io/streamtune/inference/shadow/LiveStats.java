package io.streamtune.inference.shadow;

import io.streamtune.contracts.LiveReport;
import java.time.Instant;

/**
 * Cumulative live counts of one version in one role on this instance; thread-safe (the pipeline and
 * shadow threads add, the reporter reads).
 */
final class LiveStats {

    private final String model;
    private final int version;
    private final LiveReport.Role role;
    private final Integer productionVersion;
    private final Instant since;
    private long frames;
    private long failures;
    private double confidenceSum;
    private long confidenceCount;
    private long compared;
    private double agreementSum;
    private long productionFailures;
    private double productionConfidenceSum;
    private long skipped;

    LiveStats(
            String model,
            int version,
            LiveReport.Role role,
            Integer productionVersion,
            Instant since) {
        this.model = model;
        this.version = version;
        this.role = role;
        this.productionVersion = productionVersion;
        this.since = since;
    }

    int version() {
        return version;
    }

    Integer productionVersion() {
        return productionVersion;
    }

    synchronized void frame(boolean failed, double confidence) {
        frames++;
        if (failed) {
            failures++;
        }
        if (!Double.isNaN(confidence)) {
            confidenceSum += confidence;
            confidenceCount++;
        }
    }

    synchronized void compared(double agreement, double productionConfidence) {
        compared++;
        agreementSum += agreement;
        if (!Double.isNaN(productionConfidence)) {
            productionConfidenceSum += productionConfidence;
        }
    }

    synchronized void productionFailed() {
        productionFailures++;
    }

    synchronized void skipped() {
        skipped++;
    }

    synchronized boolean hasNews(long[] last) {
        long sum = frames + skipped;
        if (sum == last[0]) {
            return false;
        }
        last[0] = sum;
        return true;
    }

    synchronized LiveReport report(String instance, Instant at) {
        return new LiveReport(
                instance,
                model,
                version,
                role,
                productionVersion,
                frames,
                failures,
                confidenceSum,
                confidenceCount,
                compared,
                agreementSum,
                productionFailures,
                productionConfidenceSum,
                skipped,
                since,
                at);
    }
}
