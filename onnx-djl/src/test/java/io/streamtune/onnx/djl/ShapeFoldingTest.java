package io.streamtune.onnx.djl;

import static io.streamtune.onnx.djl.OnnxFixtures.floatInput;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapeFoldingTest {

    @Test
    void shouldFoldShapePlumbingThatDoesNotDependOnTheBatchSize() throws Exception {
        OnnxGraph g =
                new OnnxGraph(
                        "channels",
                        13,
                        List.of(floatInput("x", -1, 4, 9, 9)),
                        List.of(OnnxFixtures.output("y")),
                        List.of(
                                OnnxNode.of("shape", "Shape", List.of("x"), List.of("s")),
                                OnnxNode.of("gather", "Gather", List.of("s", "one"), List.of("c")),
                                OnnxNode.of(
                                        "unsq", "Unsqueeze", List.of("c", "zero"), List.of("c1")),
                                OnnxNode.of(
                                        "concat",
                                        "Concat",
                                        List.of("minus1", "c1"),
                                        List.of("target"),
                                        io.streamtune.onnx.ir.Attribute.of("axis", 0L)),
                                OnnxNode.of(
                                        "reshape",
                                        "Reshape",
                                        List.of("x", "target"),
                                        List.of("y"))),
                        Map.of(
                                "one",
                                OnnxTensor.ofLongs("one", new long[0], 1),
                                "zero",
                                OnnxTensor.vector("zero", 0),
                                "minus1",
                                OnnxTensor.vector("minus1", -1)),
                        Map.of());
        OnnxTensor x = OnnxFixtures.random(new Random(1), "x", 3, 4, 9, 9);

        OnnxGraph folded = ShapeFolding.fold(g, new Shape(1, 4, 9, 9));

        assertThat(folded.nodes()).extracting(OnnxNode::opType).containsExactly("Reshape");
        assertThat(folded.initializers().get("target").longs()).containsExactly(-1, 4);
        assertThat(
                        OnnxFixtures.maxAbsDiff(
                                OnnxFixtures.runDjl(folded, Map.of("x", x)).get("y"),
                                OnnxFixtures.runOrt(g, Map.of("x", x)).get("y")))
                .isZero();
    }

    @Test
    void shouldKeepPlumbingThatReadsTheBatchDimension() {
        OnnxGraph g = OperatorParityTest.flattenPlumbing();

        OnnxGraph folded = ShapeFolding.fold(g, new Shape(1, 4, 9, 9));

        assertThat(folded.nodes())
                .extracting(OnnxNode::opType)
                .contains("Shape", "Gather", "Reshape");
    }
}
