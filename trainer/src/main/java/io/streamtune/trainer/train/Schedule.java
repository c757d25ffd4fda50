package io.streamtune.trainer.train;

/**
 * Hyper-parameters of one fine-tuning run.
 *
 * @param headEpochs phase 1 epochs (backbone frozen, head on cached features)
 * @param fineTuneEpochs phase 2 epochs at most (early stopping may end it sooner)
 * @param batchSize examples per step
 * @param learningRate Adam learning rate of the head
 * @param fineTuneFactor learning-rate factor of the unfrozen backbone blocks in phase 2
 * @param unfreezeBlocks K, the last backbone blocks trained in phase 2 (0 skips phase 2)
 * @param patience phase 2 epochs without validation improvement before stopping
 * @param augmentation augmentation of phase 2 batches
 * @param seed seed of head initialisation, shuffling and augmentation
 */
public record Schedule(
        int headEpochs,
        int fineTuneEpochs,
        int batchSize,
        double learningRate,
        double fineTuneFactor,
        int unfreezeBlocks,
        int patience,
        Augmentation augmentation,
        long seed) {

    public Schedule {
        if (headEpochs < 1
                || fineTuneEpochs < 0
                || batchSize < 1
                || unfreezeBlocks < 0
                || patience < 1) {
            throw new IllegalArgumentException(
                    "invalid schedule "
                            + headEpochs
                            + "/"
                            + fineTuneEpochs
                            + "/"
                            + batchSize
                            + "/"
                            + unfreezeBlocks
                            + "/"
                            + patience);
        }
        if (!(learningRate > 0) || !(fineTuneFactor > 0) || fineTuneFactor > 1) {
            throw new IllegalArgumentException("learning rate must be > 0 and factor in (0, 1]");
        }
    }

    /** Defaults sized for small images on a laptop CPU. */
    public static Schedule defaults() {
        return new Schedule(8, 8, 32, 3e-3, 0.1, 2, 3, Augmentation.defaults(), 7L);
    }

    public Schedule withEpochs(int head, int fineTune) {
        return new Schedule(
                head,
                fineTune,
                batchSize,
                learningRate,
                fineTuneFactor,
                unfreezeBlocks,
                patience,
                augmentation,
                seed);
    }

    public Schedule withSeed(long newSeed) {
        return new Schedule(
                headEpochs,
                fineTuneEpochs,
                batchSize,
                learningRate,
                fineTuneFactor,
                unfreezeBlocks,
                patience,
                augmentation,
                newSeed);
    }

    public Schedule withAugmentation(Augmentation a) {
        return new Schedule(
                headEpochs,
                fineTuneEpochs,
                batchSize,
                learningRate,
                fineTuneFactor,
                unfreezeBlocks,
                patience,
                a,
                seed);
    }

    public Schedule withUnfreezeBlocks(int k) {
        return new Schedule(
                headEpochs,
                fineTuneEpochs,
                batchSize,
                learningRate,
                fineTuneFactor,
                k,
                patience,
                augmentation,
                seed);
    }

    public Schedule withBatchSize(int size) {
        return new Schedule(
                headEpochs,
                fineTuneEpochs,
                size,
                learningRate,
                fineTuneFactor,
                unfreezeBlocks,
                patience,
                augmentation,
                seed);
    }
}
