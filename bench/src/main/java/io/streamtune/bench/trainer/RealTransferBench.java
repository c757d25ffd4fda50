package io.streamtune.bench.trainer;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.pretrain.FashionMnist;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.trainer.train.Augmentation;
import io.streamtune.trainer.train.FineTuner;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.trainer.train.Schedule;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.zoo.Zoo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Transfer from a network pre-trained on a large real dataset, measured on real photos of products:
 * Fashion-MNIST, all 10 classes, k labelled images per class, tested on held-out t10k images that
 * neither training nor early stopping saw. Rows: a linear classifier on the raw pixels (the
 * baseline any pipeline must beat), a small CNN from scratch, the synthetic-shapes backbone (the
 * offline fallback), and the zoo's COCO-trained MobileNetV3 (CenterNet) backbone — feature
 * extraction, then the last blocks unfrozen at a lower rate. Mean ± sd over seeds, wall time per
 * run.
 *
 * <p>Arguments ({@code --key=value}): {@code ks} (10,50,500), {@code seeds} (3), {@code size} (224,
 * the zoo backbone's input), {@code test} (2000), {@code val} (10 per class, for early stopping),
 * {@code blocks} (2, fine-tuned blocks), {@code rows} (all).
 */
public final class RealTransferBench {

    static {
        DjlOffline.enforce();
    }

    private static final int CLASSES = 10;

    private RealTransferBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o =
                FashionMnistBench.prepare(
                        args,
                        "transfer-real",
                        "ks=10,50,500",
                        "seeds=3",
                        "size=224",
                        "test=2000",
                        "val=10",
                        "blocks=2",
                        "rows=pixels,scratch,synthetic,zoo-fe,zoo-ft");
        List<String> rows = List.of(o.get("rows").split(","));
        int seeds = Integer.parseInt(o.get("seeds"));
        int size = Integer.parseInt(o.get("size"));
        int valPer = Integer.parseInt(o.get("val"));
        int blocks = Integer.parseInt(o.get("blocks"));
        long t0 = System.nanoTime();

        OnnxGraph zoo = null;
        Preprocessor zooPre = null;
        if (rows.stream().anyMatch(r -> r.startsWith("zoo"))) {
            zoo =
                    BridgeReader.read(
                            Zoo.standard()
                                    .resolve(
                                            "zoo:centernet", s -> System.err.println("zoo: " + s)));
            if (o.containsKey("feature")) {
                Map<String, String> meta = new LinkedHashMap<>(zoo.metadata());
                meta.put(ModelMetadataKeys.FEATURE_TENSOR, o.get("feature"));
                zoo = zoo.withMetadata(meta);
            }
            zooPre =
                    new Preprocessor(
                            new PreprocessConfig(
                                    size,
                                    size,
                                    ResizeMode.STRETCH,
                                    0,
                                    ChannelOrder.RGB,
                                    Normalization.parse(
                                            zoo.metadata().get(ModelMetadataKeys.MEAN),
                                            zoo.metadata().get(ModelMetadataKeys.STD))));
        }
        OnnxGraph synthetic = null;
        int synthSize = Pretrainer.Options.defaults().inputSize();
        if (rows.contains("synthetic")) {
            long ts = System.nanoTime();
            synthetic =
                    Pretrainer.pretrain(Pretrainer.Options.defaults(), ProgressListener.NONE, 1);
            System.out.printf(
                    Locale.ROOT,
                    "synthetic-shapes backbone pre-trained in %.1fs%n",
                    (System.nanoTime() - ts) / 1e9);
        }
        Preprocessor smallPre = new Preprocessor(Pretrainer.preprocess(28));
        Preprocessor synthPre = new Preprocessor(Pretrainer.preprocess(synthSize));

        FashionMnist.Split trainSplit = FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 60_000);
        FashionMnist.Split testSplit = FashionMnist.read(FashionMnist.DEBIAN_DIR, "t10k", 10_000);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < trainSplit.size(); i++) {
            byClass.get(trainSplit.labels()[i]).add(i);
        }
        int testCount = Math.min(Integer.parseInt(o.get("test")), testSplit.size());
        List<Integer> testIdx = new ArrayList<>();
        for (int i = 0; i < testCount; i++) {
            testIdx.add(i);
        }

        System.out.println();
        System.out.println(
                "| k/class | method | test accuracy (mean ± sd) | wall time per run (s) |");
        System.out.println("|---|---|---|---|");
        for (String kText : o.get("ks").split(",")) {
            int k = Integer.parseInt(kText.trim());
            Map<String, double[]> acc = new LinkedHashMap<>();
            Map<String, double[]> time = new LinkedHashMap<>();
            for (String r : rows) {
                acc.put(r, new double[seeds]);
                time.put(r, new double[seeds]);
            }
            for (int s = 0; s < seeds; s++) {
                Random random = new Random(1000L * k + s);
                List<Integer> train = new ArrayList<>();
                List<Integer> val = new ArrayList<>();
                for (int c = 0; c < CLASSES; c++) {
                    List<Integer> pool = new ArrayList<>(byClass.get(c));
                    Collections.shuffle(pool, random);
                    train.addAll(pool.subList(0, k));
                    val.addAll(pool.subList(k, k + valPer));
                }
                Collections.shuffle(train, random);
                int epochs = Math.max(10, Math.min(60, 3000 / train.size()));
                Schedule base =
                        new Schedule(
                                epochs, epochs, 32, 3e-3, 0.1, blocks, 5, Augmentation.none(), s);
                ClassificationHead head = new ClassificationHead(0);
                // The two zoo rows train on the same 224 px examples: preprocess them once per
                // seed.
                Sets zooSets = null;
                for (String r : rows) {
                    // (the first zoo row's time includes the preprocessing, as before)
                    long t = System.nanoTime();
                    if (r.startsWith("zoo") && zooSets == null) {
                        zooSets = sets(zooPre, size, trainSplit, train, val, testSplit, testIdx);
                    }
                    double a =
                            switch (r) {
                                case "pixels" ->
                                        LinearProbe.accuracy(
                                                trainSplit, train, val, testSplit, testIdx, s);
                                case "scratch" -> {
                                    Sets d =
                                            sets(
                                                    smallPre,
                                                    28,
                                                    trainSplit,
                                                    train,
                                                    val,
                                                    testSplit,
                                                    testIdx);
                                    FineTuner ft =
                                            new FineTuner(
                                                    head,
                                                    CLASSES,
                                                    base.withAugmentation(
                                                            new Augmentation(true, 0.8, 10, 0.1)),
                                                    ProgressListener.NONE,
                                                    1);
                                    var res =
                                            ft.trainAll(
                                                    Backbones.small(28, CLASSES, 100 + s),
                                                    d.train,
                                                    d.val,
                                                    2 * epochs);
                                    yield new FineTuner(
                                                    head, CLASSES, base, ProgressListener.NONE, 1)
                                            .validate(res.graph(), d.test);
                                }
                                case "synthetic" ->
                                        transfer(
                                                head,
                                                base,
                                                synthetic,
                                                synthSize,
                                                sets(
                                                        synthPre,
                                                        synthSize,
                                                        trainSplit,
                                                        train,
                                                        val,
                                                        testSplit,
                                                        testIdx),
                                                true);
                                case "zoo-fe" ->
                                        transfer(
                                                head,
                                                base.withUnfreezeBlocks(0),
                                                zoo,
                                                size,
                                                zooSets,
                                                false);
                                case "zoo-ft" -> transfer(head, base, zoo, size, zooSets, true);
                                default -> throw new IllegalArgumentException("unknown row " + r);
                            };
                    acc.get(r)[s] = a;
                    time.get(r)[s] = (System.nanoTime() - t) / 1e9;
                    System.err.printf(
                            Locale.ROOT,
                            "  k=%d seed %d %-9s %.3f (%.1fs)%n",
                            k,
                            s,
                            r,
                            a,
                            time.get(r)[s]);
                }
            }
            for (String r : rows) {
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %s | %.3f ± %.3f | %.1f |%n",
                        k,
                        label(r, blocks),
                        Stats.mean(acc.get(r)),
                        Stats.sd(acc.get(r)),
                        Stats.mean(time.get(r)));
            }
            System.out.flush();
        }
        System.out.printf(
                Locale.ROOT,
                "%ntotal %.1fs, %d seeds, %d test images, zoo backbone at %d px%n",
                (System.nanoTime() - t0) / 1e9,
                seeds,
                testCount,
                size);
    }

    private static String label(String row, int blocks) {
        return switch (row) {
            case "pixels" -> "linear classifier on raw pixels (baseline)";
            case "scratch" -> "small CNN from scratch (+ augmentation)";
            case "synthetic" -> "synthetic-shapes backbone (offline fallback), FE + fine-tune";
            case "zoo-fe" -> "zoo:centernet COCO backbone, feature extraction";
            case "zoo-ft" ->
                    "zoo:centernet COCO backbone, FE + fine-tune last " + blocks + " blocks";
            default -> row;
        };
    }

    private static double transfer(
            ClassificationHead head,
            Schedule schedule,
            OnnxGraph base,
            int size,
            Sets d,
            boolean fineTune)
            throws Exception {
        HeadedGraph start = head.attach(Backbone.of(base, size), CLASSES, schedule.seed());
        FineTuner ft =
                new FineTuner(
                        head,
                        CLASSES,
                        fineTune ? schedule : schedule.withUnfreezeBlocks(0),
                        ProgressListener.NONE,
                        1);
        FineTuner.Result r = ft.run(start, d.train, d.val);
        return new FineTuner(head, CLASSES, schedule, ProgressListener.NONE, 1)
                .validate(r.graph(), d.test);
    }

    private record Sets(ExampleSet train, ExampleSet val, ExampleSet test) {}

    private static Sets sets(
            Preprocessor pre,
            int size,
            FashionMnist.Split tr,
            List<Integer> train,
            List<Integer> val,
            FashionMnist.Split te,
            List<Integer> test) {
        return new Sets(
                set(pre, size, tr, train), set(pre, size, tr, val), set(pre, size, te, test));
    }

    private static ExampleSet set(
            Preprocessor pre, int size, FashionMnist.Split split, List<Integer> idx) {
        List<Example> l = new ArrayList<>(idx.size());
        for (int i : idx) {
            RgbImage img = Pretrainer.grey(split.pixels()[i], 28, 28);
            l.add(Examples.classification(pre, img, split.labels()[i]));
        }
        return new ExampleSet(size, size, l);
    }
}
