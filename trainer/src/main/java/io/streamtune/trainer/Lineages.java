package io.streamtune.trainer;

import io.streamtune.contracts.ModelPublished;
import io.streamtune.trainer.publish.ModelRegistry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Prints every version's lineage in one place: parent, base, dataset (fingerprint, offsets, split
 * sizes), the gate's numbers with their interval, who or what promoted it, rollbacks, and which
 * version is production according to these records.
 */
final class Lineages {

    private Lineages() {}

    static void print(
            ModelRegistry registry, String model, List<Integer> versions, PrintStream out) {
        int production = -1;
        Instant latest = Instant.MIN;
        for (int v : versions) {
            var m = registry.manifest(model, v).orElse(null);
            if (m == null) {
                continue;
            }
            Instant promoted = m.published().publishedAt();
            for (var e : m.events()) {
                if (e.kind() == ModelRegistry.Event.Kind.RESTORED && e.at().isAfter(promoted)) {
                    promoted = e.at();
                }
            }
            if (!promoted.isBefore(latest)) {
                latest = promoted;
                production = v;
            }
        }
        for (int v : versions) {
            var manifest = registry.manifest(model, v).orElse(null);
            if (manifest == null) {
                continue;
            }
            ModelPublished p = manifest.published();
            boolean serving = v == production && !lastIsRollback(manifest);
            out.printf(
                    Locale.ROOT,
                    "%s v%d%s  parent %s  %s %s=%.4f  published %s%n",
                    model,
                    v,
                    serving ? " (production)" : "",
                    p.parentVersion() == null ? "none" : "v" + p.parentVersion(),
                    p.task().wireName(),
                    p.metricName(),
                    p.metricValue(),
                    p.publishedAt());
            if (p.lineage() != null) {
                var l = p.lineage();
                out.printf(
                        Locale.ROOT,
                        "  base %s; data %d train / %d selection / %d gate, dataset %s, offsets %s,"
                                + " settings %s%n",
                        l.base(),
                        l.trainSamples(),
                        l.selectionSamples(),
                        l.gateSamples(),
                        l.datasetFingerprint().substring(0, 12),
                        p.datasetOffsets(),
                        l.settingsFingerprint().substring(0, 12));
            } else {
                out.printf(Locale.ROOT, "  dataset offsets %s%n", p.datasetOffsets());
            }
            if (p.gate() != null) {
                out.printf(
                        Locale.ROOT, "  gate: %s (%s)%n", p.gate().describe(), p.gate().method());
            }
            if (p.promotion() != null) {
                out.printf(
                        Locale.ROOT,
                        "  promoted by %s: %s%n",
                        p.promotion().by().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        p.promotion().reason());
            }
            for (var e : manifest.events()) {
                out.printf(
                        Locale.ROOT,
                        "  %s %s by %s: %s%n",
                        e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        e.at(),
                        e.by(),
                        e.reason());
            }
            out.printf(Locale.ROOT, "  sha256 %s%n", p.artifact().sha256());
        }
    }

    private static boolean lastIsRollback(ModelRegistry.Manifest m) {
        return !m.events().isEmpty()
                && m.events().get(m.events().size() - 1).kind()
                        == ModelRegistry.Event.Kind.ROLLED_BACK;
    }
}
