package io.streamtune.trainer.style;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.streamtune.contracts.TrainingProgress.Phase;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.trainer.train.DivergedException;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.vision.image.RgbImage;
import java.util.List;
import java.util.Random;

/**
 * Trains an image-transformation network ({@link TransformerNet}) for one style: Adam on the
 * perceptual loss of random batches of content images, the perceptual network frozen (running
 * BatchNorm statistics, no parameter updates; gradients flow through it to the image). Every {@code
 * validateEvery} steps the exported graph is scored in ONNX Runtime on the selection images and the
 * best one is kept (early stopping on images that are never trained on).
 */
public final class StyleTrainer {

    /**
     * Training settings.
     *
     * @param size square training resolution (a multiple of 4)
     * @param steps optimisation steps
     * @param batchSize content images per step
     * @param learningRate Adam's learning rate
     * @param validateEvery steps between selection scores
     * @param seed batch order and flips
     */
    public record Settings(
            int size, int steps, int batchSize, double learningRate, int validateEvery, long seed) {
        public Settings {
            if (size < 16 || size % 4 != 0) {
                throw new IllegalArgumentException("size must be a multiple of 4, >= 16: " + size);
            }
            if (steps < 1 || batchSize < 1 || validateEvery < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("steps, batch, validateEvery >= 1, lr > 0");
            }
        }
    }

    /**
     * The run.
     *
     * @param graph the best transformation network (by selection loss)
     * @param firstLoss mean training loss of the first tenth of the applied steps (at least one)
     * @param lastLoss mean training loss of the last tenth (one batch alone is too noisy to say
     *     whether the network learned)
     * @param selectionLoss mean total loss of the best graph on the selection images
     * @param steps steps run
     * @param retriedPasses passes whose loss or gradient was not finite, tried again
     * @param skippedSteps steps whose pass failed twice, not applied
     */
    public record Result(
            OnnxGraph graph,
            double firstLoss,
            double lastLoss,
            double selectionLoss,
            int steps,
            int retriedPasses,
            int skippedSteps) {}

    private final PerceptualNet net;
    private final PerceptualLoss loss;
    private final Settings settings;
    private final ProgressListener listener;
    private final int threads;

    public StyleTrainer(
            PerceptualNet net,
            PerceptualLoss loss,
            Settings settings,
            ProgressListener listener,
            int threads) {
        this.net = net;
        this.loss = loss;
        this.settings = settings;
        this.listener = listener;
        this.threads = threads;
    }

    /**
     * Trains {@code start} (a fresh {@link TransformerNet} or a published style model to continue
     * from) on {@code train} content images, selecting on {@code selection}.
     */
    public Result train(
            OnnxGraph start, List<RgbImage> styles, List<RgbImage> train, List<RgbImage> selection)
            throws Exception {
        if (train.isEmpty() || selection.isEmpty()) {
            throw new IllegalArgumentException(
                    "need content images to train and to select on, had "
                            + train.size()
                            + " and "
                            + selection.size());
        }
        int size = settings.size();
        OnnxTensor content = StyleEvaluator.tensor(train, size);
        int plane = 3 * size * size;
        Random random = new Random(settings.seed());
        long t0 = System.nanoTime();
        try (StyleEvaluator eval = new StyleEvaluator(net, loss, styles, size, threads)) {
            double best = eval.score(OnnxWriter.toBytes(start), selection).mean(t -> t.total());
            OnnxGraph bestGraph = start;
            OnnxBlock netBlock = new OnnxBlock(start);
            OnnxBlock taps = new OnnxBlock(net.graph());
            StyleBlock block = new StyleBlock(netBlock, taps, net.normalization());
            List<Double> applied = new java.util.ArrayList<>();
            double sum = 0;
            int sumN = 0, skippedInARow = 0, retried = 0, skipped = 0;
            Optimizer adam =
                    Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                            .build();
            try (Model model = Model.newInstance("stylize")) {
                model.setBlock(block);
                try (Trainer trainer =
                        model.newTrainer(
                                new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
                    int b = Math.min(settings.batchSize(), train.size());
                    trainer.initialize(new Shape(b, 3, size, size));
                    taps.freezeParameters(true);
                    List<NDArray> grams = eval.styleGrams(trainer.getManager());
                    for (int step = 1; step <= settings.steps(); step++) {
                        float[] batch = new float[b * plane];
                        for (int i = 0; i < b; i++) {
                            int k = random.nextInt(train.size());
                            boolean flip = random.nextBoolean();
                            copy(content.floats(), k * plane, batch, i * plane, size, flip);
                        }
                        double value = Double.NaN;
                        for (int attempt = 1; attempt <= 2 && !Double.isFinite(value); attempt++) {
                            value =
                                    pass(
                                            trainer,
                                            netBlock,
                                            batch,
                                            b,
                                            size,
                                            grams,
                                            eval.contentScale());
                            if (!Double.isFinite(value)) {
                                retried++;
                            }
                        }
                        if (!Double.isFinite(value)) {
                            // never applied; see trainer/README.md on PyTorch's oneDNN kernels
                            skipped++;
                            if (++skippedInARow >= 3) {
                                throw new DivergedException(
                                        "style loss or its gradient was not finite in 3 steps in a"
                                                + " row at step "
                                                + step
                                                + " (PyTorch's oneDNN AVX2 kernels give NaN"
                                                + " gradients through the frozen backbone on some"
                                                + " CPUs: start the trainer with"
                                                + " ONEDNN_MAX_CPU_ISA=SSE41)");
                            }
                            continue;
                        }
                        skippedInARow = 0;
                        trainer.step();
                        applied.add(value);
                        sum += value;
                        sumN++;
                        if (step % settings.validateEvery() == 0 || step == settings.steps()) {
                            OnnxGraph current = netBlock.toGraph();
                            double sel =
                                    eval.score(OnnxWriter.toBytes(current), selection)
                                            .mean(t -> t.total());
                            if (sel < best) {
                                best = sel;
                                bestGraph = current;
                            }
                            double perStep = (System.nanoTime() - t0) / 1e9 / step;
                            listener.onProgress(
                                    Phase.STYLE_TRAINING,
                                    step,
                                    settings.steps(),
                                    sum / sumN,
                                    sel,
                                    Math.round(perStep * (settings.steps() - step)));
                            sum = 0;
                            sumN = 0;
                        }
                    }
                }
            }
            int window = Math.max(1, applied.size() / 10);
            double first = mean(applied, 0, Math.min(window, applied.size()));
            double last = mean(applied, Math.max(0, applied.size() - window), applied.size());
            return new Result(bestGraph, first, last, best, settings.steps(), retried, skipped);
        }
    }

    /**
     * One forward and backward pass; returns the loss, or NaN when the loss or any gradient is not
     * finite (then nothing is applied: the caller does not step, and the next collector starts from
     * zero gradients).
     */
    private double pass(
            Trainer trainer,
            OnnxBlock netBlock,
            float[] batch,
            int b,
            int size,
            List<NDArray> grams,
            double contentScale) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDList in = new NDList(m.create(batch, new Shape(b, 3, size, size)));
            try (GradientCollector gc = trainer.newGradientCollector()) {
                gc.zeroGradients();
                NDList out = trainer.forward(in);
                NDArray l = loss.loss(m, out.head(), out.subNDList(1), grams, contentScale);
                double value = l.getFloat();
                if (!Double.isFinite(value)) {
                    return Double.NaN;
                }
                gc.backward(l);
                for (var p : netBlock.getParameters()) {
                    NDArray g = p.getValue().getArray().getGradient();
                    if (!Float.isFinite(g.sum().getFloat())) {
                        return Double.NaN;
                    }
                }
                return value;
            }
        }
    }

    private static double mean(List<Double> values, int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += values.get(i);
        }
        return s / (to - from);
    }

    private static void copy(float[] src, int from, float[] dst, int to, int size, boolean flip) {
        if (!flip) {
            System.arraycopy(src, from, dst, to, 3 * size * size);
            return;
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                int row = (c * size + y) * size;
                for (int x = 0; x < size; x++) {
                    dst[to + row + x] = src[from + row + size - 1 - x];
                }
            }
        }
    }
}
