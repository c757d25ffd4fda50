package io.streamtune.ingest.bulk;

import java.util.Map;

/**
 * What an import did.
 *
 * @param total entries in the dataset
 * @param accepted new samples written
 * @param relabelled samples whose label changed
 * @param unchanged samples already in with the same label (skipped)
 * @param rejected entries refused (dead-lettered), by reason
 * @param seconds wall time
 * @param failure why the import stopped early (Kafka unavailable), or null when it completed
 */
public record ImportReport(
        int total,
        long accepted,
        long relabelled,
        long unchanged,
        Map<String, Long> rejected,
        double seconds,
        String failure) {

    public ImportReport {
        rejected = Map.copyOf(rejected);
    }

    /** Entries refused in all. */
    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether every entry was handled. */
    public boolean completed() {
        return failure == null;
    }
}
