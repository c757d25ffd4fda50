package io.streamtune.vision.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.ArtifactRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest {

    @TempDir Path dir;

    @Test
    void shouldFetchWhatWasPutWithItsChecksum() throws Exception {
        var store = new FileArtifactStore(dir);
        byte[] bytes = randomBytes(5000);

        ArtifactRef ref = store.put("cars", 3, bytes);

        assertThat(ref.uri()).startsWith("file:").endsWith("/cars/3.onnx");
        assertThat(ref.sha256()).isEqualTo(Sha256.hex(bytes));
        assertThat(ref.sizeBytes()).isEqualTo(5000);
        assertThat(store.fetch(ref)).isEqualTo(bytes);
        assertThat(Files.list(dir.resolve("cars"))).containsExactly(dir.resolve("cars/3.onnx"));
    }

    @Test
    void shouldRefuseAFileWhoseBytesChanged() throws Exception {
        var store = new FileArtifactStore(dir);
        ArtifactRef ref = store.put("cars", 1, randomBytes(100));
        byte[] tampered = Files.readAllBytes(store.pathOf("cars", 1));
        tampered[50] ^= 1;
        Files.write(store.pathOf("cars", 1), tampered);

        assertThatThrownBy(() -> store.fetch(ref))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("SHA-256")
                .satisfies(
                        e ->
                                assertThat(((ArtifactException) e).reason())
                                        .isEqualTo(ArtifactException.Reason.CHECKSUM_MISMATCH));
    }

    @Test
    void shouldReportAMissingFileAsNotFound() throws Exception {
        var store = new FileArtifactStore(dir);
        ArtifactRef ref = store.put("cars", 1, randomBytes(100));

        store.delete("cars", 1);

        assertThat(store.pathOf("cars", 1)).doesNotExist();
        assertThatThrownBy(() -> store.fetch(ref))
                .isInstanceOf(ArtifactException.class)
                .satisfies(
                        e ->
                                assertThat(((ArtifactException) e).reason())
                                        .isEqualTo(ArtifactException.Reason.NOT_FOUND));
    }

    @Test
    void shouldRouteFetchesByUriScheme() throws Exception {
        var files = new FileArtifactStore(dir);
        ArtifactRef ref = files.put("cars", 2, randomBytes(10));
        var routing = ArtifactStore.routing(new FileArtifactStore(dir.resolve("other")), files);

        byte[] fetched = routing.fetch(ref);
        var foreign = new ArtifactRef("s3://bucket/cars/2.onnx", ref.sha256(), ref.sizeBytes(), 1);

        assertThat(fetched).hasSize(10);
        assertThatThrownBy(() -> routing.fetch(foreign))
                .isInstanceOf(ArtifactException.class)
                .satisfies(
                        e ->
                                assertThat(((ArtifactException) e).reason())
                                        .isEqualTo(ArtifactException.Reason.UNSUPPORTED_URI));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void shouldReadNothingOutsideTheRootWhateverTheAnnouncementSays() throws Exception {
        var store = new FileArtifactStore(dir.resolve("store"));
        store.put("cars", 1, randomBytes(10));
        Path outside = dir.resolve("secret.txt");
        Files.writeString(outside, "password=hunter2");
        Files.createSymbolicLink(dir.resolve("store/cars/2.onnx"), outside);
        Path fifo = dir.resolve("store/cars/3.onnx");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();

        for (String uri :
                java.util.List.of(
                        outside.toUri().toString(),
                        "file:///dev/zero",
                        "file:///proc/self/environ",
                        dir.resolve("store/cars/2.onnx").toUri().toString(),
                        fifo.toUri().toString())) {
            var ref = new ArtifactRef(uri, "0".repeat(64), 16, 1);
            assertThatThrownBy(() -> store.fetch(ref))
                    .as(uri)
                    .isInstanceOf(ArtifactException.class)
                    .hasMessageContaining("refused")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void shouldRefuseAFileOfAnotherSizeBeforeReadingIt() throws Exception {
        var store = new FileArtifactStore(dir);
        ArtifactRef ref = store.put("cars", 1, randomBytes(100));
        var lying = new ArtifactRef(ref.uri(), ref.sha256(), 99, 1);

        assertThatThrownBy(() -> store.fetch(lying))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("100 bytes on disk, the announcement says 99");
    }
}
