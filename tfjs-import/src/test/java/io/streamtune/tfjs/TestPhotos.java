package io.streamtune.tfjs;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Real photographs for tests: scikit-image's sample photos from Debian's {@code python3-skimage}
 * (installed, or extracted by {@code .ci/run} under {@code ~/.cache/streamtune/photos}).
 */
public final class TestPhotos {

    private TestPhotos() {}

    /** The folder of photos, or {@code null} when none is installed. */
    public static Path dir() {
        String prop = System.getProperty("streamtune.photos.dir");
        List<Path> candidates =
                List.of(
                        prop == null ? Path.of("/nonexistent") : Path.of(prop),
                        Path.of("/usr/lib/python3/dist-packages/skimage/data"),
                        Path.of(
                                System.getProperty("user.home"),
                                ".cache/streamtune/photos/usr/lib/python3/dist-packages/skimage/data"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("astronaut.png"))) {
                return p;
            }
        }
        return null;
    }

    /** Why no photos are here (for skip messages). */
    public static String unavailable() {
        return dir() == null
                ? "no real photos installed (apt-get install python3-skimage, or let .ci/run extract it)"
                : null;
    }

    /**
     * A photo resized (bilinear, stretched) to size × size, RGB channels-last, times {@code scale}.
     */
    public static float[] nhwc(String name, int size, float scale) throws IOException {
        BufferedImage src = ImageIO.read(dir().resolve(name).toFile());
        BufferedImage dst = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, size, size, null);
        g.dispose();
        float[] f = new float[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = dst.getRGB(x, y);
                int i = (y * size + x) * 3;
                f[i] = ((rgb >> 16) & 255) * scale;
                f[i + 1] = ((rgb >> 8) & 255) * scale;
                f[i + 2] = (rgb & 255) * scale;
            }
        }
        return f;
    }
}
