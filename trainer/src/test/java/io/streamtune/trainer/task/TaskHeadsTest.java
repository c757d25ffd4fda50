package io.streamtune.trainer.task;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.trainer.pretrain.Backbones;
import org.junit.jupiter.api.Test;

class TaskHeadsTest {

    private final Backbone backbone = Backbone.of(Backbones.small(32, 10, 1), 32);

    @Test
    void shouldGraftAClassifierWithAnOptionalHiddenLayer() {
        HeadedGraph plain = new ClassificationHead(0).attach(backbone, 3, 1);
        HeadedGraph deep = new ClassificationHead(0, 16).attach(backbone, 3, 1);

        assertThat(gemms(plain.graph())).isEqualTo(1);
        assertThat(gemms(deep.graph())).isEqualTo(2);
        assertThat(outputShape(deep.graph(), 0)).isEqualTo(new Shape(2, 3));
        assertThat(deep.backboneInitializers()).isNotEmpty().allMatch(n -> !n.startsWith("head/"));
    }

    @Test
    void shouldProduceLogitsAtInputSizeForSegmentation() {
        HeadedGraph seg = new SegmentationHead(8).attach(backbone, 4, 1);

        assertThat(outputShape(seg.graph(), 0)).isEqualTo(new Shape(2, 4, 32, 32));
    }

    @Test
    void shouldExportDetectionInTheYoloLayout() {
        DetectionHead head = new DetectionHead(8);
        HeadedGraph det = head.attach(backbone, 3, 1);

        OnnxGraph exported = head.export(det.graph(), 3);

        assertThat(outputShape(det.graph(), 0)).isEqualTo(new Shape(2, 3, 16, 16));
        assertThat(outputShape(det.graph(), 1)).isEqualTo(new Shape(2, 4, 16, 16));
        assertThat(exported.outputs()).hasSize(1);
        assertThat(exported.nodes())
                .extracting(OnnxNode::opType)
                .contains("Exp", "MaxPool", "Equal", "Reshape");
    }

    private static long gemms(OnnxGraph g) {
        return g.nodes().stream().filter(n -> n.opType().equals("Gemm")).count();
    }

    private static Shape outputShape(OnnxGraph g, int i) {
        return new OnnxBlock(g).getOutputShapes(new Shape[] {new Shape(2, 3, 32, 32)})[i];
    }
}
