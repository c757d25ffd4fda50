package io.streamtune.inference.model;

import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.ModelSwapReported.Outcome;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.vision.artifact.ArtifactException;
import io.streamtune.vision.artifact.ArtifactStore;
import io.streamtune.vision.model.ModelLoadException;
import io.streamtune.vision.model.ModelRunner;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a published version into the serving one: fetch the artifact, verify its SHA-256, load and
 * warm up the session, then install it in the {@link ModelSlot}. Any failure leaves the serving
 * version untouched and is logged, counted and reported. Runs on the caller's thread (the model
 * follower's), never on the frame pipeline's.
 */
public final class ModelSwapper {

    private static final Logger log = LoggerFactory.getLogger(ModelSwapper.class);

    private final String instance;
    private final ArtifactStore store;
    private final String verb;
    private final io.streamtune.runtime.AnnouncementSigner verifier;
    private final RunnerOptions runnerOptions;
    private final ModelSlot slot;
    private final InferenceMetrics metrics;
    private final Consumer<ModelSwapReported> reports;
    private final Clock clock;

    /**
     * @param instance instance id named in reports
     * @param reports where swap reports go (the inference events topic); an {@code instance} ending
     *     in {@code -shadow} loads candidates into a shadow slot and logs "shadowing"
     */
    public ModelSwapper(
            String instance,
            ArtifactStore store,
            RunnerOptions runnerOptions,
            ModelSlot slot,
            InferenceMetrics metrics,
            Consumer<ModelSwapReported> reports,
            Clock clock) {
        this(instance, store, runnerOptions, slot, metrics, reports, clock, null);
    }

    /**
     * A swapper that refuses announcements not signed by {@code verifier} (null: accepts unsigned
     * ones).
     */
    public ModelSwapper(
            String instance,
            ArtifactStore store,
            RunnerOptions runnerOptions,
            ModelSlot slot,
            InferenceMetrics metrics,
            Consumer<ModelSwapReported> reports,
            Clock clock,
            io.streamtune.runtime.AnnouncementSigner verifier) {
        this.verifier = verifier;
        this.instance = Objects.requireNonNull(instance, "instance");
        this.verb = instance.endsWith("-shadow") ? "shadowing" : "serving";
        this.store = Objects.requireNonNull(store, "store");
        this.runnerOptions = Objects.requireNonNull(runnerOptions, "runnerOptions");
        this.slot = Objects.requireNonNull(slot, "slot");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Tries to serve {@code published}; returns the report, which has also been sent. */
    public ModelSwapReported swapTo(ModelPublished published) {
        String what = published.model() + " v" + published.version();
        long started = System.nanoTime();
        if (verifier != null && !verifier.verify(published)) {
            return failed(
                    published,
                    Outcome.SIGNATURE_INVALID,
                    published.signature() == null
                            ? "announcement is not signed (models.signing.key is set here)"
                            : "announcement signature does not match models.signing.key");
        }
        try {
            runnerOptions.checkSize(published.artifact().uri(), published.artifact().sizeBytes());
        } catch (ModelLoadException e) {
            return failed(
                    published,
                    Outcome.LOAD_FAILED,
                    e.getMessage() + " (inference.model.max.bytes)");
        }
        byte[] bytes;
        try {
            bytes = store.fetch(published.artifact());
        } catch (ArtifactException e) {
            Outcome outcome =
                    e.reason() == ArtifactException.Reason.CHECKSUM_MISMATCH
                            ? Outcome.CHECKSUM_MISMATCH
                            : Outcome.DOWNLOAD_FAILED;
            return failed(published, outcome, e.getMessage());
        }
        ModelRunner runner = null;
        try {
            runner =
                    OnnxModelRunner.load(
                            bytes,
                            published.model() + "-v" + published.version(),
                            runnerOptions,
                            ModelSpecOverrides.NONE);
            runner.warmUp();
        } catch (ModelLoadException | RuntimeException e) {
            if (runner != null) {
                runner.close();
            }
            return failed(published, Outcome.LOAD_FAILED, e.getMessage());
        }
        int previous = slot.servingVersion();
        slot.install(
                new ServingModel(
                        published.model(),
                        published.version(),
                        runner,
                        false,
                        published.lineage() == null || published.lineage().drift() == null
                                ? null
                                : published.lineage().drift().embedding()));
        metrics.serving(published.version(), previous != 0);
        log.info(
                "{} {} (was v{}){}, fetched, verified, loaded and warmed up in {} ms",
                verb,
                what,
                previous,
                published.isRollback() ? " as a rollback" : "",
                (System.nanoTime() - started) / 1_000_000);
        if (published.isRollback()) {
            metrics.rolledBack();
        }
        return report(
                new ModelSwapReported(
                        instance,
                        published.model(),
                        published.version(),
                        Outcome.SWAPPED,
                        published.isRollback()
                                ? "rollback from v"
                                        + published.promotion().fromVersion()
                                        + " ("
                                        + published.promotion().by().name().toLowerCase(Locale.ROOT)
                                        + "): "
                                        + published.promotion().reason()
                                : null,
                        published.version(),
                        clock.instant()));
    }

    private ModelSwapReported failed(ModelPublished published, Outcome outcome, String detail) {
        int serving = slot.servingVersion();
        log.error(
                "refused {} v{} ({}): {}; still serving {}",
                published.model(),
                published.version(),
                outcome.name().toLowerCase(Locale.ROOT),
                detail,
                serving == 0 ? "nothing" : "v" + serving);
        metrics.swapFailed(outcome.name().toLowerCase(Locale.ROOT));
        return report(
                new ModelSwapReported(
                        instance,
                        published.model(),
                        published.version(),
                        outcome,
                        detail,
                        serving,
                        clock.instant()));
    }

    private ModelSwapReported report(ModelSwapReported report) {
        try {
            reports.accept(report);
        } catch (RuntimeException e) {
            log.warn(
                    "cannot report swap of {} v{}: {}",
                    report.model(),
                    report.version(),
                    e.toString());
        }
        return report;
    }
}
