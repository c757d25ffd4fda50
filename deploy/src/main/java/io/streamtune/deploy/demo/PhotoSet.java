package io.streamtune.deploy.demo;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Real photographs for the demo cameras: any folder of JPEG/PNG files, or by default the sample
 * photographs of Debian's {@code python3-skimage} package, unpacked (not installed) under {@code
 * ~/.cache/streamtune/photos} with apt's own download.
 */
public final class PhotoSet {

    /**
     * The default set's photographs of everyday COCO objects (a person, a cat, a cup, motorcycles).
     */
    static final List<String> DEFAULT_PHOTOS =
            List.of(
                    "astronaut.png",
                    "chelsea.png",
                    "coffee.png",
                    "motorcycle_left.png",
                    "motorcycle_right.png",
                    "camera.png");

    private static final String SKIMAGE_DATA = "usr/lib/python3/dist-packages/skimage/data";

    private PhotoSet() {}

    /** Where the default set lives once unpacked. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "streamtune", "photos")
                .resolve(SKIMAGE_DATA);
    }

    /** The installed package's folder, or the unpacked default set, or null when neither exists. */
    public static Path findDefault() {
        for (Path p : List.of(Path.of("/").resolve(SKIMAGE_DATA), defaultDir())) {
            if (Files.isRegularFile(p.resolve(DEFAULT_PHOTOS.get(0)))) {
                return p;
            }
        }
        return null;
    }

    /**
     * Downloads {@code python3-skimage} with apt (signature-checked by apt) and unpacks its files
     * under the cache; returns the photo folder.
     */
    public static Path fetchDefault() throws IOException, InterruptedException {
        DebianPackages.unpack(
                "python3-skimage",
                Path.of(System.getProperty("user.home"), ".cache", "streamtune", "photos"),
                "a Debian-based system with apt is needed for the default photos; or pass"
                        + " --camera-dir DIR");
        return defaultDir();
    }

    /**
     * The photos of a folder (the default set's named ones when it is the default folder), at most
     * 640 px wide.
     */
    public static List<BufferedImage> load(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        boolean isDefault =
                Files.isRegularFile(dir.resolve(DEFAULT_PHOTOS.get(0)))
                        && dir.endsWith(Path.of("skimage", "data"));
        if (isDefault) {
            DEFAULT_PHOTOS.forEach(n -> files.add(dir.resolve(n)));
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(
                                p -> {
                                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                                    return n.endsWith(".jpg")
                                            || n.endsWith(".jpeg")
                                            || n.endsWith(".png")
                                            || n.endsWith(".webp");
                                })
                        .sorted()
                        .forEach(files::add);
            }
        }
        List<BufferedImage> images = new ArrayList<>();
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null) {
                continue; // not an image after all: the camera skips it
            }
            images.add(toRgb(img, 640));
        }
        if (images.isEmpty()) {
            throw new IOException("no JPEG or PNG photos in " + dir);
        }
        return images;
    }

    private static BufferedImage toRgb(BufferedImage img, int maxWidth) {
        double scale = Math.min(1.0, (double) maxWidth / img.getWidth());
        int w = (int) Math.round(img.getWidth() * scale);
        int h = (int) Math.round(img.getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(
                java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
