package io.streamtune.trainer.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.train.FineTuner;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.trainer.train.Schedule;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.SyntheticScenes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A base network from another exporter — tf2onnx's channels-last input named {@code images:0},
 * transposed to channels-first inside — is a base like any other: a head attaches, it trains, and
 * the result takes streamtune's {@code input} in channels-first order.
 */
class ForeignBaseTest {

    private static final int SIZE = 32;

    @Test
    void shouldTrainAHeadOnAChannelsLastNetworkWithAnotherInputName() throws Exception {
        OnnxGraph keras = channelsLast(Backbones.small(SIZE, 10, 3));
        ClassificationHead head = new ClassificationHead(0);

        HeadedGraph start = head.attach(Backbone.of(keras, SIZE), 3, 5);

        TensorInfo in = start.graph().inputs().get(0);
        assertThat(in.name()).isEqualTo("input");
        assertThat(in.shape()).containsExactly(-1, 3, SIZE, SIZE);
        var pre =
                new io.streamtune.vision.preprocess.Preprocessor(
                        io.streamtune.trainer.pretrain.Pretrainer.preprocess(SIZE));
        List<Example> train = new ArrayList<>();
        List<Example> val = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            Scene s = SyntheticScenes.single(7000 + i, 40, 40);
            (i < 36 ? train : val)
                    .add(Examples.classification(pre, s.image(), s.dominantShape().classId()));
        }
        FineTuner tuner =
                new FineTuner(
                        head, 3, Schedule.defaults().withEpochs(2, 1), ProgressListener.NONE, 1);
        FineTuner.Result result =
                tuner.run(
                        start, new ExampleSet(SIZE, SIZE, train), new ExampleSet(SIZE, SIZE, val));
        assertThat(result.metric()).isBetween(0.0, 1.0);
        assertThat(result.graph().inputs().get(0).name()).isEqualTo("input");
        assertThat(result.graph().nodes().get(0).opType()).isEqualTo("Transpose");
    }

    /** What tf2onnx writes for a Keras CNN: NHWC input, a Transpose to NCHW, then the network. */
    private static OnnxGraph channelsLast(OnnxGraph nchw) {
        List<OnnxNode> nodes = new ArrayList<>();
        nodes.add(
                OnnxNode.of(
                        "from_nhwc",
                        "Transpose",
                        List.of("images:0"),
                        List.of("input"),
                        Attribute.ints("perm", 0, 3, 1, 2)));
        nodes.addAll(nchw.nodes());
        return new OnnxGraph(
                nchw.name(),
                nchw.opset(),
                List.of(
                        new TensorInfo(
                                "images:0", ElementType.FLOAT, new long[] {-1, SIZE, SIZE, 3})),
                nchw.outputs(),
                nodes,
                nchw.initializers(),
                nchw.metadata());
    }
}
