package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.djl.nets.ReferenceNets.BatchNormStyle;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArchitectureRoundTripTest {

    private static final int SIZE = 64;

    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of(
                        "resnet18 folded BN",
                        ReferenceNets.resnet18(SIZE, 10, BatchNormStyle.FOLDED, 1)),
                Arguments.of(
                        "resnet18 unfolded BN",
                        ReferenceNets.resnet18(SIZE, 10, BatchNormStyle.UNFOLDED, 2)),
                Arguments.of(
                        "mobilenetv2 folded BN",
                        ReferenceNets.mobilenetV2(SIZE, 10, BatchNormStyle.FOLDED, 3)),
                Arguments.of(
                        "mobilenetv2 unfolded BN",
                        ReferenceNets.mobilenetV2(SIZE, 10, BatchNormStyle.UNFOLDED, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void shouldRoundTripUntrainedModelsWithinOneInHundredThousand(String name, OnnxGraph net)
            throws Exception {
        byte[] original = OnnxWriter.toBytes(net);
        OnnxTensor image = OnnxFixtures.random(new Random(7), "input", 2, 3, SIZE, SIZE);

        byte[] rewritten = OnnxWriter.toBytes(new OnnxBlock(BridgeReader.read(original)).toGraph());

        OnnxTensor before = run(original, image);
        OnnxTensor after = run(rewritten, image);
        assertThat(OnnxFixtures.maxAbsDiff(before, after)).isLessThanOrEqualTo(1e-5);
        assertFollowsCheckerRules(OnnxMl.ModelProto.parseFrom(rewritten));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void shouldMatchOnnxRuntimeAfterOneTrainingStep(String name, OnnxGraph net) throws Exception {
        OnnxBlock block = new OnnxBlock(BridgeReader.read(OnnxWriter.toBytes(net)));
        OnnxTensor image = OnnxFixtures.random(new Random(8), "input", 2, 3, SIZE, SIZE);

        byte[] exported;
        OnnxTensor djl;
        try (ai.djl.Model model =
                OnnxFixtures.train(block, new Shape(2, 3, SIZE, SIZE), 10, 1, 0.001f, null, 11)) {
            exported = OnnxWriter.toBytes(block.toGraph());
            djl = OnnxFixtures.forward(block, image);
        }

        OnnxTensor ort = run(exported, image);
        assertThat(OnnxFixtures.maxAbsDiff(djl, ort))
                .as("max |logit| %s", maxAbs(ort))
                .isLessThanOrEqualTo(1e-4);
        assertThat(OnnxFixtures.maxAbsDiff(ort, run(OnnxWriter.toBytes(net), image)))
                .as("training changed the outputs")
                .isGreaterThan(1e-4);
        assertFollowsCheckerRules(OnnxMl.ModelProto.parseFrom(exported));
    }

    static double maxAbs(OnnxTensor t) {
        double m = 0;
        for (float f : t.floats()) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    private static OnnxTensor run(byte[] model, OnnxTensor image) throws Exception {
        try (OrtRunner ort = new OrtRunner(model, 2)) {
            return ort.run(Map.of("input", image)).values().iterator().next();
        }
    }

    /** The structural rules of ONNX's checker that a writer can break. */
    static void assertFollowsCheckerRules(OnnxMl.ModelProto model) {
        assertThat(model.getIrVersion()).isEqualTo(8);
        assertThat(model.getOpsetImportList())
                .anySatisfy(
                        o -> {
                            assertThat(o.getDomain()).isEmpty();
                            assertThat(o.getVersion()).isGreaterThanOrEqualTo(13);
                        });
        OnnxMl.GraphProto g = model.getGraph();
        Set<String> defined = new HashSet<>();
        g.getInputList().forEach(i -> defined.add(i.getName()));
        g.getInitializerList()
                .forEach(
                        i ->
                                assertThat(defined.add(i.getName()))
                                        .as("unique initializer " + i.getName())
                                        .isTrue());
        Set<String> nodeNames = new HashSet<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            assertThat(nodeNames.add(n.getName())).as("unique node name " + n.getName()).isTrue();
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    assertThat(defined)
                            .as("node " + n.getName() + " reads " + in + " after it is defined")
                            .contains(in);
                }
            }
            for (String out : n.getOutputList()) {
                assertThat(defined.add(out)).as("tensor " + out + " defined once").isTrue();
            }
        }
        for (OnnxMl.ValueInfoProto o : g.getOutputList()) {
            assertThat(defined).contains(o.getName());
        }
        assertThat(List.copyOf(nodeNames)).isNotEmpty();
    }
}
