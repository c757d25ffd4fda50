package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.ImageInput;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Networks from other exporters: an input named otherwise ({@code data}, {@code images:0}) and the
 * channels-last layout tf2onnx keeps. The canonical graph must compute what the original computes,
 * in ONNX Runtime and through the bridge.
 */
class ImageInputTest {

    @Test
    void shouldPutATransposeInFrontOfAChannelsLastNetworkAndComputeTheSame() throws Exception {
        // what tf2onnx writes for a Keras CNN: NHWC input, a Transpose to NCHW, then the convs
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "keras",
                        new TensorInfo("images:0", ElementType.FLOAT, new long[] {-1, 12, 10, 3}),
                        3);
        String x = b.op("Transpose", List.of("images:0"), Attribute.ints("perm", 0, 3, 1, 2));
        x = b.relu(b.conv(x, 3, 4, 3, 1, 1, 1, true));
        OnnxGraph keras = b.build(b.globalAveragePool(x));
        OnnxTensor nhwc = OnnxFixtures.random(new Random(5), "images:0", 2, 12, 10, 3);

        OnnxGraph canonical = ImageInput.canonical(keras);

        assertThat(ImageInput.channelsLast(keras.inputs().get(0).shape())).isTrue();
        assertThat(canonical.inputs()).hasSize(1);
        assertThat(canonical.inputs().get(0).name()).isEqualTo("input");
        assertThat(canonical.inputs().get(0).shape()).containsExactly(-1, 3, 12, 10);
        OnnxTensor nchw = nchw(nhwc);
        OnnxTensor expected = ort(keras, Map.of("images:0", nhwc));
        assertThat(OnnxFixtures.maxAbsDiff(ort(canonical, Map.of("input", nchw)), expected))
                .isLessThanOrEqualTo(1e-5);
        OnnxTensor viaDjl =
                OnnxFixtures.runDjl(canonical, Map.of("input", nchw)).values().iterator().next();
        assertThat(OnnxFixtures.maxAbsDiff(viaDjl, expected)).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void shouldRenameAChannelsFirstInputAndLeaveACanonicalGraphAlone() throws Exception {
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "zoo",
                        new TensorInfo("data", ElementType.FLOAT, new long[] {-1, 3, 8, 8}),
                        4);
        OnnxGraph zoo = b.build(b.relu(b.conv("data", 3, 2, 1, 1, 0, 1, true)));
        OnnxTensor data = OnnxFixtures.random(new Random(6), "data", 1, 3, 8, 8);

        OnnxGraph canonical = ImageInput.canonical(zoo);

        assertThat(canonical.inputs().get(0).name()).isEqualTo("input");
        assertThat(canonical.nodes()).hasSameSizeAs(zoo.nodes());
        assertThat(
                        OnnxFixtures.maxAbsDiff(
                                ort(canonical, Map.of("input", data.renamed("input"))),
                                ort(zoo, Map.of("data", data))))
                .isZero();
        assertThat(ImageInput.canonical(canonical)).isSameAs(canonical);
    }

    @Test
    void shouldRefuseWhatIsNotOneFloatImageInput() {
        OnnxGraph two =
                new OnnxGraph(
                        "two",
                        13,
                        List.of(
                                new TensorInfo("a", ElementType.FLOAT, new long[] {1, 3, 4, 4}),
                                new TensorInfo("b", ElementType.FLOAT, new long[] {1, 3, 4, 4})),
                        List.of(new TensorInfo("c", ElementType.FLOAT, null)),
                        List.of(
                                io.streamtune.onnx.ir.OnnxNode.of(
                                        "add", "Add", List.of("a", "b"), List.of("c"))),
                        Map.of(),
                        Map.of());

        assertThatThrownBy(() -> ImageInput.canonical(two))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one image input")
                .hasMessageContaining("[a, b]");
    }

    private static OnnxTensor ort(OnnxGraph g, Map<String, OnnxTensor> in) throws Exception {
        try (OrtRunner ort = new OrtRunner(g, 1)) {
            return ort.run(in).get(g.outputs().get(0).name());
        }
    }

    private static OnnxTensor nchw(OnnxTensor nhwc) {
        long[] s = nhwc.shape();
        int n = (int) s[0], h = (int) s[1], w = (int) s[2], c = (int) s[3];
        float[] out = new float[n * c * h * w];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        out[((i * c + k) * h + y) * w + x] =
                                nhwc.floats()[((i * h + y) * w + x) * c + k];
                    }
                }
            }
        }
        return OnnxTensor.ofFloats("input", new long[] {n, c, h, w}, out);
    }
}
