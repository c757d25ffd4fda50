package io.streamtune.trainer.dataset;

/**
 * Deterministic three-way assignment by sample id: a sample always lands in the same part, so it
 * never moves between parts as the dataset grows, and every model version is judged on the same
 * gate samples. Each id hashes to a bucket 0..99: buckets below the gate percent form the gate
 * split, the next selection-percent buckets the selection split, the rest train. Changing either
 * percent moves samples, so a model trained before the change may have seen today's gate samples.
 */
public final class Split {

    /** The part of a dataset a sample belongs to. */
    public enum Part {
        /** trained on */
        TRAIN,
        /** chooses the epoch (early stopping) and nothing else */
        SELECTION,
        /** seen only by the gate, to compare candidate and production */
        GATE
    }

    private Split() {}

    /** The part of {@code sampleId}, given the gate and selection shares out of 100. */
    public static Part of(String sampleId, int gatePercent, int selectionPercent) {
        if (gatePercent < 0 || selectionPercent < 0 || gatePercent + selectionPercent > 100) {
            throw new IllegalArgumentException(
                    "split percents must be >= 0 and sum to at most 100: gate "
                            + gatePercent
                            + ", selection "
                            + selectionPercent);
        }
        int bucket = bucket(sampleId);
        if (bucket < gatePercent) {
            return Part.GATE;
        }
        return bucket < gatePercent + selectionPercent ? Part.SELECTION : Part.TRAIN;
    }

    /** The id's bucket, 0..99. */
    static int bucket(String sampleId) {
        // Sample ids are SHA-256 hex of the image bytes: uniformly spread already. A second mix
        // keeps non-hash ids (tests, imports) well spread too.
        long h = 1125899906842597L;
        for (int i = 0; i < sampleId.length(); i++) {
            h = 31 * h + sampleId.charAt(i);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, 100L);
    }
}
