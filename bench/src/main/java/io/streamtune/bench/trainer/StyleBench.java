package io.streamtune.bench.trainer;

import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.trainer.style.GatysReference;
import io.streamtune.trainer.style.PerceptualLoss;
import io.streamtune.trainer.style.PerceptualNet;
import io.streamtune.trainer.style.StyleEvaluator;
import io.streamtune.trainer.style.StyleTrainer;
import io.streamtune.trainer.style.TransformerNet;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Style transfer on real photographs: a stylizer trained on crops of some of scikit-image's sample
 * photos (the style: its immunohistochemistry micrograph {@code ihc.png}, or {@code --style=FILE}),
 * scored on crops of photos it never saw against leaving the image as it is and against the
 * optimisation-based reference (Gatys et al.) on the same loss; then ms per frame of the exported
 * ONNX model in ONNX Runtime at 256 and 512 px. The perceptual network is the zoo's COCO CenterNet
 * backbone.
 */
public final class StyleBench {

    static final List<String> TRAIN =
            List.of(
                    "astronaut.png",
                    "coffee.png",
                    "rocket.jpg",
                    "motorcycle_left.png",
                    "color.png");
    static final List<String> SELECTION = List.of("chelsea.png");
    static final List<String> TEST =
            List.of("motorcycle_right.png", "hubble_deep_field.jpg", "retina.jpg");

    static {
        io.streamtune.runtime.DjlOffline.enforce();
    }

    private StyleBench() {}

    public static void main(String[] args) throws Exception {
        String data =
                System.getProperty("user.home")
                        + "/.cache/streamtune/photos/usr/lib/python3/dist-packages/skimage/data";
        Map<String, String> o = new LinkedHashMap<>();
        o.put("size", "128");
        o.put("steps", "300");
        o.put("batch", "4");
        o.put("lr", "0.003");
        o.put("channels", "16");
        o.put("blocks", "3");
        o.put("style.weight", "1");
        o.put("content.weight", "1");
        o.put("tv.weight", "0.1");
        o.put("content.stride", "8");
        o.put("style.strides", "2,4,8,16");
        o.put("gatys.steps", "150");
        o.put("activations", "raw");
        o.put("crops", "12");
        o.put("photos", data);
        o.put("style", data + "/ihc.png");
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                System.err.println("usage: style [--size=128] [--steps=300] [--style=FILE] ...");
                System.exit(2);
            }
            o.put(a.substring(2, eq), a.substring(eq + 1));
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "2");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        int size = Integer.parseInt(o.get("size"));
        Path photos = Path.of(o.get("photos"));
        Random r = new Random(1);
        List<RgbImage> train = new ArrayList<>(crops(photos, TRAIN, 12, r));
        // --crops above 12 per photo: the extra crops from their own generator, so the selection
        // and test crops stay the same
        int extra = Integer.parseInt(o.get("crops")) - 12;
        if (extra > 0) {
            train.addAll(crops(photos, TRAIN, extra, new Random(99)));
        }
        // --select=train: select on training crops (a diagnostic: does ONNX Runtime see the
        // loss fall that training sees?)
        List<RgbImage> sel =
                "train".equals(o.get("select"))
                        ? train.subList(0, 12)
                        : crops(photos, SELECTION, 6, r);
        List<RgbImage> test = crops(photos, TEST, 4, r);
        RgbImage style = RgbImage.of(ImageIO.read(Path.of(o.get("style")).toFile()));
        OnnxGraph zoo =
                BridgeReader.read(
                        Zoo.standard()
                                .resolve("zoo:centernet", s -> System.err.println("zoo: " + s)));
        List<Integer> strides = new ArrayList<>();
        for (String s : o.get("style.strides").split(",")) {
            strides.add(Integer.parseInt(s.trim()));
        }
        PerceptualNet net =
                PerceptualNet.of(
                        zoo,
                        size,
                        strides,
                        PerceptualNet.Activations.valueOf(
                                o.get("activations").toUpperCase(java.util.Locale.ROOT)));
        PerceptualLoss loss =
                new PerceptualLoss(
                        Double.parseDouble(o.get("style.weight")),
                        Double.parseDouble(o.get("content.weight")),
                        Double.parseDouble(o.get("tv.weight")),
                        net.layerAt(Integer.parseInt(o.get("content.stride"))));
        System.out.printf(
                "style bench: %s, %d train / %d selection / %d test crops, %d px, taps %s (strides %s), content at stride %d, %s%n",
                Path.of(o.get("style")).getFileName(),
                train.size(),
                sel.size(),
                test.size(),
                size,
                net.layers(),
                net.strides(),
                net.strides().get(loss.contentLayer()),
                o);
        OnnxGraph start =
                TransformerNet.build(
                        Integer.parseInt(o.get("channels")), Integer.parseInt(o.get("blocks")), 7);
        try (StyleEvaluator eval = new StyleEvaluator(net, loss, List.of(style), size, 2)) {
            StyleEvaluator.Scored s0 = eval.score(OnnxWriter.toBytes(start), sel);
            System.out.printf(
                    "selection crops: fresh network %.4f, unchanged image %.4f%n",
                    s0.mean(PerceptualLoss.Terms::total),
                    s0.identity().stream()
                            .mapToDouble(PerceptualLoss.Terms::total)
                            .average()
                            .orElse(0));
        }
        long t0 = System.nanoTime();
        StyleTrainer.Result res =
                new StyleTrainer(
                                net,
                                loss,
                                new StyleTrainer.Settings(
                                        size,
                                        Integer.parseInt(o.get("steps")),
                                        Integer.parseInt(o.get("batch")),
                                        Double.parseDouble(o.get("lr")),
                                        50,
                                        7),
                                (p, e, n, l, m, eta) ->
                                        System.out.printf(
                                                "  step %d/%d train loss %.4f selection %.4f eta %ds%n",
                                                e, n, l, m, eta),
                                2)
                        .train(start, List.of(style), train, sel);
        double trainS = (System.nanoTime() - t0) / 1e9;
        byte[] onnx = OnnxWriter.toBytes(res.graph());
        try (StyleEvaluator eval = new StyleEvaluator(net, loss, List.of(style), size, 2)) {
            StyleEvaluator.Scored s = eval.score(onnx, test);
            double[] gains = s.gains();
            System.out.printf(
                    "trained %d steps in %.0f s (%d passes retried, %d skipped)%n",
                    res.steps(), trainS, res.retriedPasses(), res.skippedSteps());
            System.out.printf(
                    "held-out crops: model total %.4f (style %.4f content %.4f tv %.4f) vs unchanged image %.4f (style %.4f); gain %.3f ± %.3f%n",
                    s.mean(PerceptualLoss.Terms::total),
                    s.mean(PerceptualLoss.Terms::style),
                    s.mean(PerceptualLoss.Terms::content),
                    s.mean(PerceptualLoss.Terms::tv),
                    s.identity().stream()
                            .mapToDouble(PerceptualLoss.Terms::total)
                            .average()
                            .orElse(0),
                    s.identity().stream()
                            .mapToDouble(PerceptualLoss.Terms::style)
                            .average()
                            .orElse(0),
                    Stats.mean(gains),
                    Stats.sd(gains));
            StringBuilder each = new StringBuilder("  per held-out crop (gain style/content):");
            for (int i = 0; i < gains.length; i++) {
                each.append(
                        String.format(
                                " %.2f (%.3f/%.3f)",
                                gains[i], s.model().get(i).style(), s.model().get(i).content()));
            }
            System.out.println(each);
            int g = Math.min(2, test.size());
            double ref = 0, ff = 0, gatysMs = 0;
            for (int i = 0; i < g; i++) {
                long tg = System.nanoTime();
                GatysReference.Result gr =
                        GatysReference.optimize(
                                eval,
                                net,
                                loss,
                                test.get(i),
                                size,
                                Integer.parseInt(o.get("gatys.steps")),
                                0.05);
                gatysMs += (System.nanoTime() - tg) / 1e6;
                if (o.containsKey("images")) {
                    Path dir = Files.createDirectories(Path.of(o.get("images")));
                    OnnxTensor x = StyleEvaluator.tensor(List.of(test.get(i)), size);
                    png(x, dir.resolve(i + "-content.png"));
                    png(gr.image(), dir.resolve(i + "-gatys.png"));
                    try (OrtRunner ort = new OrtRunner(onnx, 2)) {
                        png(
                                ort.run(Map.of("input", x)).get(TransformerNet.OUTPUT),
                                dir.resolve(i + "-stylizer.png"));
                    }
                }
                ref += gr.terms().total();
                ff += s.model().get(i).total();
            }
            System.out.printf(
                    "Gatys reference (%s Adam steps on the image) on %d held-out crops: total %.4f in %.0f ms per image; feed-forward %.4f = %.2fx the reference%n",
                    o.get("gatys.steps"), g, ref / g, gatysMs / g, ff / g, ff / ref);
        }
        try (OrtRunner ort = new OrtRunner(onnx, 2)) {
            for (int px : new int[] {256, 512}) {
                OnnxTensor x = StyleEvaluator.tensor(List.of(test.get(0)), px);
                ort.run(Map.of("input", x));
                int n = px == 256 ? 10 : 4;
                long t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    ort.run(Map.of("input", x));
                }
                System.out.printf(
                        "ONNX Runtime (2 threads): %.1f ms per %d px frame%n",
                        (System.nanoTime() - t) / 1e6 / n, px);
            }
        }
        if (o.containsKey("out")) {
            java.nio.file.Files.write(Path.of(o.get("out")), onnx);
        }
    }

    /** The first image of a {@code [N, 3, H, W]} RGB tensor in [0, 1], written as a PNG. */
    static void png(OnnxTensor t, Path file) throws Exception {
        int h = (int) t.shape()[2], w = (int) t.shape()[3];
        float[] v = t.floats();
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    float f = Math.max(0, Math.min(1, v[(c * h + y) * w + x]));
                    rgb = (rgb << 8) | Math.round(f * 255);
                }
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    static List<RgbImage> crops(Path dir, List<String> names, int per, Random r) throws Exception {
        return io.streamtune.trainer.style.StyleData.crops(
                DetectionTransferBench.photos(dir, names), per, r);
    }
}
