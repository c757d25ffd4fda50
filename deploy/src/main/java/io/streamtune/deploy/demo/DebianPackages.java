package io.streamtune.deploy.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Unpacks (does not install) a Debian package's files under a folder, with apt's own download
 * (signature-checked by apt): how the demo gets its real photographs and product photos without
 * root and without any other download channel.
 */
final class DebianPackages {

    private DebianPackages() {}

    /** Downloads {@code pkg} with {@code apt-get download} and extracts it under {@code root}. */
    static void unpack(String pkg, Path root, String ifMissing)
            throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("streamtune-" + pkg);
        try {
            run(tmp, ifMissing, "apt-get", "download", "-qq", pkg);
            Path deb;
            try (Stream<Path> s = Files.list(tmp)) {
                deb =
                        s.filter(p -> p.getFileName().toString().endsWith(".deb"))
                                .findFirst()
                                .orElseThrow(
                                        () -> new IOException("apt-get download wrote no .deb"));
            }
            Files.createDirectories(root);
            run(tmp, ifMissing, "dpkg-deb", "-x", deb.toString(), root.toString());
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(Path dir, String ifMissing, String... cmd)
            throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(cmd[0] + " is not available (" + ifMissing + ")");
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(
                    String.join(" ", cmd)
                            + " failed: "
                            + (out.isEmpty()
                                    ? "exit " + p.exitValue()
                                    : out.lines().reduce((a, b) -> b).orElse(out)));
        }
    }
}
