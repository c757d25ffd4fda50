package io.streamtune.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TensorFlow.js runtime under Node as the reference: runs a graph model on given inputs and
 * returns the named tensors. Needs {@code node} and {@code npm ci --prefix tfjs-import/node}.
 */
public final class TfjsReference {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** tfjs-import/node, found from the working directory of any module. */
    static final Path HOME = home();

    private static Path home() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("node/run.js")) && p.endsWith("tfjs-import")) {
                return p.resolve("node");
            }
            if (Files.isRegularFile(p.resolve("tfjs-import/node/run.js"))) {
                return p.resolve("tfjs-import/node");
            }
        }
        return Path.of("tfjs-import/node").toAbsolutePath();
    }

    private TfjsReference() {}

    /** Why the reference cannot run here, or {@code null} when it can. */
    public static String unavailable() {
        if (!Files.isDirectory(HOME.resolve("node_modules/@tensorflow/tfjs-converter"))) {
            return "TF.js reference runtime not installed (npm ci --prefix tfjs-import/node)";
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "node does not run";
        } catch (IOException | InterruptedException e) {
            return "node is not installed";
        }
    }

    /** One input tensor in TensorFlow's layout. */
    public record Input(String name, long[] shape, float[] data) {}

    /** A returned tensor with its TensorFlow shape. */
    public record Output(long[] shape, float[] data) {}

    public static Map<String, Output> run(
            Path modelJson, List<Input> inputs, List<String> outputs, Path work)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        ObjectNode req = JSON.createObjectNode();
        req.put("model", modelJson.toAbsolutePath().toString());
        req.put("outDir", work.toAbsolutePath().toString());
        ObjectNode ins = req.putObject("inputs");
        for (Input in : inputs) {
            Path f = work.resolve("in-" + ins.size() + ".bin");
            ByteBuffer b = ByteBuffer.allocate(in.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(in.data());
            Files.write(f, b.array());
            ObjectNode spec = ins.putObject(in.name());
            spec.put("file", f.toString());
            spec.set("shape", JSON.valueToTree(in.shape()));
        }
        req.set("outputs", JSON.valueToTree(outputs));
        Path reqFile = work.resolve("request.json");
        JSON.writeValue(reqFile.toFile(), req);
        Process p =
                new ProcessBuilder("node", HOME.resolve("run.js").toString(), reqFile.toString())
                        .redirectError(work.resolve("stderr.txt").toFile())
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(
                    "TF.js reference failed: " + Files.readString(work.resolve("stderr.txt")));
        }
        JsonNode shapes = JSON.readTree(out);
        Map<String, Output> result = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            byte[] bytes = Files.readAllBytes(work.resolve(i + ".bin"));
            float[] f = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            JsonNode s = shapes.get(outputs.get(i));
            long[] shape = new long[s.size()];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = s.get(k).asLong();
            }
            result.put(outputs.get(i), new Output(shape, f));
        }
        return result;
    }

    /** NHWC data to NCHW. */
    public static float[] toNchw(float[] nhwc, int n, int h, int w, int c) {
        float[] out = new float[nhwc.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[((b * c + ch) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + ch];
                    }
                }
            }
        }
        return out;
    }
}
