package io.streamtune.ingest.bulk;

import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** File helpers shared by the readers. */
final class DatasetFiles {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp");

    private DatasetFiles() {}

    static Path requireDirectory(Path dir, String what) throws DatasetFormatException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetFormatException(what + " " + dir + " is not a directory");
        }
        return dir;
    }

    /** Image files under {@code dir} (recursively), sorted by path. */
    static List<Path> images(Path dir) throws DatasetFormatException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(DatasetFiles::isImage).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetFormatException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isImage(Path p) {
        return IMAGE_EXTENSIONS.contains(extension(p));
    }

    static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** {@code child} resolved under {@code dir}; refuses names that climb out of it. */
    static Path inside(Path dir, String child) throws SampleRejectedException {
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(child).normalize();
        if (!p.startsWith(base)) {
            throw new SampleRejectedException(
                    RejectReason.MALFORMED_RECORD,
                    "file name '" + child + "' points outside " + dir);
        }
        return p;
    }

    /** Relative path with forward slashes, for messages and keys. */
    static String relative(Path root, Path file) {
        return root.toAbsolutePath()
                .normalize()
                .relativize(file.toAbsolutePath().normalize())
                .toString()
                .replace('\\', '/');
    }

    /** Non-blank, non-comment lines of a class list. */
    static List<String> classList(Path file) throws DatasetFormatException {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    out.add(s);
                }
            }
            if (out.isEmpty()) {
                throw new DatasetFormatException(file + " lists no classes");
            }
            return out;
        } catch (IOException e) {
            throw new DatasetFormatException(
                    "cannot read class list " + file + ": " + e.getMessage(), e);
        }
    }

    /** An 8-bit grey PNG of a row-major label map. */
    static byte[] maskPng(byte[] labels, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, width, height, labels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
