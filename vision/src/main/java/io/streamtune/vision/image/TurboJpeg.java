package io.streamtune.vision.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding through libjpeg-turbo's own Java binding (Debian: {@code libturbojpeg-java} with
 * {@code libturbojpeg0-dev}), when it is installed: SIMD decoding, and DCT-domain scaling that
 * decodes a 640x480 frame straight to 320x240 for a 320-pixel model. In the inference bench the
 * decode stage of a detector's 640x480 frame went from 5.8-8 ms (ImageIO) to 2.3-3 ms.
 *
 * <p>The binding is not on Maven Central, so it is loaded at run time from its jar ({@code
 * /usr/share/java/turbojpeg.jar}, or the path in system property {@code streamtune.turbojpeg.jar} /
 * env {@code STREAMTUNE_TURBOJPEG_JAR}) and called through method handles. Setting {@code
 * streamtune.jpeg.decoder} / {@code STREAMTUNE_JPEG_DECODER} to {@code imageio} turns it off;
 * {@code turbojpeg} makes its absence an error instead of a fallback. Thread-safe: every call uses
 * its own native decompressor.
 */
final class TurboJpeg {

    private static final Logger log = LoggerFactory.getLogger(TurboJpeg.class);
    private static final String DEFAULT_JAR = "/usr/share/java/turbojpeg.jar";

    /** The binding, loaded once; empty when it is not installed or turned off. */
    static final Optional<TurboJpeg> INSTANCE = load();

    private final MethodHandle open; // (byte[]) -> TJDecompressor
    private final MethodHandle width; // (d) -> int
    private final MethodHandle height; // (d) -> int
    private final MethodHandle decompress; // (d, byte[], x, y, w, pitch, h, pf, flags) -> void
    private final MethodHandle close; // (d) -> void
    private final int pixelFormatRgb;
    private final int[][] factors; // {num, denom}, as libjpeg-turbo offers them

    private TurboJpeg(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> tj = Class.forName("org.libjpegturbo.turbojpeg.TJ", true, loader);
        Class<?> dec = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
        Class<?> factor = Class.forName("org.libjpegturbo.turbojpeg.TJScalingFactor", true, loader);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        open = lookup.findConstructor(dec, MethodType.methodType(void.class, byte[].class));
        width = lookup.findVirtual(dec, "getWidth", MethodType.methodType(int.class));
        height = lookup.findVirtual(dec, "getHeight", MethodType.methodType(int.class));
        decompress =
                lookup.findVirtual(
                        dec,
                        "decompress",
                        MethodType.methodType(
                                void.class,
                                byte[].class,
                                int.class,
                                int.class,
                                int.class,
                                int.class,
                                int.class,
                                int.class,
                                int.class));
        close = lookup.findVirtual(dec, "close", MethodType.methodType(void.class));
        pixelFormatRgb = tj.getField("PF_RGB").getInt(null);
        Object all = tj.getMethod("getScalingFactors").invoke(null);
        factors = new int[Array.getLength(all)][];
        for (int i = 0; i < factors.length; i++) {
            Object f = Array.get(all, i);
            factors[i] =
                    new int[] {
                        (int) factor.getMethod("getNum").invoke(f),
                        (int) factor.getMethod("getDenom").invoke(f)
                    };
        }
    }

    private static Optional<TurboJpeg> load() {
        String mode = setting("streamtune.jpeg.decoder", "STREAMTUNE_JPEG_DECODER", "auto");
        mode = mode.toLowerCase(Locale.ROOT);
        if (mode.equals("imageio")) {
            return Optional.empty();
        }
        if (!mode.equals("auto") && !mode.equals("turbojpeg")) {
            throw new IllegalStateException(
                    "streamtune.jpeg.decoder (env STREAMTUNE_JPEG_DECODER): expected auto,"
                            + " turbojpeg or imageio, got '"
                            + mode
                            + "'");
        }
        Path jar =
                Path.of(
                        setting(
                                "streamtune.turbojpeg.jar",
                                "STREAMTUNE_TURBOJPEG_JAR",
                                DEFAULT_JAR));
        try {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        "no " + jar + " (apt install libturbojpeg-java libturbojpeg0-dev)");
            }
            ClassLoader loader =
                    new URLClassLoader(
                            new URL[] {jar.toUri().toURL()}, TurboJpeg.class.getClassLoader());
            TurboJpeg tj = new TurboJpeg(loader);
            log.info("JPEG decoding with libjpeg-turbo ({})", jar);
            return Optional.of(tj);
        } catch (Exception | LinkageError e) {
            if (mode.equals("turbojpeg")) {
                throw new IllegalStateException(
                        "streamtune.jpeg.decoder=turbojpeg but libjpeg-turbo's binding cannot be"
                                + " loaded: "
                                + e,
                        e);
            }
            log.debug(
                    "libjpeg-turbo binding not used, decoding JPEG with ImageIO: {}", e.toString());
            return Optional.empty();
        }
    }

    private static String setting(String property, String env, String defaultValue) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? defaultValue : v.strip();
    }

    /** Chooses the decoded size once the header is read; may refuse the image. */
    interface Sizer {
        int[] sizeFor(int width, int height) throws ImageRejectedException;
    }

    /**
     * Reads the header, asks {@code sizer} for the smallest size wanted, and decodes to RGB at the
     * smallest scale libjpeg-turbo offers (1/8 … 1) that covers it. Empty when libjpeg-turbo cannot
     * read or decode the data (a CMYK or damaged JPEG, say), for ImageIO to try and explain; the
     * sizer's refusal is thrown.
     */
    Optional<RgbImage> decode(byte[] jpeg, Sizer sizer) throws ImageRejectedException {
        Object d = null;
        try {
            int w;
            int h;
            try {
                d = open.invoke(jpeg);
                w = (int) width.invoke(d);
                h = (int) height.invoke(d);
            } catch (Throwable e) {
                rethrowFatal(e);
                log.debug("libjpeg-turbo cannot read the header, trying ImageIO: {}", e.toString());
                return Optional.empty();
            }
            int[] wanted = sizer.sizeFor(w, h);
            int[] size = scaledSize(w, h, wanted[0], wanted[1]);
            byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(size[0], size[1]), 3)];
            try {
                decompress.invoke(d, pixels, 0, 0, size[0], 0, size[1], pixelFormatRgb, 0);
            } catch (Throwable e) {
                rethrowFatal(e);
                log.debug("libjpeg-turbo cannot decode, trying ImageIO: {}", e.toString());
                return Optional.empty();
            }
            return Optional.of(new RgbImage(size[0], size[1], pixels));
        } finally {
            if (d != null) {
                try {
                    close.invoke(d);
                } catch (Throwable ignored) {
                    // the decompressor's native handle is freed by its finalizer then
                }
            }
        }
    }

    private static void rethrowFatal(Throwable e) {
        if (e instanceof VirtualMachineError error) {
            throw error;
        }
    }

    /** The smallest offered scaled size of {@code w x h} that covers {@code minW x minH}. */
    int[] scaledSize(int w, int h, int minW, int minH) {
        int bestW = w;
        int bestH = h;
        for (int[] f : factors) {
            int sw = scaled(w, f);
            int sh = scaled(h, f);
            if (sw >= minW && sh >= minH && (long) sw * sh < (long) bestW * bestH) {
                bestW = sw;
                bestH = sh;
            }
        }
        return new int[] {bestW, bestH};
    }

    /** libjpeg-turbo's TJSCALED: {@code ceil(dim * num / denom)}. */
    private static int scaled(int dim, int[] f) {
        return (int) (((long) dim * f[0] + f[1] - 1) / f[1]);
    }
}
