package io.streamtune.trainer.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.streamtune.contracts.TrainingProgress.Phase;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.djl.graft.FreezePlan;
import io.streamtune.onnx.djl.graft.ParameterGroupOptimizer;
import io.streamtune.onnx.djl.graft.PrefixRunner;
import io.streamtune.onnx.djl.graft.PrefixSplit;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.trainer.task.TaskHead;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs the two-phase schedule on a {@link HeadedGraph}: phase 1 trains the head on backbone outputs
 * computed once (ONNX Runtime, inference mode; again per batch when they would not fit the cache
 * budget); phase 2 unfreezes the last K backbone blocks at a lower learning rate, with augmentation
 * and early stopping on the validation score. In phase 2 the still-frozen blocks before the first
 * trainable node run in ONNX Runtime per batch (or once, when there is no augmentation and their
 * outputs fit the cache budget), so DJL trains only the part that learns. The best graph seen (by
 * validation score) is returned.
 */
public final class FineTuner {

    private static final int INFERENCE_BATCH = 64;

    private final TaskHead head;
    private final int classes;
    private final Schedule schedule;
    private final ProgressListener listener;
    private final int threads;
    private final long cacheBudgetBytes;

    /** Default budget of the frozen-prefix feature cache: 1 GiB. */
    public static final long DEFAULT_CACHE_BUDGET = 1L << 30;

    public FineTuner(
            TaskHead head, int classes, Schedule schedule, ProgressListener listener, int threads) {
        this(head, classes, schedule, listener, threads, DEFAULT_CACHE_BUDGET);
    }

    /**
     * @param cacheBudgetBytes most bytes phase 1 (and phase 2 without augmentation) may hold as
     *     cached frozen-prefix outputs of the training images; above it the prefix runs again per
     *     batch
     */
    public FineTuner(
            TaskHead head,
            int classes,
            Schedule schedule,
            ProgressListener listener,
            int threads,
            long cacheBudgetBytes) {
        this.head = head;
        this.classes = classes;
        this.schedule = schedule;
        this.listener = listener;
        this.threads = threads;
        this.cacheBudgetBytes = cacheBudgetBytes;
    }

    /**
     * What a run produced.
     *
     * @param graph the best trained graph (before export transformations)
     * @param metric its validation score
     * @param headMetric validation score after phase 1
     * @param loss last mean training loss
     * @param fineTuneEpochs phase 2 epochs actually run
     * @param skippedBatches batches left out of an epoch because their loss was not finite on two
     *     tries ({@link StepGuard})
     * @param retriedPasses passes tried again because their loss was not finite
     */
    public record Result(
            OnnxGraph graph,
            double metric,
            double headMetric,
            double loss,
            int fineTuneEpochs,
            int skippedBatches,
            int retriedPasses) {}

    private int skippedBatches;
    private int retriedPasses;

    /**
     * Trains; throws {@link DivergedException} when a validation score is not finite or when
     * batches keep giving a non-finite loss ({@link StepGuard}: a single bad pass is tried again).
     */
    public Result run(HeadedGraph start, ExampleSet train, ExampleSet val) throws Exception {
        if (train.size() < 2 || val.size() < 1) {
            throw new IllegalArgumentException(
                    "need at least 2 training and 1 validation examples, have "
                            + train.size()
                            + "/"
                            + val.size());
        }
        long t0 = System.nanoTime();
        skippedBatches = 0;
        retriedPasses = 0;
        Random random = new Random(schedule.seed());
        double[] loss = {Double.NaN};
        OnnxGraph afterHead = trainHead(start, train, random, loss, t0);
        double headMetric = validate(afterHead, val);
        requireFinite(headMetric, "validation score after phase 1");
        listener.onProgress(
                Phase.FEATURE_EXTRACTION,
                schedule.headEpochs(),
                schedule.headEpochs(),
                loss[0],
                headMetric,
                estimateLeft(
                        t0,
                        schedule.headEpochs(),
                        schedule.headEpochs() + schedule.fineTuneEpochs()));
        if (schedule.unfreezeBlocks() == 0 || schedule.fineTuneEpochs() == 0) {
            return new Result(
                    afterHead, headMetric, headMetric, loss[0], 0, skippedBatches, retriedPasses);
        }
        return fineTune(start, afterHead, headMetric, train, val, random, loss[0], t0);
    }

    private OnnxGraph trainHead(
            HeadedGraph start, ExampleSet train, Random random, double[] lastLoss, long t0)
            throws Exception {
        PrefixSplit split =
                PrefixSplit.beforeFirstTrainable(start.graph(), start.backboneInitializers());
        OnnxBlock suffix = new OnnxBlock(split.suffix());
        try (PrefixRunner runner = PrefixRunner.onnxRuntime(split, threads);
                Model model = Model.newInstance("head")) {
            // Features of every training image computed once, when they fit the budget; else the
            // frozen prefix runs again for each batch (same result, bounded memory).
            Feed feed = Feed.open(runner, train, true, cacheBudgetBytes);
            model.setBlock(suffix);
            try (Trainer trainer = model.newTrainer(config(adam(schedule.learningRate())))) {
                trainer.initialize(feed.shapes(schedule.batchSize()));
                StepGuard guard = new StepGuard(suffix);
                int n = train.size();
                int total = schedule.headEpochs() + schedule.fineTuneEpochs();
                for (int epoch = 1; epoch <= schedule.headEpochs(); epoch++) {
                    guard.startEpoch();
                    int[] order = permutation(n, random);
                    double sum = 0;
                    int steps = 0;
                    for (int from = 0; from + 2 <= n; from += schedule.batchSize()) {
                        int to = Math.min(n, from + schedule.batchSize());
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            List<Example> batch = new ArrayList<>();
                            for (int i = from; i < to; i++) {
                                batch.add(train.examples().get(order[i]));
                            }
                            NDList in = feed.batch(m, train, batch, order, from, to);
                            double l = step(trainer, m, in, batch, guard, "phase 1 epoch " + epoch);
                            if (Double.isFinite(l)) {
                                sum += l;
                                steps++;
                            }
                        }
                    }
                    guard.endEpoch("phase 1 loss in epoch " + epoch);
                    lastLoss[0] = sum / steps;
                    requireFinite(lastLoss[0], "phase 1 loss in epoch " + epoch);
                    listener.onProgress(
                            Phase.FEATURE_EXTRACTION,
                            epoch,
                            schedule.headEpochs(),
                            lastLoss[0],
                            Double.NaN,
                            estimateLeft(t0, epoch, total));
                }
                skippedBatches += guard.skippedBatches();
                retriedPasses += guard.retriedPasses();
                return split.merge(suffix.toGraph());
            }
        }
    }

    private Result fineTune(
            HeadedGraph start,
            OnnxGraph graph,
            double headMetric,
            ExampleSet train,
            ExampleSet val,
            Random random,
            double lastLoss,
            long t0)
            throws Exception {
        FreezePlan plan = FreezePlan.allButLastBlocks(start.backbone(), schedule.unfreezeBlocks());
        Set<String> slow = new HashSet<>(start.backboneInitializers());
        slow.removeAll(plan.frozenInitializers());
        return loop(
                graph,
                plan,
                slow,
                headMetric,
                schedule.fineTuneEpochs(),
                Phase.FINE_TUNING,
                train,
                val,
                random,
                lastLoss,
                t0,
                schedule.headEpochs());
    }

    /**
     * Trains every parameter of {@code graph} (no phase 1, no freezing) for up to {@code epochs}
     * with augmentation and early stopping: training from scratch, or pre-training a backbone.
     */
    public Result trainAll(OnnxGraph graph, ExampleSet train, ExampleSet val, int epochs)
            throws Exception {
        long t0 = System.nanoTime();
        skippedBatches = 0;
        retriedPasses = 0;
        return loop(
                graph,
                new FreezePlan(Set.of()),
                Set.of(),
                Double.NEGATIVE_INFINITY,
                epochs,
                Phase.FINE_TUNING,
                train,
                val,
                new Random(schedule.seed()),
                Double.NaN,
                t0,
                0);
    }

    private Result loop(
            OnnxGraph graph,
            FreezePlan plan,
            Set<String> slowTensors,
            double startMetric,
            int epochs,
            Phase phase,
            ExampleSet train,
            ExampleSet val,
            Random random,
            double lastLoss,
            long t0,
            int epochsBefore)
            throws Exception {
        // The frozen blocks before the first trainable node run in ONNX Runtime (inference mode,
        // as a frozen BatchNorm normalises anyway) and only the rest is trained in DJL: no autograd
        // bookkeeping for the frozen prefix, and without augmentation its outputs are computed
        // once, as in phase 1.
        PrefixSplit split =
                plan.frozenInitializers().isEmpty()
                        ? null
                        : PrefixSplit.beforeFirstTrainable(graph, plan.frozenInitializers());
        if (split != null && split.prefix().nodes().isEmpty()) {
            split = null;
        }
        try (PrefixRunner runner =
                split == null ? null : PrefixRunner.onnxRuntime(split, threads)) {
            OnnxBlock block = new OnnxBlock(split == null ? graph : split.suffix());
            Feed feed =
                    Feed.open(runner, train, !schedule.augmentation().enabled(), cacheBudgetBytes);
            Set<String> slow = new HashSet<>();
            for (Map.Entry<String, Parameter> e : block.parametersByTensor().entrySet()) {
                if (slowTensors.contains(e.getKey())) {
                    slow.add(e.getValue().getId());
                }
            }
            Optimizer optimizer =
                    slow.isEmpty()
                            ? adam(schedule.learningRate())
                            : new ParameterGroupOptimizer(
                                    adam(schedule.learningRate()),
                                    adam(schedule.learningRate() * schedule.fineTuneFactor()),
                                    slow);
            Augmenter augmenter = new Augmenter(schedule.augmentation());
            OnnxGraph best = graph;
            double bestMetric = startMetric;
            int epochsRun = 0;
            try (Model model = Model.newInstance("fine-tune")) {
                model.setBlock(block);
                try (Trainer trainer = model.newTrainer(config(optimizer))) {
                    trainer.initialize(feed.shapes(schedule.batchSize()));
                    plan.apply(block);
                    StepGuard guard = new StepGuard(block);
                    int n = train.size();
                    int stale = 0;
                    int total = epochsBefore + epochs;
                    for (int epoch = 1; epoch <= epochs; epoch++) {
                        guard.startEpoch();
                        int[] order = permutation(n, random);
                        double sum = 0;
                        int steps = 0;
                        for (int from = 0; from + 2 <= n; from += schedule.batchSize()) {
                            int to = Math.min(n, from + schedule.batchSize());
                            List<Example> batch = new ArrayList<>();
                            for (int i = from; i < to; i++) {
                                batch.add(
                                        augmenter.apply(
                                                train.examples().get(order[i]),
                                                train.height(),
                                                train.width(),
                                                random));
                            }
                            try (NDManager m = trainer.getManager().newSubManager()) {
                                NDList in = feed.batch(m, train, batch, order, from, to);
                                double l =
                                        step(
                                                trainer,
                                                m,
                                                in,
                                                batch,
                                                guard,
                                                phase + " epoch " + epoch);
                                if (Double.isFinite(l)) {
                                    sum += l;
                                    steps++;
                                }
                            }
                        }
                        guard.endEpoch(phase + " loss in epoch " + epoch);
                        lastLoss = sum / steps;
                        epochsRun = epoch;
                        requireFinite(lastLoss, phase + " loss in epoch " + epoch);
                        OnnxGraph current =
                                split == null ? block.toGraph() : split.merge(block.toGraph());
                        double metric = validate(current, val);
                        requireFinite(metric, "validation score in " + phase + " epoch " + epoch);
                        listener.onProgress(
                                phase,
                                epoch,
                                epochs,
                                lastLoss,
                                metric,
                                estimateLeft(t0, epochsBefore + epoch, total));
                        if (metric > bestMetric) {
                            bestMetric = metric;
                            best = current;
                            stale = 0;
                        } else if (++stale >= schedule.patience()) {
                            break;
                        }
                    }
                    skippedBatches += guard.skippedBatches();
                    retriedPasses += guard.retriedPasses();
                }
            }
            return new Result(
                    best,
                    bestMetric,
                    startMetric,
                    lastLoss,
                    epochsRun,
                    skippedBatches,
                    retriedPasses);
        }
    }

    /**
     * What a training step is fed: the batch's images, or the frozen prefix's outputs for them —
     * computed per batch, or once for every training image when asked and within the budget.
     */
    private record Feed(PrefixRunner runner, List<OnnxTensor> cached, List<OnnxTensor> probe) {

        static Feed open(PrefixRunner runner, ExampleSet train, boolean cache, long budgetBytes)
                throws Exception {
            if (runner == null) {
                return new Feed(null, null, List.of(train.inputs(0, 1)));
            }
            List<OnnxTensor> probe = runner.run(train.inputs(0, 1));
            long perImage = probe.stream().mapToLong(t -> t.elementCount() * Float.BYTES).sum();
            long bytes = perImage * train.size();
            // within the configured budget, and within half the heap still free
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            List<OnnxTensor> cached =
                    cache && bytes <= budgetBytes && bytes <= free / 2
                            ? PrefixRunner.cacheAll(
                                    runner, train.size(), INFERENCE_BATCH, train::inputs)
                            : null;
            return new Feed(runner, cached, probe);
        }

        /** Input shapes of a batch of {@code batchSize}. */
        Shape[] shapes(int batchSize) {
            return probe.stream()
                    .map(
                            t -> {
                                long[] s = t.shape().clone();
                                s[0] = batchSize;
                                return new Shape(s);
                            })
                    .toArray(Shape[]::new);
        }

        /** The step's inputs for {@code batch}, training examples {@code order[from..to)}. */
        NDList batch(
                NDManager m, ExampleSet train, List<Example> batch, int[] order, int from, int to)
                throws Exception {
            NDList in = new NDList();
            if (cached != null) {
                for (OnnxTensor c : cached) {
                    in.add(rows(m, c, order, from, to));
                }
                return in;
            }
            OnnxTensor x =
                    new ExampleSet(train.height(), train.width(), batch).inputs(0, batch.size());
            for (OnnxTensor t : runner == null ? List.of(x) : runner.run(x)) {
                in.add(m.create(t.floats(), new Shape(t.shape())));
            }
            return in;
        }
    }

    /** The task's validation score of a graph, run in ONNX Runtime. */
    public double validate(OnnxGraph graph, ExampleSet val) throws Exception {
        TaskHead.Scorer scorer = head.scorer(classes);
        try (OrtRunner ort = new OrtRunner(graph, threads)) {
            for (int from = 0; from < val.size(); from += INFERENCE_BATCH) {
                int to = Math.min(val.size(), from + INFERENCE_BATCH);
                Map<String, OnnxTensor> raw = ort.run(Map.of("input", val.inputs(from, to)));
                Map<String, OnnxTensor> ordered = new java.util.LinkedHashMap<>();
                graph.outputs().forEach(o -> ordered.put(o.name(), raw.get(o.name())));
                scorer.add(ordered, val.examples().subList(from, to));
            }
        }
        return scorer.score();
    }

    /**
     * One training step; a pass whose loss is not finite is not applied but tried once more, then
     * the batch is skipped ({@link StepGuard}). Returns the loss, NaN for a skipped batch.
     */
    private double step(
            Trainer trainer,
            NDManager m,
            NDList in,
            List<Example> batch,
            StepGuard guard,
            String where)
            throws DivergedException {
        for (int attempt = 1; ; attempt++) {
            double value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList out = trainer.forward(in);
                NDArray l = head.loss(m, out, batch, classes);
                value = l.getFloat();
                if (Double.isFinite(value)) {
                    gc.backward(l);
                }
            }
            if (Double.isFinite(value)) {
                trainer.step();
                guard.trained();
                return value;
            }
            if (attempt >= 2) {
                guard.skipped(where);
                return Double.NaN;
            }
            guard.retrying();
        }
    }

    private static NDArray rows(NDManager m, OnnxTensor all, int[] order, int from, int to) {
        long[] shape = all.shape().clone();
        int per = (int) (all.elementCount() / shape[0]);
        float[] out = new float[(to - from) * per];
        for (int i = from; i < to; i++) {
            System.arraycopy(all.floats(), order[i] * per, out, (i - from) * per, per);
        }
        shape[0] = to - from;
        return m.create(out, new Shape(shape));
    }

    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long estimateLeft(long t0, int done, int total) {
        if (done <= 0) {
            return -1;
        }
        double perEpoch = (System.nanoTime() - t0) / 1e9 / done;
        return Math.round(perEpoch * Math.max(0, total - done));
    }

    private static void requireFinite(double v, String what) throws DivergedException {
        if (!Double.isFinite(v)) {
            throw new DivergedException(what + " is " + v);
        }
    }

    private static Optimizer adam(double lr) {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).build();
    }

    private static DefaultTrainingConfig config(Optimizer optimizer) {
        // The loss is computed by the task head; DJL's slot is filled for its bookkeeping only.
        return new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer);
    }
}
