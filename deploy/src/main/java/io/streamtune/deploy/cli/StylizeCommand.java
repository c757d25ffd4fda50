package io.streamtune.deploy.cli;

import io.streamtune.contracts.Task;
import io.streamtune.deploy.demo.PhotoSet;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.trainer.publish.ModelExport;
import io.streamtune.trainer.style.PerceptualLoss;
import io.streamtune.trainer.style.PerceptualNet;
import io.streamtune.trainer.style.StyleData;
import io.streamtune.trainer.style.StyleSettings;
import io.streamtune.trainer.style.StyleTrainer;
import io.streamtune.trainer.style.TransformerNet;
import io.streamtune.vision.artifact.Sha256;
import io.streamtune.vision.decode.StylizationDecoder;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.image.ImageRejectedException;
import io.streamtune.vision.image.Jpeg;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.ImageOps;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.vision.preprocess.ResizeTransform;
import io.streamtune.zoo.Zoo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stylize --style STYLE.jpg --content PHOTO.jpg --out OUT.jpg}: trains a stylizer for the
 * style (or reuses the one cached for the same style image and settings), then writes the content
 * image stylized. The training content is a folder of photographs (the demo's by default).
 */
@Command(
        name = "stylize",
        mixinStandardHelpOptions = true,
        description =
                "Render a photo in the style of an image: trains (or reuses) a feed-forward stylizer.")
public final class StylizeCommand implements Callable<Integer> {

    @Option(names = "--style", required = true, description = "Style image (JPEG/PNG).")
    Path style;

    @Option(names = "--content", required = true, description = "Photo to stylize.")
    Path content;

    @Option(names = "--out", required = true, description = "Where to write the stylized JPEG.")
    Path out;

    @Option(
            names = "--photos",
            description =
                    "Folder of photos to train on (default: the demo photographs; else crops of"
                            + " --content).")
    Path photos;

    @Option(
            names = "--steps",
            defaultValue = "600",
            description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--size",
            defaultValue = "512",
            description =
                    "Longest side of the output (default: ${DEFAULT-VALUE}, at most the photo's).")
    int size;

    @Option(
            names = "--cache",
            description = "Stylizer cache (default: ~/.cache/streamtune/styles).")
    Path cache;

    @Override
    public Integer call() throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());
        byte[] styleBytes = read(style, "--style");
        RgbImage styleImage = decode(decoder, styleBytes, style);
        RgbImage photo = decode(decoder, read(content, "--content"), content);
        StyleSettings s =
                StyleSettings.from(
                        ConfigSource.of(Map.of("trainer.style.steps", Integer.toString(steps))));
        Path dir =
                cache != null
                        ? cache
                        : Path.of(
                                System.getProperty("user.home"), ".cache", "streamtune", "styles");
        String key =
                Sha256.hex(concat(styleBytes, s.toString().getBytes(StandardCharsets.UTF_8)))
                        .substring(0, 16);
        Path model = dir.resolve("style-" + key + ".onnx");
        long t0 = System.nanoTime();
        if (Files.isRegularFile(model)) {
            System.err.println("stylize: using the cached stylizer " + model);
        } else {
            train(s, styleImage, photo, model);
        }
        byte[] onnx = Files.readAllBytes(model);
        int longest = Math.min(size, Math.max(photo.width(), photo.height()));
        // the network runs at any multiple of 4: keep the photo's aspect ratio
        double scale = (double) longest / Math.max(photo.width(), photo.height());
        int w = multipleOf4(photo.width() * scale);
        int h = multipleOf4(photo.height() * scale);
        RgbImage resized = ImageOps.resize(photo, w, h);
        float[] x = ImageOps.toChw(resized, ChannelOrder.RGB, Normalization.UNIT);
        try (OrtRunner ort =
                new OrtRunner(onnx, Math.max(1, Runtime.getRuntime().availableProcessors()))) {
            long ts = System.nanoTime();
            OnnxTensor y =
                    ort.run(
                                    Map.of(
                                            "input",
                                            OnnxTensor.ofFloats(
                                                    "input", new long[] {1, 3, h, w}, x)))
                            .get(TransformerNet.OUTPUT);
            RgbImage stylized =
                    StylizationDecoder.decode(
                            y.floats(), y.shape(), 0, ResizeTransform.stretch(w, h, w, h));
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, Jpeg.encode(stylized, 0.92f));
            System.err.printf(
                    "stylize: wrote %s (%dx%d) in %.0f ms (%.1f s in all)%n",
                    out,
                    stylized.width(),
                    stylized.height(),
                    (System.nanoTime() - ts) / 1e6,
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private void train(StyleSettings s, RgbImage styleImage, RgbImage photo, Path model)
            throws Exception {
        List<RgbImage> sources = new ArrayList<>();
        Path dir = photos != null ? photos : PhotoSet.findDefault();
        if (dir != null && Files.isDirectory(dir)) {
            for (java.awt.image.BufferedImage b : PhotoSet.load(dir)) {
                sources.add(RgbImage.of(b));
            }
        }
        if (sources.isEmpty()) {
            System.err.println(
                    "stylize: no photos to train on (--photos DIR); training on crops of --content");
            sources.add(photo);
        }
        Random r = new Random(7);
        List<RgbImage> crops = StyleData.crops(sources, Math.max(4, 64 / sources.size()), r);
        java.util.Collections.shuffle(crops, r);
        int sel = Math.max(1, crops.size() / 8);
        List<RgbImage> selection = crops.subList(0, sel);
        List<RgbImage> train = crops.subList(sel, crops.size());
        OnnxGraph zoo =
                BridgeReader.read(
                        Zoo.standard()
                                .resolve("zoo:centernet", m -> System.err.println("zoo: " + m)));
        PerceptualNet net = s.perceptual(zoo);
        PerceptualLoss loss = s.loss(net);
        System.err.printf(
                "stylize: training a stylizer for %s on %d crops of %d photos, %d steps at %d px%n",
                style.getFileName(), train.size(), sources.size(), s.steps(), s.size());
        StyleTrainer.Result res =
                new StyleTrainer(
                                net,
                                loss,
                                s.training(7),
                                (p, step, n, l, m, eta) ->
                                        System.err.printf(
                                                "stylize: step %d/%d loss %.4f selection %.4f, %ds left%n",
                                                step, n, l, m, eta),
                                Math.max(1, Runtime.getRuntime().availableProcessors()))
                        .train(
                                TransformerNet.build(s.channels(), s.blocks(), 7),
                                List.of(styleImage),
                                train,
                                selection);
        OnnxGraph exported =
                ModelExport.withMetadata(
                        res.graph(),
                        Task.STYLIZATION,
                        List.of(),
                        new PreprocessConfig(
                                s.size(),
                                s.size(),
                                ResizeMode.STRETCH,
                                0,
                                ChannelOrder.RGB,
                                Normalization.UNIT),
                        "stylize",
                        1,
                        null,
                        Map.of("selection_loss", res.selectionLoss()),
                        Instant.now());
        Files.createDirectories(model.getParent());
        Path tmp = model.resolveSibling(model.getFileName() + ".tmp");
        Files.write(tmp, OnnxWriter.toBytes(exported));
        Files.move(tmp, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int multipleOf4(double v) {
        return Math.max(4, (int) Math.round(v) / 4 * 4);
    }

    private static byte[] read(Path p, String option) throws java.io.IOException {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(option + ": no such file " + p);
        }
        return Files.readAllBytes(p);
    }

    private static RgbImage decode(ImageDecoder d, byte[] bytes, Path p) {
        try {
            return d.decode(bytes);
        } catch (ImageRejectedException e) {
            throw new IllegalArgumentException(p + ": not a usable image (" + e.getMessage() + ")");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
