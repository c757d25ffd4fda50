package io.streamtune.bench.trainer;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.pretrain.FashionMnist;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.trainer.task.SegmentationHead;
import io.streamtune.trainer.train.Augmentation;
import io.streamtune.trainer.train.DivergedException;
import io.streamtune.trainer.train.FineTuner;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.trainer.train.Schedule;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.vision.synth.PastedObjects;
import io.streamtune.zoo.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Segmentation of new classes with few labels on the detection benchmark's real-photo scenes (same
 * photographs, same items, same train/test separation), each pixel labelled background or the class
 * of the item visible there. Chooses the default segmentation base by measurement: the zoo's COCO
 * CenterNet backbone and the zoo's MediaPipe selfie network (a segmentation network, person vs
 * background) as bases for the same fresh head, against a small CNN + the same head from scratch.
 * mIoU (background included) of the exported ONNX in ONNX Runtime on the test scenes; mean ± sd
 * over seeds, wall time per run.
 *
 * <p>Arguments ({@code --key=value}): {@code ks} (10,50 labelled scenes), {@code seeds} (3), {@code
 * size} (256), {@code test} (100), {@code val} (30), {@code rows} (centernet,selfie,scratch).
 */
public final class SegmentationTransferBench {

    static {
        DjlOffline.enforce();
    }

    private static final int CLASSES = 5; // background + the 4 item classes

    private SegmentationTransferBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o =
                FashionMnistBench.prepare(
                        args,
                        "transfer-segmentation",
                        "ks=10,50",
                        "seeds=3",
                        "size=256",
                        "test=100",
                        "val=30",
                        "rows=centernet,selfie,scratch",
                        "photos="
                                + System.getProperty("user.home")
                                + "/.cache/streamtune/photos/usr/lib/python3/dist-packages/skimage/data");
        List<String> rows = List.of(o.get("rows").split(","));
        int seeds = Integer.parseInt(o.get("seeds"));
        int size = Integer.parseInt(o.get("size"));
        Path photos = Path.of(o.get("photos"));
        List<RgbImage> trainBg =
                DetectionTransferBench.photos(photos, DetectionTransferBench.TRAIN_PHOTOS);
        List<RgbImage> testBg =
                DetectionTransferBench.photos(photos, DetectionTransferBench.TEST_PHOTOS);
        long t0 = System.nanoTime();
        Map<String, OnnxGraph> bases = new LinkedHashMap<>();
        for (String r : rows) {
            if (!r.equals("scratch")) {
                bases.put(
                        r,
                        BridgeReader.read(
                                Zoo.standard()
                                        .resolve(
                                                "zoo:" + r, s -> System.err.println("zoo: " + s))));
            }
        }
        FashionMnist.Split trainItems = FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 60_000);
        FashionMnist.Split testItems = FashionMnist.read(FashionMnist.DEBIAN_DIR, "t10k", 10_000);
        List<PastedObjects.Composite> test =
                scenes(new Random(99), Integer.parseInt(o.get("test")), size, testBg, testItems);

        System.out.println();
        System.out.println("| labelled scenes | base | mIoU (mean ± sd) | wall time per run (s) |");
        System.out.println("|---|---|---|---|");
        for (String kText : o.get("ks").split(",")) {
            int k = Integer.parseInt(kText.trim());
            Map<String, double[][]> res = new LinkedHashMap<>();
            Map<String, Integer> diverged = new LinkedHashMap<>();
            rows.forEach(r -> res.put(r, new double[2][seeds]));
            for (int s = 0; s < seeds; s++) {
                Random random = new Random(1000L * k + s);
                List<PastedObjects.Composite> train = scenes(random, k, size, trainBg, trainItems);
                List<PastedObjects.Composite> val =
                        scenes(random, Integer.parseInt(o.get("val")), size, trainBg, trainItems);
                int epochs = Math.max(8, Math.min(40, 1200 / k));
                Schedule schedule =
                        new Schedule(
                                epochs,
                                epochs,
                                16,
                                3e-3,
                                0.1,
                                2,
                                4,
                                new Augmentation(true, 0.8, 0, 0.2),
                                s);
                SegmentationHead head = new SegmentationHead(32);
                for (String r : rows) {
                    long t = System.nanoTime();
                    OnnxGraph base = bases.get(r);
                    Preprocessor pre =
                            new Preprocessor(
                                    new PreprocessConfig(
                                            size,
                                            size,
                                            ResizeMode.STRETCH,
                                            0,
                                            ChannelOrder.RGB,
                                            base == null
                                                    ? Normalization.parse(
                                                            Backbones.MEAN, Backbones.STD)
                                                    : Normalization.parse(
                                                            base.metadata()
                                                                    .get(ModelMetadataKeys.MEAN),
                                                            base.metadata()
                                                                    .get(ModelMetadataKeys.STD))));
                    ExampleSet tr = set(pre, size, train);
                    ExampleSet va = set(pre, size, val);
                    ExampleSet te = set(pre, size, test);
                    FineTuner ft = new FineTuner(head, CLASSES, schedule, ProgressListener.NONE, 1);
                    double miou;
                    try {
                        FineTuner.Result result;
                        if (base == null) {
                            HeadedGraph start =
                                    head.attach(
                                            Backbone.of(
                                                    Backbones.small(size, CLASSES, 100 + s), size),
                                            CLASSES,
                                            s);
                            result = ft.trainAll(start.graph(), tr, va, 2 * epochs);
                        } else {
                            HeadedGraph start = head.attach(Backbone.of(base, size), CLASSES, s);
                            result = ft.run(start, tr, va);
                        }
                        if (result.retriedPasses() > 0) {
                            System.err.printf(
                                    "  k=%d seed %d %s: %d passes retried, %d batches skipped%n",
                                    k, s, r, result.retriedPasses(), result.skippedBatches());
                        }
                        miou = ft.validate(head.export(result.graph(), CLASSES), te);
                    } catch (DivergedException e) {
                        miou = 0;
                        diverged.merge(r, 1, Integer::sum);
                        System.err.printf(
                                "  k=%d seed %d %s diverged: %s%n", k, s, r, e.getMessage());
                    }
                    double secs = (System.nanoTime() - t) / 1e9;
                    res.get(r)[0][s] = miou;
                    res.get(r)[1][s] = secs;
                    System.err.printf(
                            Locale.ROOT,
                            "  k=%d seed %d %-9s mIoU %.3f (%.1fs)%n",
                            k,
                            s,
                            r,
                            miou,
                            secs);
                }
            }
            for (String r : rows) {
                double[][] v = res.get(r);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %s | %.3f ± %.3f | %.1f |%n",
                        k,
                        label(r) + Stats.diverged(diverged, r, seeds),
                        Stats.mean(v[0]),
                        Stats.sd(v[0]),
                        Stats.mean(v[1]));
            }
            System.out.flush();
        }
        System.out.printf(
                Locale.ROOT,
                "%ntotal %.1fs, %d seeds, %d test scenes at %d px%n",
                (System.nanoTime() - t0) / 1e9,
                seeds,
                test.size(),
                size);
    }

    private static String label(String row) {
        return switch (row) {
            case "centernet" -> "zoo:centernet COCO backbone + head, phase 1 + fine-tune";
            case "selfie" -> "zoo:selfie segmentation network + head, phase 1 + fine-tune";
            case "scratch" -> "small CNN + head, from scratch";
            default -> row;
        };
    }

    private static List<PastedObjects.Composite> scenes(
            Random r, int n, int size, List<RgbImage> backgrounds, FashionMnist.Split items) {
        List<List<PastedObjects.Item>> byClass = DetectionTransferBench.itemsByClass(items);
        List<PastedObjects.Composite> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            RgbImage bg = backgrounds.get(r.nextInt(backgrounds.size()));
            out.add(PastedObjects.compose(r, bg, size, size, byClass, 3, 0.12, 0.40));
        }
        return out;
    }

    private static ExampleSet set(
            Preprocessor pre, int size, List<PastedObjects.Composite> scenes) {
        List<Example> l = new ArrayList<>(scenes.size());
        for (PastedObjects.Composite c : scenes) {
            l.add(Examples.segmentation(pre, c.image(), c.mask()));
        }
        return new ExampleSet(size, size, l);
    }
}
