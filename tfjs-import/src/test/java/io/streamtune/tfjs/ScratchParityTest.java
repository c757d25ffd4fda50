package io.streamtune.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.onnx.ir.OnnxGraph;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ScratchParityTest {

    static float[] photo(Path file, int size, float scale) throws Exception {
        BufferedImage src = ImageIO.read(file.toFile());
        BufferedImage dst = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, size, size, null);
        g.dispose();
        float[] f = new float[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                int rgb = dst.getRGB(x, y);
                int i = (y * size + x) * 3;
                f[i] = ((rgb >> 16) & 255) * scale;
                f[i + 1] = ((rgb >> 8) & 255) * scale;
                f[i + 2] = (rgb & 255) * scale;
            }
        return f;
    }

    @Test
    void centernet() throws Exception {
        run("centernet", "tower_0/images", 512, 1f, List.of("tower_0/keypoints", "tower_0/wh"));
    }

    @Test
    void selfie() throws Exception {
        run("selfie", "input_1", 256, 1f / 255, List.of("activation_10"));
    }

    void run(String name, String input, int size, float scale, List<String> outs) throws Exception {
        Path model = Path.of("/tmp/zoo/package/models/" + name + ".json");
        long t0 = System.nanoTime();
        TfjsGraphModel m = TfjsGraphModelReader.read(model);
        OnnxGraph g = TfjsImporter.convert(m, TfjsImporter.Options.defaults().withOutputs(outs));
        System.out.printf(
                "%s import %.0f ms, %d nodes%n",
                name, (System.nanoTime() - t0) / 1e6, g.nodes().size());
        float[] nhwc =
                photo(
                        Path.of(
                                "/tmp/skimg/usr/lib/python3/dist-packages/skimage/data/astronaut.png"),
                        size,
                        scale);
        var ref =
                TfjsReference.run(
                        model,
                        List.of(
                                new TfjsReference.Input(
                                        input, new long[] {1, size, size, 3}, nhwc)),
                        outs,
                        Path.of("target/scratch-" + name));
        Map<String, float[]> ort =
                OrtSessions.run(
                        g,
                        new long[] {1, 3, size, size},
                        TfjsReference.toNchw(nhwc, 1, size, size, 3));
        int i = 0;
        for (String o : outs) {
            TfjsReference.Output r = ref.get(o);
            float[] expected =
                    TfjsReference.toNchw(
                            r.data(),
                            (int) r.shape()[0],
                            (int) r.shape()[1],
                            (int) r.shape()[2],
                            (int) r.shape()[3]);
            float[] actual = ort.get(g.outputs().get(i++).name());
            double err = OrtSessions.relativeMaxError(actual, expected);
            System.out.printf("%s %s rel err %.3g%n", name, o, err);
            assertThat(err).isLessThan(1e-3);
        }
    }
}
