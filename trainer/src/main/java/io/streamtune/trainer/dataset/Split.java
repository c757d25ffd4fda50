package io.streamtune.trainer.dataset;

/**
 * Deterministic train/validation assignment by sample id: the same sample always lands on the same
 * side, so every model version is judged on the same validation set.
 */
public final class Split {

    private Split() {}

    /** Whether a sample belongs to the validation set, {@code percent} out of 100 of samples. */
    public static boolean isValidation(String sampleId, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("validation percent must be in 0..100: " + percent);
        }
        // Sample ids are SHA-256 hex of the image bytes: uniformly spread already. A second mix
        // keeps
        // non-hash ids (tests, imports) well spread too.
        long h = 1125899906842597L;
        for (int i = 0; i < sampleId.length(); i++) {
            h = 31 * h + sampleId.charAt(i);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return Math.floorMod(h, 100) < percent;
    }
}
