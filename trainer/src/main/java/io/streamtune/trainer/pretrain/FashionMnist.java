package io.streamtune.trainer.pretrain;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads Fashion-MNIST's gzipped IDX files (Debian's {@code dataset-fashion-mnist}). */
public final class FashionMnist {

    /** Where Debian installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names by label. */
    public static final String[] CLASSES = {
        "t-shirt",
        "trouser",
        "pullover",
        "dress",
        "coat",
        "sandal",
        "shirt",
        "sneaker",
        "bag",
        "ankle-boot"
    };

    /**
     * Images and labels of one split.
     *
     * @param pixels {@code [n][28 * 28]} grey values 0..255
     * @param labels class by image
     */
    public record Split(int[][] pixels, int[] labels) {
        public int size() {
            return labels.length;
        }
    }

    private FashionMnist() {}

    /** Whether the files are installed in {@code dir}. */
    public static boolean available(Path dir) {
        return Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"));
    }

    /**
     * The 60k training ({@code train}) or 10k test ({@code t10k}) split, at most {@code limit}
     * images.
     */
    public static Split read(Path dir, String split, int limit) throws IOException {
        int[][] images;
        try (DataInputStream in = open(dir.resolve(split + "-images-idx3-ubyte.gz"))) {
            if (in.readInt() != 2051) {
                throw new IOException("not an IDX image file");
            }
            int n = Math.min(limit, in.readInt());
            int rows = in.readInt();
            int cols = in.readInt();
            images = new int[n][rows * cols];
            byte[] buf = new byte[rows * cols];
            for (int i = 0; i < n; i++) {
                in.readFully(buf);
                for (int p = 0; p < buf.length; p++) {
                    images[i][p] = buf[p] & 0xff;
                }
            }
        }
        int[] labels;
        try (DataInputStream in = open(dir.resolve(split + "-labels-idx1-ubyte.gz"))) {
            if (in.readInt() != 2049) {
                throw new IOException("not an IDX label file");
            }
            int n = Math.min(images.length, in.readInt());
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        return new Split(images, labels);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(
                new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
    }
}
