package io.streamtune.trainer.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.train.Augmentation;
import io.streamtune.trainer.train.FineTuner;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.trainer.train.Schedule;
import io.streamtune.zoo.CenterNetLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CenterNet head on a small network laid out as the zoo's CenterNet is (backbone, neck, a class
 * heatmap behind a Sigmoid, side distances scaled by a constant, heads named in metadata).
 */
class CenterNetHeadTest {

    private static final int SIZE = 32;

    @BeforeAll
    static void offline() {
        DjlOffline.enforce();
    }

    @Test
    void shouldFindTheHeadsBehindTheSigmoidAndTheClassConvolution() {
        OnnxGraph g = tinyCenterNet(1);

        CenterNetHead.Heads h = CenterNetHead.heads(g).orElseThrow();

        assertThat(g.producer(h.logits()).opType()).isEqualTo("Conv");
        assertThat(h.classConv()).isEqualTo(g.producer(h.logits()));
        assertThat(g.initializers().get(h.classConv().input(1)).shape()[0]).isEqualTo(3);
        Map<String, String> meta = new java.util.LinkedHashMap<>(g.metadata());
        meta.remove(CenterNetLayout.HEADS_KEY);
        assertThat(CenterNetHead.heads(g.withMetadata(meta))).isEmpty();
    }

    @Test
    void shouldKeepThePretrainedChannelOfAKnownClassAndStartANewOneAtTheBias() {
        OnnxGraph g = tinyCenterNet(1);
        CenterNetHead head =
                new CenterNetHead(CenterNetHead.classesOf(g), List.of("Car", "widget"));

        HeadedGraph start = head.attach(CenterNetHead.backbone(g, SIZE), 2, 7);

        CenterNetHead.Heads before = CenterNetHead.heads(g).orElseThrow();
        CenterNetHead.Heads after = CenterNetHead.heads(start.graph()).orElseThrow();
        float[] w0 = g.initializers().get(before.classConv().input(1)).floats();
        OnnxTensor w1 = start.graph().initializers().get(after.classConv().input(1));
        float[] b1 = start.graph().initializers().get(after.classConv().input(2)).floats();
        int per = w0.length / 3;
        assertThat(w1.shape()[0]).isEqualTo(2);
        // "Car" keeps the base's "car" channel (index 1) exactly
        assertThat(java.util.Arrays.copyOfRange(w1.floats(), 0, per))
                .containsExactly(java.util.Arrays.copyOfRange(w0, per, 2 * per));
        assertThat(b1[0]).isEqualTo(g.initializers().get(before.classConv().input(2)).floats()[1]);
        // "widget" starts at the low prior
        assertThat((double) b1[1]).isCloseTo(-Math.log(0.95 / 0.05), within(1e-5));
        // backbone and neck frozen in phase 1, both heads trainable; blocks from the backbone
        OnnxGraph sg = start.graph();
        String neckW = sg.producer(sg.producer(after.classConv().input(0)).input(0)).input(1);
        String sidesW = sg.producer(sg.producer(after.sides()).input(0)).input(1);
        assertThat(start.backboneInitializers())
                .contains(neckW)
                .doesNotContain(after.classConv().input(1), sidesW);
        assertThat(start.backbone().outputs())
                .extracting(TensorInfo::name)
                .containsExactly(g.metadata().get(ModelMetadataKeys.FEATURE_TENSOR));
        assertThat(CenterNetHead.classesOf(start.graph())).containsExactly("Car", "widget");
    }

    @Test
    void shouldMatchClassNamesCaseInsensitivelyAndThroughVocSpellings() {
        List<String> coco = List.of("person", "motorcycle", "dining table", "tv");

        assertThat(
                        CenterNetHead.kept(
                                coco, List.of("Person", "motorbike", "diningtable", "widget")))
                .containsEntry("Person", "person")
                .containsEntry("motorbike", "motorcycle")
                .containsEntry("diningtable", "dining table")
                .doesNotContainKey("widget");
    }

    @Test
    void shouldLearnNewClassesAndServeThemInTheYoloLayout() throws Exception {
        OnnxGraph g = tinyCenterNet(3);
        List<String> classes = List.of("red", "green");
        CenterNetHead head = new CenterNetHead(CenterNetHead.classesOf(g), classes);
        HeadedGraph start = head.attach(CenterNetHead.backbone(g, SIZE), 2, 7);
        ExampleSet train = scenes(new Random(1), 64);
        ExampleSet val = scenes(new Random(2), 24);
        FineTuner ft =
                new FineTuner(
                        head,
                        2,
                        new Schedule(30, 10, 16, 1e-2, 0.1, 1, 10, Augmentation.none(), 1),
                        ProgressListener.NONE,
                        1);

        double untrained = ft.validate(start.graph(), val);
        FineTuner.Result r = ft.run(start, train, val);
        OnnxGraph exported = head.export(r.graph(), 2);

        assertThat(r.metric()).isGreaterThan(untrained + 0.2);
        // the exported graph, in ONNX Runtime, says what the raw heads say: the strongest anchor
        // of each image is a peak of the heatmap, its box the sides around that cell
        try (OrtRunner raw = new OrtRunner(r.graph(), 1);
                OrtRunner served = new OrtRunner(exported, 1)) {
            OnnxTensor x = val.inputs(0, 4);
            Map<String, OnnxTensor> heads = raw.run(Map.of("input", x));
            OnnxTensor out = served.run(Map.of("input", x)).values().iterator().next();
            OnnxTensor logits = heads.get(r.graph().outputs().get(0).name());
            OnnxTensor sides = heads.get(r.graph().outputs().get(1).name());
            int gw = (int) logits.shape()[3], hw = gw * gw, stride = SIZE / gw;
            assertThat(out.shape()).containsExactly(4, 6, hw);
            for (int i = 0; i < 4; i++) {
                int best = 0, bestClass = 0;
                float bestScore = -1;
                for (int c = 0; c < 2; c++) {
                    for (int a = 0; a < hw; a++) {
                        float s = out.floats()[(i * 6 + 4 + c) * hw + a];
                        if (s > bestScore) {
                            bestScore = s;
                            best = a;
                            bestClass = c;
                        }
                    }
                }
                float logit = logits.floats()[(i * 2 + bestClass) * hw + best];
                assertThat((double) bestScore).isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-4));
                float[] s = sides.floats();
                double l = s[i * 4 * hw + best], t = s[(i * 4 + 1) * hw + best];
                double rr = s[(i * 4 + 2) * hw + best], b = s[(i * 4 + 3) * hw + best];
                double px = (best % gw) * stride, py = (best / gw) * stride;
                assertThat((double) out.floats()[(i * 6) * hw + best])
                        .isCloseTo(px + (rr - l) / 2, within(1e-3));
                assertThat((double) out.floats()[(i * 6 + 1) * hw + best])
                        .isCloseTo(py + (b - t) / 2, within(1e-3));
                assertThat((double) out.floats()[(i * 6 + 2) * hw + best])
                        .isCloseTo(l + rr, within(1e-3));
                assertThat((double) out.floats()[(i * 6 + 3) * hw + best])
                        .isCloseTo(t + b, within(1e-3));
            }
        }
        assertThat(CenterNetHead.heads(exported)).isPresent();
        // the trained graph (kept to continue from) still names its heads and classes
        assertThat(CenterNetHead.heads(r.graph())).isPresent();
        assertThat(CenterNetHead.classesOf(r.graph())).containsExactly("red", "green");
    }

    @Test
    void shouldTrainAlikeWhenTheFeaturesDoNotFitTheCacheBudget() throws Exception {
        OnnxGraph g = tinyCenterNet(3);
        CenterNetHead head = new CenterNetHead(CenterNetHead.classesOf(g), List.of("r", "g"));
        HeadedGraph start = head.attach(CenterNetHead.backbone(g, SIZE), 2, 7);
        ExampleSet train = scenes(new Random(1), 64);
        ExampleSet val = scenes(new Random(2), 24);
        Schedule phase1 = new Schedule(30, 0, 16, 1e-2, 0.1, 0, 10, Augmentation.none(), 1);

        FineTuner.Result cached =
                new FineTuner(head, 2, phase1, ProgressListener.NONE, 1).run(start, train, val);
        FineTuner.Result uncached =
                new FineTuner(head, 2, phase1, ProgressListener.NONE, 1, 0).run(start, train, val);

        assertThat(uncached.metric()).isCloseTo(cached.metric(), within(0.05));
        assertThat(uncached.loss()).isCloseTo(cached.loss(), within(0.05 * cached.loss()));
    }

    /** Black 32x32 scenes with one red or green square of 8-14 px, its box labelled. */
    private static ExampleSet scenes(Random r, int n) {
        List<Example> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int c = r.nextInt(2);
            int s = 8 + r.nextInt(7);
            int x0 = r.nextInt(SIZE - s), y0 = r.nextInt(SIZE - s);
            float[] in = new float[3 * SIZE * SIZE];
            for (int y = y0; y < y0 + s; y++) {
                for (int x = x0; x < x0 + s; x++) {
                    in[c * SIZE * SIZE + y * SIZE + x] = 1f;
                }
            }
            out.add(Example.detected(in, List.of(new float[] {x0, y0, x0 + s, y0 + s, c})));
        }
        return new ExampleSet(SIZE, SIZE, out);
    }

    /** Backbone (stride 4), a neck, and CenterNet heads for "person", "car", "dog". */
    static OnnxGraph tinyCenterNet(long seed) {
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "tiny-centernet",
                        new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 3, SIZE, SIZE}),
                        seed);
        String x = b.relu(b.conv("input", 3, 8, 3, 2, 1, 1, true));
        String feature = b.relu(b.conv(x, 8, 16, 3, 2, 1, 1, true));
        String neck = b.relu(b.conv(feature, 16, 16, 3, 1, 1, 1, true));
        String logits = b.conv(neck, 16, 3, 1, 1, 0, 1, true);
        String heat = b.op("Sigmoid", List.of(logits));
        String raw = b.conv(neck, 16, 4, 1, 1, 0, 1, true);
        String sides =
                b.op(
                        "Mul",
                        List.of(
                                raw,
                                b.constant(
                                        OnnxTensor.ofFloats(
                                                "scale", new long[0], new float[] {4f}))));
        b.metadata(CenterNetLayout.HEADS_KEY, heat + "," + sides)
                .metadata(ModelMetadataKeys.CLASSES, "[\"person\",\"car\",\"dog\"]")
                .metadata(ModelMetadataKeys.FEATURE_TENSOR, feature);
        return b.build(heat, sides);
    }
}
