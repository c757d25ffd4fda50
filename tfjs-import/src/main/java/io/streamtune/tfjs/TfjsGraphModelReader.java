package io.streamtune.tfjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a TensorFlow.js graph model: {@code model.json} (a GraphDef as JSON plus a weights
 * manifest) and the binary shards it names, dequantizing float16/uint8/uint16 weights to float32.
 *
 * <p>Hostile files fail with a message naming the file: a manifest that declares more bytes than
 * the shards hold, absurd shapes, shard paths outside the model's folder, or a model.json beyond
 * {@link #MAX_JSON_BYTES}. Nothing is allocated from a declared size before the bytes are there.
 */
public final class TfjsGraphModelReader {

    /** Largest model.json read. */
    public static final long MAX_JSON_BYTES = 64L << 20;

    /** Largest total weight data read. */
    public static final long MAX_WEIGHT_BYTES = 1L << 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TfjsGraphModelReader() {}

    /** Reads {@code modelJson} and the shards beside it. */
    public static TfjsGraphModel read(Path modelJson) throws TfjsImportException {
        JsonNode root = parse(modelJson);
        Path dir = modelJson.toAbsolutePath().getParent();
        JsonNode manifest = root.path("weightsManifest");
        List<Path> shards = new ArrayList<>();
        for (JsonNode group : manifest) {
            for (JsonNode p : group.path("paths")) {
                shards.add(shard(modelJson, dir, p.asText()));
            }
        }
        byte[] data = readShards(modelJson, shards);
        return fromJson(modelJson.toString(), root, data);
    }

    /** Builds a model from an already parsed model.json and the concatenated weight data. */
    public static TfjsGraphModel fromJson(String source, JsonNode root, byte[] weightData)
            throws TfjsImportException {
        String format = root.path("format").asText("graph-model");
        if (!format.equals("graph-model")) {
            throw new TfjsImportException(
                    source
                            + ": format '"
                            + format
                            + "' is not a TensorFlow.js graph model (layers models are not"
                            + " supported; convert with tensorflowjs_converter"
                            + " --output_format=tfjs_graph_model)");
        }
        JsonNode topology = root.path("modelTopology");
        JsonNode nodeList = topology.path("node");
        if (!nodeList.isArray() || nodeList.isEmpty()) {
            throw new TfjsImportException(source + ": modelTopology.node is missing or empty");
        }
        if (topology.path("library").path("function").size() > 0) {
            // Control flow (while/if) lives in functions; feed-forward CNNs have none.
            throw new TfjsImportException(
                    source + ": graph functions (control flow) are not supported");
        }
        List<TfNode> nodes = new ArrayList<>();
        for (JsonNode n : nodeList) {
            String name = n.path("name").asText("");
            String op = n.path("op").asText("");
            if (name.isEmpty() || op.isEmpty()) {
                throw new TfjsImportException(source + ": a node without name or op: " + clip(n));
            }
            List<String> inputs = new ArrayList<>();
            for (JsonNode i : n.path("input")) {
                inputs.add(i.asText());
            }
            nodes.add(
                    new TfNode(
                            name,
                            op,
                            inputs,
                            n.path("attr").isObject() ? n.path("attr") : JSON.createObjectNode()));
        }
        Map<String, TfTensor> weights = weights(source, root.path("weightsManifest"), weightData);
        return new TfjsGraphModel(
                source,
                nodes,
                weights,
                names(root.path("signature").path("inputs")),
                names(root.path("signature").path("outputs")));
    }

    private static List<String> names(JsonNode sig) {
        List<String> l = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sig.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getValue().path("name").asText(e.getKey());
            l.add(name.endsWith(":0") ? name.substring(0, name.length() - 2) : name);
        }
        return l;
    }

    private static JsonNode parse(Path modelJson) throws TfjsImportException {
        try {
            if (!Files.isRegularFile(modelJson)) {
                throw new TfjsImportException(modelJson + ": no such model file");
            }
            long size = Files.size(modelJson);
            if (size > MAX_JSON_BYTES) {
                throw new TfjsImportException(
                        modelJson
                                + ": "
                                + size
                                + " bytes, more than the "
                                + MAX_JSON_BYTES
                                + " allowed");
            }
            return JSON.readTree(modelJson.toFile());
        } catch (JsonProcessingException e) {
            throw new TfjsImportException(
                    modelJson + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new TfjsImportException(modelJson + ": " + e.getMessage(), e);
        }
    }

    private static Path shard(Path modelJson, Path dir, String relative)
            throws TfjsImportException {
        Path p = dir.resolve(relative).normalize();
        if (!p.startsWith(dir) || relative.contains("://")) {
            throw new TfjsImportException(
                    modelJson + ": weight shard path '" + relative + "' leaves the model's folder");
        }
        try {
            if (Files.isSymbolicLink(p) && !p.toRealPath().startsWith(dir.toRealPath())) {
                throw new TfjsImportException(
                        modelJson
                                + ": weight shard '"
                                + relative
                                + "' links outside the model's folder");
            }
        } catch (IOException e) {
            throw new TfjsImportException(
                    modelJson + ": weight shard '" + relative + "': " + e.getMessage());
        }
        if (!Files.isRegularFile(p)) {
            throw new TfjsImportException(
                    modelJson
                            + ": weight shard '"
                            + relative
                            + "' is missing (expected "
                            + p
                            + ")");
        }
        return p;
    }

    private static byte[] readShards(Path modelJson, List<Path> shards) throws TfjsImportException {
        try {
            long total = 0;
            for (Path s : shards) {
                total += Files.size(s);
            }
            if (total > MAX_WEIGHT_BYTES) {
                throw new TfjsImportException(
                        modelJson
                                + ": weight shards hold "
                                + total
                                + " bytes, more than the "
                                + MAX_WEIGHT_BYTES
                                + " allowed");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
            for (Path s : shards) {
                try (InputStream in = Files.newInputStream(s)) {
                    in.transferTo(out);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new TfjsImportException(
                    modelJson + ": reading weight shards: " + e.getMessage(), e);
        }
    }

    private static Map<String, TfTensor> weights(String source, JsonNode manifest, byte[] data)
            throws TfjsImportException {
        Map<String, TfTensor> out = new LinkedHashMap<>();
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode group : manifest) {
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText("");
                String dtype = w.path("dtype").asText("float32");
                long[] shape = shape(source, name, w.path("shape"));
                long count = count(source, name, shape);
                JsonNode q = w.path("quantization");
                String stored = q.isMissingNode() ? dtype : q.path("dtype").asText("");
                int width =
                        switch (stored) {
                            case "float32", "int32" -> 4;
                            case "float16", "uint16", "int16" -> 2;
                            case "uint8", "int8", "bool" -> 1;
                            default ->
                                    throw new TfjsImportException(
                                            source
                                                    + ": weight '"
                                                    + name
                                                    + "' has unsupported dtype '"
                                                    + stored
                                                    + "'");
                        };
                long bytes = count * width;
                if (bytes > buf.remaining()) {
                    throw new TfjsImportException(
                            source
                                    + ": weight '"
                                    + name
                                    + "' needs "
                                    + bytes
                                    + " bytes but the shards hold only "
                                    + buf.remaining()
                                    + " more (truncated or missing shard?)");
                }
                int n = (int) count;
                boolean floating = dtype.equals("float32");
                float[] f = floating ? new float[n] : null;
                long[] l = floating ? null : new long[n];
                float scale = (float) q.path("scale").asDouble(1);
                float min = (float) q.path("min").asDouble(0);
                for (int i = 0; i < n; i++) {
                    double v =
                            switch (stored) {
                                case "float32" -> buf.getFloat();
                                case "int32" -> buf.getInt();
                                case "float16" -> halfToFloat(buf.getShort());
                                case "uint16" -> (buf.getShort() & 0xffff) * scale + min;
                                case "int16" -> buf.getShort() * scale + min;
                                case "uint8" -> (buf.get() & 0xff) * scale + min;
                                case "int8" -> buf.get() * scale + min;
                                default -> buf.get(); // bool
                            };
                    if (floating) {
                        f[i] = (float) v;
                    } else {
                        l[i] = Math.round(v);
                    }
                }
                if (!floating && !Set.of("int32", "bool").contains(dtype)) {
                    throw new TfjsImportException(
                            source
                                    + ": weight '"
                                    + name
                                    + "' has unsupported dtype '"
                                    + dtype
                                    + "'");
                }
                out.put(
                        name,
                        floating
                                ? TfTensor.ofFloats(name, shape, f)
                                : TfTensor.ofInts(name, shape, l));
            }
        }
        return out;
    }

    private static long[] shape(String source, String name, JsonNode s) throws TfjsImportException {
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = s.get(i).asLong(-1);
            if (d < 0 || !s.get(i).canConvertToLong()) {
                throw new TfjsImportException(
                        source + ": weight '" + name + "' has an invalid shape " + s);
            }
            shape[i] = d;
        }
        return shape;
    }

    private static long count(String source, String name, long[] shape) throws TfjsImportException {
        long n = 1;
        try {
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE / 4) {
            throw new TfjsImportException(
                    source
                            + ": weight '"
                            + name
                            + "' declares an absurd shape ("
                            + n
                            + " elements)");
        }
        return n;
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: normalise
            while ((mant & 0x400) == 0) {
                mant <<= 1;
                exp--;
            }
            exp++;
            mant &= 0x3ff;
        } else if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static String clip(JsonNode n) {
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
