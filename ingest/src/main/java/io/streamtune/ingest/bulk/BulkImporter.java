package io.streamtune.ingest.bulk;

import io.streamtune.contracts.Label;
import io.streamtune.ingest.accept.Acceptance;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.Origin;
import io.streamtune.ingest.accept.Submission;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import io.streamtune.ingest.validate.SampleValidator;
import io.streamtune.vision.image.ImageInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a dataset through the {@link Acceptor}: every entry is validated, written durably or
 * dead-lettered. Resumable by construction: the acceptor's index is loaded from the labelled topic,
 * so a re-run (after completion, a failure, or kill -9) skips every sample already in with the same
 * label and writes only the rest; nothing accepted is lost and nothing is written twice.
 */
public final class BulkImporter {

    private static final Logger log = LoggerFactory.getLogger(BulkImporter.class);

    private final Acceptor acceptor;
    private final SampleValidator validator;
    private final PrintStream progress;
    private final long progressEveryNanos;

    /**
     * @param validator used for the header probe that sizes labels (the acceptor validates fully)
     * @param progress where progress lines go (e.g. {@code System.err}); null for none
     */
    public BulkImporter(Acceptor acceptor, SampleValidator validator, PrintStream progress) {
        this.acceptor = acceptor;
        this.validator = validator;
        this.progress = progress;
        this.progressEveryNanos = TimeUnit.SECONDS.toNanos(2);
    }

    /** Runs the import; fails only when the dataset cannot be read at all. */
    public ImportReport run(ImportRequest request) throws DatasetFormatException {
        List<DatasetItem> items = request.read();
        long start = System.nanoTime();
        Semaphore window = new Semaphore(request.inFlight());
        AtomicLong accepted = new AtomicLong();
        AtomicLong relabelled = new AtomicLong();
        AtomicLong unchanged = new AtomicLong();
        AtomicLong done = new AtomicLong();
        Map<String, Long> rejected = new ConcurrentHashMap<>();
        AtomicReference<String> failure = new AtomicReference<>();
        long nextProgress = start + progressEveryNanos;
        print(
                "import %s: %d entries from %s (%s)",
                request.model(), items.size(), request.root(), request.format());
        for (int i = 0; i < items.size() && failure.get() == null; i++) {
            pace(request.maxRate(), start, i);
            try {
                window.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, "interrupted");
                break;
            }
            CompletableFuture<Acceptance> outcome;
            try {
                outcome = submit(request, items.get(i));
            } catch (RuntimeException e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            outcome.whenComplete(
                    (o, e) -> {
                        try {
                            if (e != null) {
                                failure.compareAndSet(null, "Kafka write failed: " + e);
                                return;
                            }
                            switch (o.status()) {
                                case ACCEPTED -> accepted.incrementAndGet();
                                case RELABELLED -> relabelled.incrementAndGet();
                                case UNCHANGED -> unchanged.incrementAndGet();
                                case REJECTED -> rejected.merge(o.reason().tag(), 1L, Long::sum);
                            }
                        } finally {
                            done.incrementAndGet();
                            // Released last, so the final acquire of every permit sees every count.
                            window.release();
                        }
                    });
            if (System.nanoTime() >= nextProgress) {
                nextProgress = System.nanoTime() + progressEveryNanos;
                progressLine(
                        request,
                        items.size(),
                        done.get(),
                        accepted.get(),
                        relabelled.get(),
                        unchanged.get(),
                        rejected,
                        start);
            }
        }
        try {
            window.acquire(request.inFlight());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, "interrupted");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var report =
                new ImportReport(
                        items.size(),
                        accepted.get(),
                        relabelled.get(),
                        unchanged.get(),
                        rejected,
                        seconds,
                        failure.get());
        progressLine(
                request,
                items.size(),
                done.get(),
                accepted.get(),
                relabelled.get(),
                unchanged.get(),
                rejected,
                start);
        if (report.completed()) {
            print(
                    "import %s done: %d accepted, %d relabelled, %d already in, %d rejected %s in %.1f s",
                    request.model(),
                    report.accepted(),
                    report.relabelled(),
                    report.unchanged(),
                    report.rejectedTotal(),
                    rejected,
                    seconds);
        } else {
            print(
                    "import %s stopped: %s; run it again to resume (what is in is skipped)",
                    request.model(), report.failure());
        }
        return report;
    }

    private CompletableFuture<Acceptance> submit(ImportRequest request, DatasetItem item) {
        String model = request.model();
        Origin origin =
                new Origin(
                        "import",
                        "import",
                        -1,
                        -1,
                        item.source().getBytes(StandardCharsets.UTF_8),
                        null);
        if (item.problem() != null) {
            return acceptor.reject(origin, item.problem(), item.source() + ": " + item.detail());
        }
        byte[] bytes;
        try {
            // Links are resolved: a file that really lives outside the dataset folder, or is not a
            // regular file, is refused unread, so an import cannot copy other files into the DLQ.
            java.nio.file.Path real = item.image().toRealPath();
            java.nio.file.Path root = request.root().toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real)) {
                return acceptor.reject(
                        origin,
                        RejectReason.OUTSIDE_DATASET,
                        item.source()
                                + ": refused, not a regular file inside the dataset folder "
                                + request.root());
            }
            long size = Files.size(real);
            if (size > validator.maxImageBytes()) {
                return acceptor.reject(
                        origin,
                        RejectReason.TOO_LARGE,
                        item.source()
                                + ": "
                                + size
                                + " bytes, limit is "
                                + validator.maxImageBytes()
                                + " (not read)");
            }
            bytes = Files.readAllBytes(real);
        } catch (IOException e) {
            return acceptor.reject(
                    origin, RejectReason.MISSING_FILE, item.source() + ": cannot read: " + e);
        }
        Origin withImage = new Origin("import", "import", -1, -1, origin.key(), bytes);
        Label label;
        try {
            ImageInfo info = validator.probe(bytes);
            label = item.labels().make(info.width(), info.height());
        } catch (SampleRejectedException e) {
            return acceptor.reject(withImage, e.reason(), item.source() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return acceptor.reject(
                    withImage, RejectReason.BAD_LABEL, item.source() + ": " + e.getMessage());
        }
        // No original value: a dead letter then carries the entry as intake JSON, label included.
        return acceptor.submit(
                new Submission(model, bytes, label, "import:" + item.source(), origin));
    }

    private static void pace(double maxRate, long start, int index) {
        if (maxRate <= 0) {
            return;
        }
        long due = start + (long) (index / maxRate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void progressLine(
            ImportRequest r,
            int total,
            long done,
            long accepted,
            long relabelled,
            long unchanged,
            Map<String, Long> rejected,
            long start) {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        print(
                "import %s: %d/%d (%d%%) accepted %d, relabelled %d, already in %d, rejected %d, %.0f/s",
                r.model(),
                done,
                total,
                total == 0 ? 100 : done * 100 / total,
                accepted,
                relabelled,
                unchanged,
                rejected.values().stream().mapToLong(Long::longValue).sum(),
                done / seconds);
    }

    private void print(String format, Object... args) {
        if (progress != null) {
            progress.println(String.format(java.util.Locale.ROOT, format, args));
            progress.flush();
        } else {
            log.info(String.format(java.util.Locale.ROOT, format, args));
        }
    }
}
