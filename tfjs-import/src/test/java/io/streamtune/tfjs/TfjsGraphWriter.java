package io.streamtune.tfjs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Writes small TensorFlow.js graph models (model.json + one weight shard) for tests, in the format
 * the TF.js converter produces, optionally with float16 or uint8-quantized float weights.
 */
public final class TfjsGraphWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How float weights are stored. */
    public enum Quantization {
        NONE,
        FLOAT16,
        UINT8
    }

    private final ArrayNode nodes = JSON.createArrayNode();
    private final ArrayNode weights = JSON.createArrayNode();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final Quantization quantization;
    private final Random random;

    public TfjsGraphWriter(Quantization quantization, long seed) {
        this.quantization = quantization;
        this.random = new Random(seed);
    }

    public String placeholder(String name, long... shape) {
        ObjectNode n = node(name, "Placeholder", List.of());
        ArrayNode dims = n.with("attr").with("shape").with("shape").putArray("dim");
        for (long d : shape) {
            dims.addObject().put("size", Long.toString(d));
        }
        n.with("attr").with("dtype").put("type", "DT_FLOAT");
        return name;
    }

    /** A float constant with random values in [-scale, scale]. */
    public String randomFloats(String name, float scale, long... shape) {
        float[] v = new float[(int) TfTensor.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return floats(name, shape, v);
    }

    public String floats(String name, long[] shape, float... v) {
        ObjectNode n = node(name, "Const", List.of());
        n.with("attr").with("dtype").put("type", "DT_FLOAT");
        ObjectNode w = weight(name, shape, "float32");
        ByteBuffer b;
        switch (quantization) {
            case NONE -> {
                b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putFloat(f);
                }
            }
            case FLOAT16 -> {
                w.putObject("quantization")
                        .put("dtype", "float16")
                        .put("original_dtype", "float32");
                b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putShort(toHalf(f));
                }
            }
            default -> {
                float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
                for (float f : v) {
                    min = Math.min(min, f);
                    max = Math.max(max, f);
                }
                float scale = max > min ? (max - min) / 255f : 1f;
                w.putObject("quantization")
                        .put("dtype", "uint8")
                        .put("min", min)
                        .put("scale", scale)
                        .put("original_dtype", "float32");
                b = ByteBuffer.allocate(v.length);
                for (float f : v) {
                    b.put((byte) Math.round((f - min) / scale));
                }
            }
        }
        data.writeBytes(b.array());
        return name;
    }

    public String ints(String name, long[] shape, int... v) {
        ObjectNode n = node(name, "Const", List.of());
        n.with("attr").with("dtype").put("type", "DT_INT32");
        weight(name, shape, "int32");
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : v) {
            b.putInt(i);
        }
        data.writeBytes(b.array());
        return name;
    }

    /** A 1-D int32 constant. */
    public String vector(String name, int... v) {
        return ints(name, new long[] {v.length}, v);
    }

    /** A scalar int32 constant. */
    public String scalar(String name, int v) {
        return ints(name, new long[0], v);
    }

    /** An operator node; attributes are added with the returned node's {@code attr} helpers. */
    public Op op(String name, String op, String... inputs) {
        ObjectNode n = node(name, op, List.of(inputs));
        n.with("attr").with("T").put("type", "DT_FLOAT");
        Op o = new Op(name, n.with("attr"));
        if (op.contains("Conv2D") || op.contains("Depthwise")) {
            // the TF.js converter always writes these; the runtime reads them unconditionally
            o.ints("dilations", 1, 1, 1, 1).s("data_format", "NHWC").s("padding", "VALID");
        }
        return o;
    }

    /** Attribute helpers in GraphDef-JSON form. */
    public record Op(String name, ObjectNode attr) {
        public Op s(String key, String value) {
            attr.putObject(key)
                    .put(
                            "s",
                            Base64.getEncoder()
                                    .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        public Op i(String key, long value) {
            attr.putObject(key).put("i", Long.toString(value));
            return this;
        }

        public Op f(String key, float value) {
            attr.putObject(key).put("f", value);
            return this;
        }

        public Op b(String key, boolean value) {
            attr.putObject(key).put("b", value);
            return this;
        }

        public Op ints(String key, long... values) {
            ArrayNode a = attr.putObject(key).putObject("list").putArray("i");
            for (long v : values) {
                a.add(Long.toString(v));
            }
            return this;
        }

        public Op strings(String key, String... values) {
            ArrayNode a = attr.putObject(key).putObject("list").putArray("s");
            for (String v : values) {
                a.add(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
            }
            return this;
        }

        public Op type(String key, String value) {
            attr.putObject(key).put("type", value);
            return this;
        }
    }

    private ObjectNode node(String name, String op, List<String> inputs) {
        ObjectNode n = nodes.addObject();
        n.put("name", name);
        n.put("op", op);
        if (!inputs.isEmpty()) {
            ArrayNode in = n.putArray("input");
            inputs.forEach(in::add);
        }
        n.putObject("attr");
        return n;
    }

    private ObjectNode weight(String name, long[] shape, String dtype) {
        ObjectNode w = weights.addObject();
        w.put("name", name);
        ArrayNode s = w.putArray("shape");
        for (long d : shape) {
            s.add(d);
        }
        w.put("dtype", dtype);
        return w;
    }

    /**
     * Writes {@code dir/model.json} and {@code dir/group1-shard1of1.bin}; returns the model.json.
     */
    public Path write(Path dir, String input, long[] inputShape, List<String> outputs)
            throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "graph-model");
        root.put("generatedBy", "streamtune tests");
        root.put("convertedBy", "streamtune tests");
        ObjectNode sig = root.putObject("signature");
        ObjectNode in = sig.putObject("inputs").putObject(input + ":0");
        in.put("name", input + ":0");
        in.put("dtype", "DT_FLOAT");
        ObjectNode outs = sig.putObject("outputs");
        for (String o : outputs) {
            outs.putObject(o + ":0").put("name", o + ":0").put("dtype", "DT_FLOAT");
        }
        ObjectNode topo = root.putObject("modelTopology");
        topo.set("node", nodes);
        topo.putObject("library");
        topo.putObject("versions");
        ArrayNode manifest = root.putArray("weightsManifest");
        ObjectNode group = manifest.addObject();
        group.putArray("paths").add("group1-shard1of1.bin");
        group.set("weights", weights);
        Path json = dir.resolve("model.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        Files.write(dir.resolve("group1-shard1of1.bin"), data.toByteArray());
        return json;
    }

    static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant = (mant | 0x800000) >> (1 - exp);
            return (short) (sign | ((mant + 0x1000) >> 13));
        }
        if (exp >= 31) {
            return (short) (sign | 0x7c00);
        }
        int h = sign | (exp << 10) | (mant >> 13);
        if ((mant & 0x1000) != 0) {
            h++; // round half up
        }
        return (short) h;
    }
}
