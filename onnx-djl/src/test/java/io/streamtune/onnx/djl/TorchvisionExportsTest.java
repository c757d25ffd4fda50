package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A held-out exporter: Debian's PyTorch/torchvision export ResNet-18, MobileNetV2, MobileNetV3 and
 * LRASPP (random init, nothing downloaded) at opsets 9, 11, 13 and 17; each is read by the bridge,
 * matches ONNX Runtime, is fine-tuned a few steps, exported, and the export runs in ONNX Runtime
 * exactly as DJL computes it.
 */
class TorchvisionExportsTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final int SIZE = 64;
    private static final List<String> NETS =
            List.of("resnet18", "mobilenet_v2", "mobilenet_v3_small", "lraspp_mobilenet_v3_large");
    private static final List<Integer> OPSETS = List.of(9, 11, 13, 17);

    @TempDir static Path exports;

    @BeforeAll
    static void export() throws Exception {
        String why = torchMissing();
        if (why != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        assumeTrue(why == null, why);
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                PYTHON,
                                Path.of("src/test/python/export_torchvision.py")
                                        .toAbsolutePath()
                                        .toString(),
                                exports.toString(),
                                Integer.toString(SIZE)));
        OPSETS.forEach(o -> cmd.add(o.toString()));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(exports.resolve("export.log").toFile())
                        .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(exports.resolve("export.log"))).isZero();
    }

    private static String torchMissing() {
        try {
            Process p =
                    new ProcessBuilder(PYTHON, "-c", "import torch, torchvision")
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0
                    ? null
                    : "Debian's python3-torch and python3-torchvision are not installed";
        } catch (IOException | InterruptedException e) {
            return PYTHON + " is not installed";
        }
    }

    static Stream<Arguments> exportsAtOpsets() {
        return NETS.stream().flatMap(n -> OPSETS.stream().map(o -> Arguments.of(n, o)));
    }

    @ParameterizedTest(name = "{0} opset {1}")
    @MethodSource("exportsAtOpsets")
    void shouldReadFineTuneExportAndServe(String net, int opset) throws Exception {
        byte[] original = Files.readAllBytes(exports.resolve(net + "-opset" + opset + ".onnx"));
        OnnxTensor x = OnnxFixtures.random(new Random(opset), "input", 2, 3, SIZE, SIZE);
        OnnxGraph graph = BridgeReader.read(original);
        OnnxTensor truth = ort(original, x);

        OnnxTensor djl = OnnxFixtures.runDjl(graph, Map.of("input", x)).values().iterator().next();
        assertThat(relative(djl, truth))
                .as("bridge vs ONNX Runtime, max |y| %s", magnitude(truth))
                .isLessThanOrEqualTo(1e-4);

        boolean segmentation = truth.shape().length == 4;
        OnnxBlock block = new OnnxBlock(graph);
        byte[] exported;
        OnnxTensor tuned;
        try (ai.djl.Model model =
                OnnxFixtures.train(
                        block,
                        new Shape(2, 3, SIZE, SIZE),
                        segmentation
                                ? ai.djl.training.loss.Loss.l2Loss()
                                : ai.djl.training.loss.Loss.softmaxCrossEntropyLoss(),
                        segmentation ? new Shape(truth.shape()) : new Shape(2),
                        10,
                        2,
                        ai.djl.training.optimizer.Optimizer.sgd()
                                .setLearningRateTracker(
                                        ai.djl.training.tracker.Tracker.fixed(0.01f))
                                .build(),
                        null,
                        5)) {
            exported = OnnxWriter.toBytes(block.toGraph());
            tuned = OnnxFixtures.forward(block, x);
        }
        OnnxTensor served = ort(exported, x);

        assertThat(relative(served, tuned))
                .as("export vs DJL after fine-tuning")
                .isLessThanOrEqualTo(1e-4);
        assertThat(OnnxFixtures.maxAbsDiff(served, truth))
                .as("fine-tuning changed the outputs")
                .isGreaterThan(1e-6);
    }

    private static OnnxTensor ort(byte[] model, OnnxTensor x) throws Exception {
        try (OrtRunner r = new OrtRunner(model, 1)) {
            return r.run(Map.of("input", x)).values().iterator().next();
        }
    }

    private static double magnitude(OnnxTensor t) {
        double m = 1;
        for (float f : t.floats()) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    /** Max absolute difference over the larger of 1 and the reference's magnitude. */
    private static double relative(OnnxTensor a, OnnxTensor b) {
        return OnnxFixtures.maxAbsDiff(a, b) / magnitude(b);
    }
}
