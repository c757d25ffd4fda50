package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoderTrainingTest {

    /**
     * An encoder-decoder using the composite kernels: ConvTranspose, Resize, reflect Pad, Slice,
     * Concat, HardSwish.
     */
    private static OnnxGraph decoder() {
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "decoder",
                        new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 3, 16, 16}),
                        5);
        String e =
                b.op(
                        "HardSwish",
                        List.of(b.batchNorm(b.conv("input", 3, 8, 3, 2, 1, 1, false), 8)));
        String up = b.convTranspose(e, 8, 4, 2, 2);
        String half =
                b.op(
                        "Resize",
                        List.of(
                                e,
                                "",
                                b.constant(
                                        OnnxTensor.ofFloats(
                                                "s", new long[] {4}, new float[] {1, 1, 2, 2}))),
                        Attribute.of("mode", "linear"));
        String cat = b.op("Concat", List.of(up, half), Attribute.of("axis", 1L));
        String padded =
                b.op(
                        "Pad",
                        List.of(cat, b.constant(OnnxTensor.vector("p", 0, 0, 2, 2, 0, 0, 2, 2))),
                        Attribute.of("mode", "reflect"));
        String cropped =
                b.op(
                        "Slice",
                        List.of(
                                padded,
                                b.constant(OnnxTensor.vector("st", 1, 1)),
                                b.constant(OnnxTensor.vector("en", -1, -1)),
                                b.constant(OnnxTensor.vector("ax", 2, 3))));
        return b.build(b.conv(cropped, 12, 2, 3, 1, 0, 1, true));
    }

    @Test
    void shouldBackpropagateThroughCompositeKernelsAndExportWhatItTrained() throws Exception {
        OnnxGraph graph = decoder();
        OnnxBlock block = new OnnxBlock(graph);
        Map<String, float[]> before = OnnxFixtures.snapshotOf(graph);
        OnnxTensor image = OnnxFixtures.random(new Random(2), "input", 1, 3, 16, 16);

        OnnxTensor djl;
        byte[] exported;
        try (Model m =
                OnnxFixtures.train(
                        block,
                        new Shape(2, 3, 16, 16),
                        Loss.l2Loss(),
                        new Shape(2, 2, 16, 16),
                        2,
                        2,
                        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build(),
                        null,
                        3)) {
            Map<String, float[]> after = OnnxFixtures.snapshot(block);
            assertThat(after.keySet())
                    .filteredOn(
                            k ->
                                    !block.parametersByTensor()
                                            .get(k)
                                            .getType()
                                            .name()
                                            .startsWith("RUNNING"))
                    .allSatisfy(k -> assertThat(after.get(k)).as(k).isNotEqualTo(before.get(k)));
            djl = OnnxFixtures.forward(block, image);
            exported = OnnxWriter.toBytes(block.toGraph());
        }

        assertThat(djl.shape()).containsExactly(1, 2, 16, 16);
        try (OrtRunner ort = new OrtRunner(exported, 1)) {
            assertThat(
                            OnnxFixtures.maxAbsDiff(
                                    ort.run(Map.of("input", image)).values().iterator().next(),
                                    djl))
                    .isLessThanOrEqualTo(1e-4);
        }
    }
}
