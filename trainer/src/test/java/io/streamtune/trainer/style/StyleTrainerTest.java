package io.streamtune.trainer.style;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamtune.contracts.Task;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.trainer.publish.ModelExport;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.vision.pipeline.Prediction;
import io.streamtune.vision.pipeline.Predictor;
import io.streamtune.vision.pipeline.PredictorOptions;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.vision.synth.SyntheticScenes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tiny stylizer trained a few dozen steps on a random-weight perceptual network: the loss falls,
 * the exported ONNX runs in ONNX Runtime and through vision's predictor as a stylization model.
 */
class StyleTrainerTest {

    static final int SIZE = 32;

    static RgbImage stripes(int size) {
        byte[] px = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean on = ((x + y) / 4) % 2 == 0;
                int i = (y * size + x) * 3;
                px[i] = (byte) (on ? 230 : 20);
                px[i + 1] = (byte) (on ? 40 : 20);
                px[i + 2] = (byte) (on ? 40 : 200);
            }
        }
        return new RgbImage(size, size, px);
    }

    static List<RgbImage> contents(int n, long seed) {
        List<RgbImage> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(SyntheticScenes.generate(seed + i, SIZE, SIZE, 2).image());
        }
        return l;
    }

    static PerceptualNet perceptual() {
        OnnxGraph base =
                ReferenceNets.mobilenetV2(SIZE, 4, ReferenceNets.BatchNormStyle.UNFOLDED, 11);
        return PerceptualNet.of(base, SIZE, List.of(2, 4, 8));
    }

    @Test
    void aFewStepsLowerTheLossAndTheExportServesAsAStylizer() throws Exception {
        PerceptualNet net = perceptual();
        PerceptualLoss loss = new PerceptualLoss(1.0, 0.5, 0.05, net.layerAt(4));
        StyleTrainer.Settings s = new StyleTrainer.Settings(SIZE, 40, 4, 3e-3, 20, 5);
        OnnxGraph start = TransformerNet.build(4, 1, 9);
        List<RgbImage> styles = List.of(stripes(SIZE));
        List<RgbImage> sel = contents(4, 100);
        StyleTrainer.Result r =
                new StyleTrainer(net, loss, s, ProgressListener.NONE, 1)
                        .train(start, styles, contents(12, 1), sel);
        assertTrue(r.lastLoss() < r.firstLoss(), r.firstLoss() + " -> " + r.lastLoss());
        assertTrue(r.skippedSteps() <= 4, r.skippedSteps() + " steps skipped");
        try (StyleEvaluator eval = new StyleEvaluator(net, loss, styles, SIZE, 1)) {
            double before = eval.score(OnnxWriter.toBytes(start), sel).mean(t -> t.total());
            double after = eval.score(OnnxWriter.toBytes(r.graph()), sel).mean(t -> t.total());
            assertTrue(after < before, "selection loss " + before + " -> " + after);
            assertEquals(after, r.selectionLoss(), 1e-9);
        }
        // ONNX Runtime runs the export at another size than it trained at (fully convolutional)
        try (OrtRunner ort = new OrtRunner(r.graph(), 1)) {
            OnnxTensor x = StyleEvaluator.tensor(contents(1, 7), 48);
            OnnxTensor y = ort.run(Map.of("input", x)).get(TransformerNet.OUTPUT);
            assertEquals(
                    List.of(1L, 3L, 48L, 48L), java.util.Arrays.stream(y.shape()).boxed().toList());
            for (float v : y.floats()) {
                assertTrue(v >= 0 && v <= 1, "output in [0, 1]: " + v);
            }
        }
        byte[] onnx =
                OnnxWriter.toBytes(
                        ModelExport.withMetadata(
                                r.graph(),
                                Task.STYLIZATION,
                                List.of(),
                                new PreprocessConfig(
                                        SIZE,
                                        SIZE,
                                        ResizeMode.STRETCH,
                                        0,
                                        ChannelOrder.RGB,
                                        Normalization.UNIT),
                                "paint",
                                1,
                                null,
                                Map.of(),
                                Instant.EPOCH));
        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        onnx, "paint", RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            assertEquals(io.streamtune.contracts.Task.STYLIZATION, runner.spec().task());
            RgbImage frame = SyntheticScenes.generate(3, 64, 40, 2).image();
            Prediction p =
                    new Predictor(runner, PredictorOptions.DEFAULTS).predict(List.of(frame)).get(0);
            RgbImage out = ((Prediction.Stylized) p).image();
            // the source's aspect ratio at the model's resolution
            assertEquals(SIZE, out.width());
            assertEquals(20, out.height());
        }
    }
}
