package io.streamtune.bench.trainer;

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
import io.streamtune.trainer.train.Augmentation;
import io.streamtune.trainer.train.FineTuner;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.trainer.train.Schedule;
import io.streamtune.vision.preprocess.Preprocessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The seed's central claim, measured on real images: pre-train on Fashion-MNIST classes 0-4, then
 * learn classes 5-9 from k labels per class, comparing training from scratch, feature extraction
 * (frozen backbone, new head), and feature extraction + fine-tuning (with and without
 * augmentation). Prints test accuracy as mean ± standard deviation over seeds and the mean wall
 * time.
 *
 * <p>Arguments ({@code --key=value}): {@code ks} (10,50,500), {@code seeds} (3), {@code
 * pretrain.samples} (12000), {@code pretrain.epochs} (3), {@code test} (2000 test images), {@code
 * val} (20 validation images per class, drawn from the training split apart from the k-shot set,
 * for early stopping).
 */
public final class TransferBench {

    static {
        DjlOffline.enforce();
    }

    private static final int SIZE = 28;
    private static final int CLASSES = 5;

    private TransferBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o =
                FashionMnistBench.prepare(
                        args,
                        "transfer",
                        "ks=10,50,500",
                        "seeds=3",
                        "pretrain.samples=12000",
                        "pretrain.epochs=3",
                        "test=2000",
                        "val=20");
        int seeds = Integer.parseInt(o.get("seeds"));
        long t0 = System.nanoTime();
        OnnxGraph pretrained =
                Pretrainer.pretrain(
                        new Pretrainer.Options(
                                Pretrainer.Source.FASHION_MNIST,
                                SIZE,
                                Integer.parseInt(o.get("pretrain.samples")),
                                Integer.parseInt(o.get("pretrain.epochs")),
                                Set.of(0, 1, 2, 3, 4),
                                1L),
                        ProgressListener.NONE,
                        1);
        System.out.printf(
                Locale.ROOT,
                "pretrained on classes 0-4 in %.1fs%n",
                (System.nanoTime() - t0) / 1e9);

        Preprocessor pre = new Preprocessor(Pretrainer.preprocess(SIZE));
        FashionMnist.Split trainSplit = FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 60_000);
        FashionMnist.Split testSplit = FashionMnist.read(FashionMnist.DEBIAN_DIR, "t10k", 10_000);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < trainSplit.size(); i++) {
            int l = trainSplit.labels()[i];
            if (l >= 5) {
                byClass.get(l - 5).add(i);
            }
        }
        List<Example> test = new ArrayList<>();
        for (int i = 0;
                i < testSplit.size() && test.size() < Integer.parseInt(o.get("test"));
                i++) {
            if (testSplit.labels()[i] >= 5) {
                test.add(
                        Examples.classification(
                                pre,
                                Pretrainer.grey(testSplit.pixels()[i], 28, 28),
                                testSplit.labels()[i] - 5));
            }
        }
        ExampleSet testSet = new ExampleSet(SIZE, SIZE, test);
        int valPer = Integer.parseInt(o.get("val"));

        System.out.println();
        System.out.println("| k/class | method | test accuracy (mean ± sd) | wall time (s) |");
        System.out.println("|---|---|---|---|");
        for (String kText : o.get("ks").split(",")) {
            int k = Integer.parseInt(kText.trim());
            Map<String, double[]> acc = new LinkedHashMap<>();
            Map<String, double[]> time = new LinkedHashMap<>();
            for (String m :
                    List.of(
                            "scratch",
                            "feature extraction",
                            "FE + fine-tune",
                            "FE + fine-tune + aug")) {
                acc.put(m, new double[seeds]);
                time.put(m, new double[seeds]);
            }
            for (int s = 0; s < seeds; s++) {
                Random r = new Random(1000L * k + s);
                List<Example> train = new ArrayList<>();
                List<Example> val = new ArrayList<>();
                for (int c = 0; c < CLASSES; c++) {
                    List<Integer> pool = new ArrayList<>(byClass.get(c));
                    java.util.Collections.shuffle(pool, r);
                    for (int j = 0; j < k + valPer; j++) {
                        int i = pool.get(j);
                        Example e =
                                Examples.classification(
                                        pre, Pretrainer.grey(trainSplit.pixels()[i], 28, 28), c);
                        (j < k ? train : val).add(e);
                    }
                }
                java.util.Collections.shuffle(train, r);
                ExampleSet tr = new ExampleSet(SIZE, SIZE, train);
                ExampleSet va = new ExampleSet(SIZE, SIZE, val);
                // Same number of gradient steps budget across k: small sets get more epochs.
                int epochs = Math.max(10, Math.min(60, 3000 / Math.max(1, train.size())));
                ClassificationHead head = new ClassificationHead(0);
                Schedule base =
                        new Schedule(epochs, epochs, 32, 3e-3, 0.1, 2, 5, Augmentation.none(), s);

                long t = System.nanoTime();
                FineTuner.Result scratch =
                        new FineTuner(
                                        head,
                                        CLASSES,
                                        base.withAugmentation(new Augmentation(true, 0.8, 10, 0.1)),
                                        ProgressListener.NONE,
                                        1)
                                .trainAll(
                                        Backbones.small(SIZE, CLASSES, 100 + s),
                                        tr,
                                        va,
                                        2 * epochs);
                record(
                        acc,
                        time,
                        "scratch",
                        s,
                        new FineTuner(head, CLASSES, base, ProgressListener.NONE, 1)
                                .validate(scratch.graph(), testSet),
                        t);

                t = System.nanoTime();
                var start = head.attach(Backbone.of(pretrained, SIZE), CLASSES, s);
                FineTuner.Result fe =
                        new FineTuner(
                                        head,
                                        CLASSES,
                                        base.withUnfreezeBlocks(0),
                                        ProgressListener.NONE,
                                        1)
                                .run(start, tr, va);
                record(
                        acc,
                        time,
                        "feature extraction",
                        s,
                        new FineTuner(head, CLASSES, base, ProgressListener.NONE, 1)
                                .validate(fe.graph(), testSet),
                        t);

                t = System.nanoTime();
                FineTuner.Result ft =
                        new FineTuner(head, CLASSES, base, ProgressListener.NONE, 1)
                                .run(start, tr, va);
                record(
                        acc,
                        time,
                        "FE + fine-tune",
                        s,
                        new FineTuner(head, CLASSES, base, ProgressListener.NONE, 1)
                                .validate(ft.graph(), testSet),
                        t);

                t = System.nanoTime();
                Schedule aug = base.withAugmentation(new Augmentation(true, 0.8, 10, 0.1));
                FineTuner.Result fta =
                        new FineTuner(head, CLASSES, aug, ProgressListener.NONE, 1)
                                .run(start, tr, va);
                record(
                        acc,
                        time,
                        "FE + fine-tune + aug",
                        s,
                        new FineTuner(head, CLASSES, base, ProgressListener.NONE, 1)
                                .validate(fta.graph(), testSet),
                        t);
            }
            for (String m : acc.keySet()) {
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %s | %.3f ± %.3f | %.1f |%n",
                        k,
                        m,
                        Stats.mean(acc.get(m)),
                        Stats.sd(acc.get(m)),
                        Stats.mean(time.get(m)));
            }
            System.out.flush();
        }
        System.out.printf(
                Locale.ROOT,
                "%ntotal %.1fs, %d seeds, test images %d%n",
                (System.nanoTime() - t0) / 1e9,
                seeds,
                test.size());
    }

    private static void record(
            Map<String, double[]> acc,
            Map<String, double[]> time,
            String m,
            int seed,
            double a,
            long t) {
        acc.get(m)[seed] = a;
        time.get(m)[seed] = (System.nanoTime() - t) / 1e9;
    }
}
