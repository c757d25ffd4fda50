package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import io.streamtune.onnx.djl.ops.Operators;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxReader;
import io.streamtune.onnx.ir.OnnxTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OnnxBackendConformanceTest {

    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-7;

    /** Casts from or to float16, bfloat16 and string, which the bridge does not represent. */
    private static final List<String> EXOTIC_CASTS =
            List.of(
                    "BFLOAT16_to_FLOAT",
                    "FLOAT_to_BFLOAT16",
                    "DOUBLE_to_FLOAT16",
                    "FLOAT16_to_DOUBLE",
                    "FLOAT16_to_FLOAT",
                    "FLOAT_to_FLOAT16",
                    "FLOAT_to_STRING",
                    "STRING_to_FLOAT");

    /**
     * Official tests of supported operators that cannot pass, with the reason (casts listed below).
     */
    private static final Map<String, String> KNOWN_LIMITS =
            Map.ofEntries(
                    Map.entry(
                            "test_training_dropout",
                            "random dropout mask cannot match the reference's random draw"),
                    Map.entry(
                            "test_training_dropout_default",
                            "random dropout mask cannot match the reference's random draw"),
                    Map.entry(
                            "test_training_dropout_default_mask",
                            "random dropout mask cannot match the reference's random draw"),
                    Map.entry(
                            "test_training_dropout_mask",
                            "random dropout mask cannot match the reference's random draw"),
                    Map.entry(
                            "test_dropout_random_old",
                            "random dropout mask cannot match the reference's random draw"),
                    Map.entry(
                            "test_pow_types_float32_uint32",
                            "uint32 tensors are not read (rejected at load)"),
                    Map.entry(
                            "test_pow_types_float32_uint64",
                            "uint64 tensors are not read (rejected at load)"),
                    Map.entry("test_identity_opt", "optional types are not tensors"),
                    Map.entry("test_identity_sequence", "sequence types are not tensors"));

    /** Official tests of supported operators that cannot pass, with the reason. */
    static final Map<String, String> SKIPPED = skipped();

    private static Map<String, String> skipped() {
        Map<String, String> m = new java.util.HashMap<>(KNOWN_LIMITS);
        for (String cast : EXOTIC_CASTS) {
            String reason = "float16/bfloat16/string tensors are not supported (rejected at load)";
            m.put("test_cast_" + cast, reason);
            m.put("test_castlike_" + cast + "_expanded", reason);
        }
        return Map.copyOf(m);
    }

    record Outcome(String test, String op, boolean passed, String detail) {}

    @Test
    void shouldPassEveryOfficialNodeTestOfEachSupportedOperator() throws Exception {
        assumeTrue(
                Files.isDirectory(NODE_TESTS),
                "libonnx-testdata is not installed (apt-get install libonnx-testdata); "
                        + NODE_TESTS
                        + " is missing");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(NODE_TESTS)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }

        List<Outcome> outcomes = new ArrayList<>();
        Map<String, int[]> table = new TreeMap<>();
        for (Path dir : dirs) {
            String test = dir.getFileName().toString();
            OnnxMl.ModelProto model = parse(dir.resolve("model.onnx"));
            if (model.getGraph().getNodeCount() != 1
                    || !Operators.supported().contains(model.getGraph().getNode(0).getOpType())) {
                continue;
            }
            String op = model.getGraph().getNode(0).getOpType();
            int[] row = table.computeIfAbsent(op, k -> new int[3]);
            row[1]++;
            if (SKIPPED.containsKey(test)) {
                row[2]++;
                continue;
            }
            Outcome o = run(test, op, dir, model);
            outcomes.add(o);
            if (o.passed()) {
                row[0]++;
            }
        }

        StringBuilder sb =
                new StringBuilder(
                        String.format(
                                "%n%-20s %7s %7s %7s%n", "operator", "passed", "total", "skipped"));
        int passed = 0;
        int total = 0;
        for (Map.Entry<String, int[]> e : table.entrySet()) {
            sb.append(
                    String.format(
                            "%-20s %7d %7d %7d%n",
                            e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
            passed += e.getValue()[0];
            total += e.getValue()[1];
        }
        sb.append(String.format("%-20s %7d %7d%n", "all", passed, total));
        System.out.println(sb);
        List<String> failures =
                outcomes.stream()
                        .filter(o -> !o.passed())
                        .map(o -> o.test() + ": " + o.detail())
                        .toList();
        assertThat(failures).as("failing official node tests").isEmpty();
        assertThat(table.keySet()).as("operators covered by official tests").hasSizeGreaterThan(25);
    }

    private static Outcome run(String test, String op, Path dir, OnnxMl.ModelProto model) {
        try {
            OnnxGraph graph = BridgeReader.read(model);
            Path data = dir.resolve("test_data_set_0");
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            List<OnnxMl.ValueInfoProto> declared = model.getGraph().getInputList();
            for (int i = 0; Files.exists(data.resolve("input_" + i + ".pb")); i++) {
                String name = declared.get(i).getName();
                inputs.put(
                        name,
                        OnnxReader.tensor(parseTensor(data.resolve("input_" + i + ".pb")))
                                .renamed(name));
            }
            Map<String, OnnxTensor> actual = OnnxFixtures.runDjl(graph, inputs);
            for (int i = 0; Files.exists(data.resolve("output_" + i + ".pb")); i++) {
                String name = model.getGraph().getOutput(i).getName();
                OnnxTensor expected =
                        OnnxReader.tensor(parseTensor(data.resolve("output_" + i + ".pb")));
                String mismatch = compare(expected, actual.get(name));
                if (mismatch != null) {
                    return new Outcome(test, op, false, name + " " + mismatch);
                }
            }
            return new Outcome(test, op, true, "");
        } catch (Exception | AssertionError e) {
            return new Outcome(test, op, false, e.toString());
        }
    }

    private static String compare(OnnxTensor expected, OnnxTensor actual) {
        if (actual == null) {
            return "missing";
        }
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return "shape "
                    + java.util.Arrays.toString(actual.shape())
                    + " != "
                    + java.util.Arrays.toString(expected.shape());
        }
        for (int i = 0; i < expected.elementCount(); i++) {
            double e = expected.type().isIntegral() ? expected.longs()[i] : expected.floats()[i];
            double a = actual.type().isIntegral() ? actual.longs()[i] : actual.floats()[i];
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e)) && a != e) {
                return "element " + i + ": " + a + " != " + e;
            }
        }
        return null;
    }

    private static OnnxMl.ModelProto parse(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return OnnxMl.ModelProto.parseFrom(in);
        }
    }

    private static OnnxMl.TensorProto parseTensor(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return OnnxMl.TensorProto.parseFrom(in);
        }
    }
}
