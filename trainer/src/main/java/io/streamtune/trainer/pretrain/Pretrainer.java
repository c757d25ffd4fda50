package io.streamtune.trainer.pretrain;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
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
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.ShapeKind;
import io.streamtune.vision.synth.SyntheticScenes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-trains {@link Backbones#small} on a source classification task and caches the resulting ONNX
 * file, so the local stack has a base model without any download.
 */
public final class Pretrainer {

    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);

    /** The source task. */
    public enum Source {
        /**
         * Debian's Fashion-MNIST (real photos of clothing, grey, upscaled); falls back to synthetic
         * when absent.
         */
        FASHION_MNIST,
        /** Generated one-shape scenes on textured backgrounds, labelled by shape. */
        SYNTHETIC
    }

    /**
     * What to pre-train.
     *
     * @param source source task
     * @param inputSize square input size
     * @param samples training images
     * @param epochs epochs over them
     * @param classes Fashion-MNIST labels to use (empty: all ten)
     * @param seed seed of initialisation, data order and augmentation
     */
    public record Options(
            Source source,
            int inputSize,
            int samples,
            int epochs,
            Set<Integer> classes,
            long seed) {
        public Options {
            classes = Set.copyOf(classes);
            if (inputSize < 8 || samples < 10 || epochs < 1) {
                throw new IllegalArgumentException(
                        "invalid pretrain options " + inputSize + "/" + samples + "/" + epochs);
            }
        }

        public static Options defaults() {
            return new Options(Source.SYNTHETIC, 32, 4000, 6, Set.of(), 1L);
        }

        String cacheName() {
            return "backbone-"
                    + source.name().toLowerCase(java.util.Locale.ROOT)
                    + "-"
                    + inputSize
                    + "-"
                    + samples
                    + "-"
                    + epochs
                    + "-"
                    + (classes.isEmpty()
                            ? "all"
                            : String.join(
                                    "_", classes.stream().sorted().map(String::valueOf).toList()))
                    + "-"
                    + seed
                    + ".onnx";
        }
    }

    private Pretrainer() {}

    /** The pre-processing every model derived from the default backbone uses. */
    public static PreprocessConfig preprocess(int size) {
        return new PreprocessConfig(
                size,
                size,
                ResizeMode.STRETCH,
                0,
                ChannelOrder.RGB,
                Normalization.parse(Backbones.MEAN, Backbones.STD));
    }

    /**
     * The cached backbone for {@code options} under {@code cacheDir}, pre-training it first if
     * missing.
     */
    public static Path ensure(
            Path cacheDir, Options options, ProgressListener listener, int threads)
            throws Exception {
        // One pre-training at a time in this JVM: a background warm-up and a first run share the
        // result.
        synchronized (Pretrainer.class) {
            return ensureLocked(cacheDir, options, listener, threads);
        }
    }

    private static Path ensureLocked(
            Path cacheDir, Options options, ProgressListener listener, int threads)
            throws Exception {
        Path file = cacheDir.resolve(options.cacheName());
        if (Files.isRegularFile(file)) {
            return file;
        }
        Files.createDirectories(cacheDir);
        OnnxGraph g = pretrain(options, listener, threads);
        Path tmp = Files.createTempFile(cacheDir, "backbone", ".tmp");
        try {
            OnnxWriter.write(g, tmp);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /**
     * Pre-trains and returns the whole classifier graph (backbone + source head), metadata
     * included.
     */
    public static OnnxGraph pretrain(Options o, ProgressListener listener, int threads)
            throws Exception {
        long t0 = System.nanoTime();
        Preprocessor pre = new Preprocessor(preprocess(o.inputSize()));
        List<Example> all = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        Source source = o.source();
        if (source == Source.FASHION_MNIST && !FashionMnist.available(FashionMnist.DEBIAN_DIR)) {
            LOG.warn(
                    "Fashion-MNIST is not installed at {} (apt-get install dataset-fashion-mnist); pre-training on synthetic scenes",
                    FashionMnist.DEBIAN_DIR);
            source = Source.SYNTHETIC;
        }
        if (source == Source.FASHION_MNIST) {
            FashionMnist.Split split = FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 60_000);
            Map<Integer, Integer> remap = new LinkedHashMap<>();
            for (int c = 0; c < FashionMnist.CLASSES.length; c++) {
                if (o.classes().isEmpty() || o.classes().contains(c)) {
                    remap.put(c, remap.size());
                    classNames.add(FashionMnist.CLASSES[c]);
                }
            }
            for (int i = 0; i < split.size() && all.size() < o.samples(); i++) {
                Integer label = remap.get(split.labels()[i]);
                if (label != null) {
                    all.add(Examples.classification(pre, grey(split.pixels()[i], 28, 28), label));
                }
            }
        } else {
            classNames.addAll(ShapeKind.classNames());
            for (int i = 0; i < o.samples(); i++) {
                Scene s =
                        SyntheticScenes.single(
                                o.seed() * 1_000_003L + i, o.inputSize(), o.inputSize());
                all.add(Examples.classification(pre, s.image(), s.dominantShape().classId()));
            }
        }
        int valCount = Math.max(1, all.size() / 10);
        ExampleSet val = new ExampleSet(o.inputSize(), o.inputSize(), all.subList(0, valCount));
        ExampleSet train =
                new ExampleSet(o.inputSize(), o.inputSize(), all.subList(valCount, all.size()));
        OnnxGraph net = Backbones.small(o.inputSize(), classNames.size(), o.seed());
        Schedule schedule =
                new Schedule(
                        1,
                        0,
                        32,
                        3e-3,
                        1,
                        0,
                        o.epochs(),
                        new Augmentation(true, 0.8, 0, 0.1),
                        o.seed());
        FineTuner tuner =
                new FineTuner(
                        new ClassificationHead(0), classNames.size(), schedule, listener, threads);
        FineTuner.Result r = tuner.trainAll(net, train, val, o.epochs());
        Map<String, String> meta = new LinkedHashMap<>(r.graph().metadata());
        meta.put(ModelMetadataKeys.TASK, "classification");
        meta.put(
                ModelMetadataKeys.CLASSES,
                io.streamtune.contracts.JsonSerde.MAPPER.writeValueAsString(classNames));
        meta.put(ModelMetadataKeys.INPUT_WIDTH, Integer.toString(o.inputSize()));
        meta.put(ModelMetadataKeys.INPUT_HEIGHT, Integer.toString(o.inputSize()));
        meta.put(ModelMetadataKeys.METRICS, "{\"accuracy\":" + r.metric() + "}");
        meta.put("streamtune.pretrain.source", source.name().toLowerCase(java.util.Locale.ROOT));
        LOG.info(
                "pretrained backbone: source={} classes={} samples={} epochs={} val_accuracy={} in {}s",
                source,
                classNames.size(),
                train.size(),
                r.fineTuneEpochs(),
                String.format("%.4f", r.metric()),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return r.graph().withMetadata(meta);
    }

    /** A grey image as RGB. */
    public static RgbImage grey(int[] pixels, int width, int height) {
        byte[] px = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            px[i * 3] = px[i * 3 + 1] = px[i * 3 + 2] = (byte) pixels[i];
        }
        return new RgbImage(width, height, px);
    }
}
