package io.streamtune.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.onnx.ir.OnnxGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsGraphModelReaderTest {

    @TempDir Path dir;

    private Path tinyModel() throws Exception {
        TfjsGraphWriter w = new TfjsGraphWriter(TfjsGraphWriter.Quantization.NONE, 1);
        w.placeholder("x", 1, 8, 8, 3);
        w.op("y", "Conv2D", "x", w.randomFloats("f", 0.5f, 3, 3, 3, 4))
                .ints("strides", 1, 1, 1, 1)
                .s("padding", "SAME");
        w.op("z", "TopKV2", "y", w.scalar("k", 5));
        return w.write(dir, "x", new long[] {1, 8, 8, 3}, List.of("y"));
    }

    @Test
    void shouldReadAModelAndMakeItsBatchDynamic() throws Exception {
        OnnxGraph g =
                TfjsImporter.convert(
                        TfjsGraphModelReader.read(tinyModel()), TfjsImporter.Options.defaults());

        assertThat(g.inputs().get(0).shape()).containsExactly(-1, 3, 8, 8);
        assertThat(g.outputs().get(0).shape()).containsExactly(-1, 4, 8, 8);
    }

    @Test
    void shouldRejectMalformedJsonNamingTheFile() throws Exception {
        Path json = tinyModel();
        Files.writeString(json, "{\"format\": \"graph-model\", \"modelTopology\": {");

        assertThatThrownBy(() -> TfjsGraphModelReader.read(json))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining(json.toString())
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void shouldRejectAMissingWeightShard() throws Exception {
        Path json = tinyModel();
        Files.delete(dir.resolve("group1-shard1of1.bin"));

        assertThatThrownBy(() -> TfjsGraphModelReader.read(json))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("group1-shard1of1.bin' is missing");
    }

    @Test
    void shouldRejectAShardShorterThanTheManifestSays() throws Exception {
        Path json = tinyModel();
        Path shard = dir.resolve("group1-shard1of1.bin");
        byte[] all = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(all, all.length - 10));

        assertThatThrownBy(() -> TfjsGraphModelReader.read(json))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("weight 'f' needs 432 bytes but the shards hold only")
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldRejectAbsurdDeclaredShapesWithoutAllocating() throws Exception {
        Path json = tinyModel();
        Files.writeString(
                json,
                Files.readString(json)
                        .replaceFirst(
                                "\"shape\" : \\[ 3, 3, 3, 4 \\]",
                                "\"shape\" : [ 3000000000, 3000000000, 3, 4 ]"));

        assertThatThrownBy(() -> TfjsGraphModelReader.read(json))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("weight 'f' declares an absurd shape");
    }

    @Test
    void shouldRefuseShardPathsOutsideTheModelFolder() throws Exception {
        Path json = tinyModel();
        Files.writeString(
                json,
                Files.readString(json)
                        .replace("\"group1-shard1of1.bin\"", "\"../../../etc/passwd\""));

        assertThatThrownBy(() -> TfjsGraphModelReader.read(json))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("leaves the model's folder");
    }

    @Test
    void shouldNameAnUnsupportedOperatorItsNodeAndWhatToDo() throws Exception {
        TfjsGraphModel m = TfjsGraphModelReader.read(tinyModel());

        assertThatThrownBy(
                        () ->
                                TfjsImporter.convert(
                                        m,
                                        TfjsImporter.Options.defaults().withOutputs(List.of("z"))))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("operator TopKV2 (node 'z') is not supported")
                .hasMessageContaining("cut the graph before it");
    }

    @Test
    void shouldRejectLayersModelsWithAHint() throws Exception {
        Path json = tinyModel();
        Files.writeString(
                json, Files.readString(json).replace("\"graph-model\"", "\"layers-model\""));

        assertThatThrownBy(() -> TfjsGraphModelReader.read(json))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("is not a TensorFlow.js graph model");
    }

    @Test
    void shouldRejectACutAtAnUnknownTensor() throws Exception {
        TfjsGraphModel m = TfjsGraphModelReader.read(tinyModel());

        assertThatThrownBy(
                        () ->
                                TfjsImporter.convert(
                                        m,
                                        TfjsImporter.Options.defaults()
                                                .withOutputs(List.of("nope"))))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("no tensor named 'nope'");
    }

    @Test
    void shouldConvertHalfPrecisionExactly() {
        assertThat(TfjsGraphModelReader.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TfjsGraphModelReader.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TfjsGraphModelReader.halfToFloat((short) 0x0001))
                .isEqualTo((float) Math.pow(2, -24));
        assertThat(TfjsGraphModelReader.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(TfjsGraphModelReader.halfToFloat(TfjsGraphWriter.toHalf(0.1f)))
                .isCloseTo(0.1f, org.assertj.core.data.Offset.offset(1e-4f));
    }
}
