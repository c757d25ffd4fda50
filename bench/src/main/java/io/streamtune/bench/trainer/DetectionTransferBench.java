package io.streamtune.bench.trainer;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.pretrain.FashionMnist;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.CenterNetHead;
import io.streamtune.trainer.task.DetectionHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.trainer.task.TaskHead;
import io.streamtune.trainer.train.Augmentation;
import io.streamtune.trainer.train.DivergedException;
import io.streamtune.trainer.train.FineTuner;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.trainer.train.Schedule;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.metrics.DetectionEvaluator;
import io.streamtune.vision.metrics.DetectionReport;
import io.streamtune.vision.metrics.GroundTruthBox;
import io.streamtune.vision.metrics.PredictedBox;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.vision.synth.PastedObjects;
import io.streamtune.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Detection of new classes with few labels, on scenes made of real photographs: Fashion-MNIST
 * product photos (trouser, pullover, sneaker, bag) tinted and pasted, 1-3 per scene at 12-40 % of
 * the scene's side, onto random crops of real photographs (scikit-image's sample photos). Training
 * and early-stopping scenes use one half of the photos as backgrounds and Fashion-MNIST's train
 * items; test scenes use the other half of the photos and the t10k items, so neither a background
 * nor an object of the test set was ever seen. Boxes are the pasted items' tight bounds.
 *
 * <p>Rows: the zoo's COCO CenterNet with its neck and box heads reused and only the class heatmap
 * rebuilt (feature extraction alone; then fine-tuned), the same network with a fresh head grafted
 * on its backbone, and a small CNN + the same fresh head from scratch. mAP@[.5:.95] and mAP@.5 of
 * the exported ONNX (ONNX Runtime, YOLO layout, as served) on the test scenes; mean ± sd over
 * seeds, wall time per run.
 *
 * <p>Arguments ({@code --key=value}): {@code ks} (10,50,200 labelled scenes), {@code seeds} (3),
 * {@code size} (320), {@code test} (200 scenes), {@code val} (30 scenes, early stopping), {@code
 * epochs} (phase budget, default by k), {@code rows} (reuse-fe,reuse,fresh,scratch), {@code
 * first.seed} (0), {@code scene} (scene size {@code WxH} in pixels, default {@code size x size};
 * e.g. {@code 480x270} for a 16:9 camera), {@code resize} ({@code stretch} or {@code letterbox}:
 * how a scene is fitted to the square input in training, evaluation and serving alike).
 */
public final class DetectionTransferBench {

    static {
        DjlOffline.enforce();
    }

    /** Fashion-MNIST classes the scenes use. */
    private static final int[] ITEMS = {1, 2, 7, 8};

    private static final List<String> NAMES = List.of("trouser", "pullover", "sneaker", "bag");

    static final List<String> TRAIN_PHOTOS =
            List.of(
                    "astronaut.png",
                    "chelsea.png",
                    "coffee.png",
                    "rocket.jpg",
                    "brick.png",
                    "grass.png",
                    "motorcycle_left.png");

    static final List<String> TEST_PHOTOS =
            List.of(
                    "camera.png",
                    "coins.png",
                    "gravel.png",
                    "hubble_deep_field.jpg",
                    "motorcycle_right.png",
                    "moon.png",
                    "retina.jpg",
                    "page.png");

    private DetectionTransferBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o =
                FashionMnistBench.prepare(
                        args,
                        "transfer-detection",
                        "ks=10,50,200",
                        "seeds=3",
                        "size=320",
                        "test=200",
                        "val=30",
                        "rows=reuse-fe,reuse,fresh,scratch",
                        "photos="
                                + System.getProperty("user.home")
                                + "/.cache/streamtune/photos/usr/lib/python3/dist-packages/skimage/data");
        List<String> rows = List.of(o.get("rows").split(","));
        int seeds = Integer.parseInt(o.get("seeds"));
        // seeds first.seed .. first.seed + seeds - 1 (a run can be continued where one stopped)
        int firstSeed = Integer.parseInt(o.getOrDefault("first.seed", "0"));
        int size = Integer.parseInt(o.get("size"));
        String[] scene = o.getOrDefault("scene", size + "x" + size).split("x");
        int sceneW = Integer.parseInt(scene[0].trim()), sceneH = Integer.parseInt(scene[1].trim());
        ResizeMode resize = ResizeMode.parse(o.getOrDefault("resize", "stretch"));
        int pad = resize == ResizeMode.LETTERBOX ? PreprocessConfig.ULTRALYTICS_PAD : 0;
        Path photos = Path.of(o.get("photos"));
        List<RgbImage> trainBg = photos(photos, TRAIN_PHOTOS);
        List<RgbImage> testBg = photos(photos, TEST_PHOTOS);
        long t0 = System.nanoTime();

        OnnxGraph zoo =
                BridgeReader.read(
                        Zoo.standard()
                                .resolve("zoo:centernet", s -> System.err.println("zoo: " + s)));
        Preprocessor zooPre =
                new Preprocessor(
                        new PreprocessConfig(
                                size,
                                size,
                                resize,
                                pad,
                                ChannelOrder.RGB,
                                Normalization.parse(
                                        zoo.metadata().get(ModelMetadataKeys.MEAN),
                                        zoo.metadata().get(ModelMetadataKeys.STD))));
        Preprocessor smallPre =
                new Preprocessor(
                        new PreprocessConfig(
                                size,
                                size,
                                resize,
                                pad,
                                ChannelOrder.RGB,
                                Normalization.parse(Backbones.MEAN, Backbones.STD)));

        FashionMnist.Split trainItems = FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 60_000);
        FashionMnist.Split testItems = FashionMnist.read(FashionMnist.DEBIAN_DIR, "t10k", 10_000);
        List<Scene> test =
                scenes(
                        new Random(99),
                        Integer.parseInt(o.get("test")),
                        sceneW,
                        sceneH,
                        testBg,
                        testItems);

        System.out.println();
        System.out.println(
                "| labelled scenes | method | mAP@[.5:.95] (mean ± sd) | mAP@.5 | wall time per run (s) |");
        System.out.println("|---|---|---|---|---|");
        for (String kText : o.get("ks").split(",")) {
            int k = Integer.parseInt(kText.trim());
            Map<String, double[][]> res = new LinkedHashMap<>();
            Map<String, Integer> diverged = new LinkedHashMap<>();
            for (String r : rows) {
                res.put(r, new double[3][seeds]);
            }
            for (int run = 0; run < seeds; run++) {
                int s = firstSeed + run;
                Random random = new Random(1000L * k + s);
                List<Scene> train = scenes(random, k, sceneW, sceneH, trainBg, trainItems);
                List<Scene> val =
                        scenes(
                                random,
                                Integer.parseInt(o.get("val")),
                                sceneW,
                                sceneH,
                                trainBg,
                                trainItems);
                int epochs =
                        o.containsKey("epochs")
                                ? Integer.parseInt(o.get("epochs"))
                                : Math.max(8, Math.min(40, 1200 / k));
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
                for (String r : rows) {
                    long t = System.nanoTime();
                    Preprocessor pre = r.equals("scratch") ? smallPre : zooPre;
                    ExampleSet tr = set(pre, size, train);
                    ExampleSet va = set(pre, size, val);
                    ExampleSet te = set(pre, size, test);
                    TaskHead head =
                            r.startsWith("reuse")
                                    ? new CenterNetHead(CenterNetHead.classesOf(zoo), NAMES)
                                    : new DetectionHead(32);
                    FineTuner ft =
                            new FineTuner(
                                    head,
                                    NAMES.size(),
                                    r.equals("reuse-fe")
                                            ? schedule.withUnfreezeBlocks(0)
                                            : schedule,
                                    ProgressListener.NONE,
                                    1);
                    OnnxGraph trained;
                    try {
                        trained =
                                switch (r) {
                                    case "reuse-fe", "reuse" -> {
                                        HeadedGraph start =
                                                head.attach(
                                                        CenterNetHead.backbone(zoo, size),
                                                        NAMES.size(),
                                                        s);
                                        yield ft.run(start, tr, va).graph();
                                    }
                                    case "fresh" -> {
                                        HeadedGraph start =
                                                head.attach(
                                                        Backbone.of(zoo, size), NAMES.size(), s);
                                        yield ft.run(start, tr, va).graph();
                                    }
                                    case "scratch" -> {
                                        HeadedGraph start =
                                                head.attach(
                                                        Backbone.of(
                                                                Backbones.small(
                                                                        size,
                                                                        NAMES.size(),
                                                                        100 + s),
                                                                size),
                                                        NAMES.size(),
                                                        s);
                                        yield ft.trainAll(start.graph(), tr, va, 2 * epochs)
                                                .graph();
                                    }
                                    default ->
                                            throw new IllegalArgumentException("unknown row " + r);
                                };
                    } catch (DivergedException e) {
                        // as the trainer would: no model; counted as 0 and reported
                        trained = null;
                        diverged.merge(r, 1, Integer::sum);
                        System.err.printf(
                                "  k=%d seed %d %s diverged: %s%n", k, s, r, e.getMessage());
                    }
                    DetectionReport report =
                            trained == null
                                    ? null
                                    : evaluate(head.export(trained, NAMES.size()), te);
                    double secs = (System.nanoTime() - t) / 1e9;
                    res.get(r)[0][run] = report == null ? 0 : Math.max(0, report.map());
                    res.get(r)[1][run] = report == null ? 0 : Math.max(0, report.map50());
                    res.get(r)[2][run] = secs;
                    System.err.printf(
                            Locale.ROOT,
                            "  k=%d seed %d %-9s mAP %.3f mAP50 %.3f (%.1fs)%n",
                            k,
                            s,
                            r,
                            res.get(r)[0][run],
                            res.get(r)[1][run],
                            secs);
                }
            }
            for (String r : rows) {
                double[][] v = res.get(r);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %s | %.3f ± %.3f | %.3f ± %.3f | %.1f |%n",
                        k,
                        label(r) + Stats.diverged(diverged, r, seeds),
                        Stats.mean(v[0]),
                        Stats.sd(v[0]),
                        Stats.mean(v[1]),
                        Stats.sd(v[1]),
                        Stats.mean(v[2]));
            }
            System.out.flush();
        }
        System.out.printf(
                Locale.ROOT,
                "%ntotal %.1fs, %d seeds, %d test scenes of %dx%d px, %s to %d px (backgrounds and items"
                        + " never trained on)%n",
                (System.nanoTime() - t0) / 1e9,
                seeds,
                test.size(),
                sceneW,
                sceneH,
                resize.name().toLowerCase(Locale.ROOT),
                size);
    }

    private static String label(String row) {
        return switch (row) {
            case "reuse-fe" ->
                    "zoo:centernet, neck + box heads reused, class heatmap rebuilt: phase 1 only";
            case "reuse" -> "zoo:centernet, neck + box heads reused: phase 1 + fine-tune";
            case "fresh" -> "zoo:centernet backbone, fresh head grafted: phase 1 + fine-tune";
            case "scratch" -> "small CNN + fresh head, from scratch";
            default -> row;
        };
    }

    /** mAP of an exported detector (YOLO layout) run in ONNX Runtime, as inference serves it. */
    static DetectionReport evaluate(OnnxGraph exported, ExampleSet test) throws Exception {
        DetectionEvaluator eval = new DetectionEvaluator();
        try (OrtRunner ort = new OrtRunner(exported, 2)) {
            for (int from = 0; from < test.size(); from += 32) {
                int to = Math.min(test.size(), from + 32);
                OnnxTensor out =
                        ort.run(Map.of("input", test.inputs(from, to))).values().iterator().next();
                int rowsPer = (int) out.shape()[1], anchors = (int) out.shape()[2];
                float[] v = out.floats();
                for (int i = from; i < to; i++) {
                    int base = (i - from) * rowsPer * anchors;
                    List<PredictedBox> preds = new ArrayList<>();
                    for (int a = 0; a < anchors; a++) {
                        int best = -1;
                        float score = 0.01f;
                        for (int c = 4; c < rowsPer; c++) {
                            float sc = v[base + c * anchors + a];
                            if (sc > score) {
                                score = sc;
                                best = c - 4;
                            }
                        }
                        // as the served decoder: a box without area is no detection
                        if (best >= 0
                                && v[base + 2 * anchors + a] > 0
                                && v[base + 3 * anchors + a] > 0) {
                            preds.add(
                                    new PredictedBox(
                                            best,
                                            score,
                                            Box.fromCenter(
                                                    v[base + a],
                                                    v[base + anchors + a],
                                                    v[base + 2 * anchors + a],
                                                    v[base + 3 * anchors + a])));
                        }
                    }
                    preds.sort((x, y) -> Double.compare(y.score(), x.score()));
                    List<GroundTruthBox> truth = new ArrayList<>();
                    for (float[] b : test.examples().get(i).boxes()) {
                        truth.add(
                                new GroundTruthBox(
                                        (int) b[4], Box.fromCorners(b[0], b[1], b[2], b[3])));
                    }
                    eval.addImage(truth, preds.subList(0, Math.min(100, preds.size())));
                }
            }
        }
        return eval.evaluate();
    }

    /** A scene and its boxes {x, y, w, h, class} in scene pixels. */
    record Scene(RgbImage image, List<double[]> boxes) {}

    /** The benchmark's item classes of a Fashion-MNIST split, by class. */
    static List<List<PastedObjects.Item>> itemsByClass(FashionMnist.Split items) {
        List<List<PastedObjects.Item>> byClass = new ArrayList<>();
        for (int c = 0; c < ITEMS.length; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            for (int c = 0; c < ITEMS.length; c++) {
                if (items.labels()[i] == ITEMS[c]) {
                    byClass.get(c)
                            .add(new PastedObjects.Item(NAMES.get(c), items.pixels()[i], 28, 28));
                }
            }
        }
        return byClass;
    }

    static List<Scene> scenes(
            Random r,
            int n,
            int width,
            int height,
            List<RgbImage> backgrounds,
            FashionMnist.Split items) {
        List<List<PastedObjects.Item>> byClass = itemsByClass(items);
        List<Scene> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            RgbImage bg = backgrounds.get(r.nextInt(backgrounds.size()));
            PastedObjects.Composite c =
                    PastedObjects.compose(r, bg, width, height, byClass, 3, 0.12, 0.40);
            List<double[]> boxes = new ArrayList<>();
            for (PastedObjects.Placed p : c.objects()) {
                boxes.add(
                        new double[] {
                            p.box().x(),
                            p.box().y(),
                            p.box().width(),
                            p.box().height(),
                            NAMES.indexOf(p.className())
                        });
            }
            out.add(new Scene(c.image(), boxes));
        }
        return out;
    }

    private static ExampleSet set(Preprocessor pre, int size, List<Scene> scenes) {
        List<Example> l = new ArrayList<>(scenes.size());
        for (Scene s : scenes) {
            l.add(Examples.detection(pre, s.image(), s.boxes()));
        }
        return new ExampleSet(size, size, l);
    }

    static List<RgbImage> photos(Path dir, List<String> names) throws Exception {
        List<RgbImage> out = new ArrayList<>();
        for (String n : names) {
            Path f = dir.resolve(n);
            if (!Files.isRegularFile(f)) {
                throw new IllegalStateException(
                        f
                                + " missing: the sample photos of Debian's python3-skimage are needed (see .ci/run)");
            }
            out.add(RgbImage.of(ImageIO.read(f.toFile())));
        }
        return out;
    }
}
