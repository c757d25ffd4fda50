package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ir.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models whose weights live beside them (ONNX external data, as PyTorch writes large models and, in
 * newer versions, any model): read as the same graph, computing what ONNX Runtime computes from the
 * same files; data outside the model's directory is refused.
 */
class ExternalDataTest {

    @TempDir Path dir;

    private static OnnxGraph net() {
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "ext",
                        new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 3, 8, 8}),
                        5);
        String x = b.relu(b.conv("input", 3, 4, 3, 1, 1, 1, true));
        return b.build(b.conv(x, 4, 2, 1, 1, 0, 1, true));
    }

    /** The model with every float initializer moved to {@code data} (in {@code dir}). */
    private Path external(OnnxGraph g, String data, UnaryOperator<String> location)
            throws Exception {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(OnnxWriter.toBytes(g));
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = graph.getInitializer(i);
            byte[] raw = t.getRawData().toByteArray();
            if (raw.length == 0) {
                continue;
            }
            long offset = bytes.size();
            bytes.writeBytes(raw);
            graph.setInitializer(
                    i,
                    t.toBuilder()
                            .clearRawData()
                            .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                            .addExternalData(entry("location", location.apply(data)))
                            .addExternalData(entry("offset", Long.toString(offset)))
                            .addExternalData(entry("length", Integer.toString(raw.length))));
        }
        Files.write(dir.resolve(data), bytes.toByteArray());
        Path file = dir.resolve("model.onnx");
        Files.write(file, model.toBuilder().setGraph(graph).build().toByteArray());
        return file;
    }

    private static OnnxMl.StringStringEntryProto entry(String k, String v) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    @Test
    void shouldReadWeightsFromTheFileBesideTheModel() throws Exception {
        OnnxGraph g = net();
        Path file = external(g, "model.onnx.data", d -> d);

        OnnxGraph read = BridgeReader.read(file);

        assertThat(read.initializers().keySet()).isEqualTo(g.initializers().keySet());
        g.initializers()
                .forEach(
                        (name, t) ->
                                assertThat(read.initializers().get(name).floats())
                                        .as(name)
                                        .isEqualTo(t.floats()));
        io.streamtune.onnx.ir.OnnxTensor in =
                OnnxFixtures.random(new Random(2), "input", 2, 3, 8, 8);
        io.streamtune.onnx.ir.OnnxTensor viaDjl =
                OnnxFixtures.runDjl(read, Map.of("input", in)).values().iterator().next();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
                OnnxTensor x =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(in.floats()), in.shape());
                OrtSession.Result r = s.run(Map.of("input", x))) {
            float[] ort = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
            float[] djl = viaDjl.floats();
            assertThat(djl).hasSameSizeAs(ort);
            for (int i = 0; i < ort.length; i++) {
                assertThat((double) djl[i])
                        .isCloseTo(ort[i], org.assertj.core.api.Assertions.within(1e-4));
            }
        }
    }

    @Test
    void shouldRefuseDataOutsideTheModelsDirectoryOrPastTheEndOfItsFile() throws Exception {
        OnnxGraph g = net();
        Path outside = Files.createTempFile("streamtune-outside", ".bin");
        try {
            Files.write(outside, new byte[4096]);
            assertThatThrownBy(
                            () ->
                                    BridgeReader.read(
                                            external(
                                                    g,
                                                    "w.bin",
                                                    d -> "../" + outside.getFileName())))
                    .hasMessageContaining("outside the model's directory");
            assertThatThrownBy(
                            () -> BridgeReader.read(external(g, "w.bin", d -> outside.toString())))
                    .hasMessageContaining("outside the model's directory");
            Files.createSymbolicLink(dir.resolve("link.bin"), outside);
            assertThatThrownBy(() -> BridgeReader.read(external(g, "w.bin", d -> "link.bin")))
                    .hasMessageContaining("links outside");
        } finally {
            Files.deleteIfExists(outside);
        }
        assertThatThrownBy(() -> BridgeReader.read(external(g, "w.bin", d -> "gone.bin")))
                .hasMessageContaining("is missing");
        Path file = external(g, "short.bin", d -> d);
        Files.write(dir.resolve("short.bin"), new byte[10]);
        assertThatThrownBy(() -> BridgeReader.read(file)).hasMessageContaining("past the end");
        assertThatThrownBy(() -> BridgeReader.read(Files.readAllBytes(file)))
                .hasMessageContaining("external data file");
    }
}
