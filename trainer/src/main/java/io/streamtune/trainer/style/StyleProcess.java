package io.streamtune.trainer.style;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.TrainingProgress.Phase;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.train.DivergedException;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.vision.image.RgbImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link StyleTrainer} in a child JVM whose PyTorch keeps oneDNN on SSE4.1 kernels ({@code
 * ONEDNN_MAX_CPU_ISA=SSE41}, which oneDNN reads once, at its first kernel): the AVX2 and AVX-512
 * kernels give NaN gradients through the frozen perceptual network on some CPUs (trainer README,
 * style transfer), while the rest of the trainer keeps the faster ones. A native crash of the child
 * fails the run, not the trainer. The child gets its inputs as files in a work folder (graphs as
 * ONNX, images as PNG, settings as JSON), reports progress on stdout and writes the best graph
 * back; it exits when its parent does.
 */
public final class StyleProcess {

    private static final Logger LOG = LoggerFactory.getLogger(StyleProcess.class);

    /** Marks the child's progress lines on stdout; everything else it prints is its log. */
    static final String PROGRESS = "@@streamtune-style-progress ";

    private StyleProcess() {}

    /** What the child needs besides the images. */
    record Job(StyleSettings settings, long seed, int threads) {}

    /**
     * Trains in a child JVM; same inputs and result as {@link StyleTrainer#train}. Throws {@link
     * DivergedException} when the child reports divergence, {@link IllegalStateException} naming
     * the exit status and the child's last lines when it fails otherwise.
     */
    public static StyleTrainer.Result train(
            StyleSettings settings,
            long seed,
            int threads,
            OnnxGraph perceptualBase,
            OnnxGraph start,
            List<RgbImage> styles,
            List<RgbImage> train,
            List<RgbImage> selection,
            ProgressListener listener,
            Path work)
            throws Exception {
        Files.createDirectories(work);
        try {
            Files.write(work.resolve("perceptual.onnx"), OnnxWriter.toBytes(perceptualBase));
            Files.write(work.resolve("start.onnx"), OnnxWriter.toBytes(start));
            JsonSerde.MAPPER.writeValue(
                    work.resolve("job.json").toFile(), new Job(settings, seed, threads));
            writeImages(work.resolve("styles"), styles);
            writeImages(work.resolve("train"), train);
            writeImages(work.resolve("selection"), selection);
            Process child = start(work);
            Thread killer = new Thread(child::destroyForcibly, "style-child-stop");
            Runtime.getRuntime().addShutdownHook(killer);
            Deque<String> tail = new ArrayDeque<>();
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(PROGRESS)) {
                        progress(line.substring(PROGRESS.length()), listener);
                    } else {
                        LOG.debug("style child: {}", line);
                        tail.addLast(line);
                        if (tail.size() > 12) {
                            tail.removeFirst();
                        }
                    }
                }
                int status = child.waitFor();
                if (status != 0) {
                    throw failure(work, status, tail);
                }
            } finally {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(killer);
                } catch (IllegalStateException e) {
                    // shutting down: the hook stops the child
                }
            }
            JsonNode r = JsonSerde.MAPPER.readTree(work.resolve("result.json").toFile());
            return new StyleTrainer.Result(
                    BridgeReader.read(work.resolve("best.onnx")),
                    r.path("firstLoss").asDouble(Double.NaN),
                    r.path("lastLoss").asDouble(Double.NaN),
                    r.path("selectionLoss").asDouble(Double.NaN),
                    r.path("steps").asInt(),
                    r.path("retriedPasses").asInt(),
                    r.path("skippedSteps").asInt());
        } finally {
            deleteTree(work);
        }
    }

    private static Process start(Path work) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        long heap = Math.max(1L << 30, Runtime.getRuntime().maxMemory() / 2);
        command.add("-Xmx" + (heap >> 20) + "m");
        // DJL offline and its caches as here, PyTorch's thread settings as here
        System.getProperties()
                .forEach(
                        (k, v) -> {
                            String key = k.toString();
                            if (key.startsWith("ai.djl.")
                                    || key.equals("DJL_CACHE_DIR")
                                    || key.equals("ENGINE_CACHE_DIR")
                                    || key.equals("OPT_OUT_TRACKING")
                                    || key.startsWith("streamtune.")) {
                                command.add("-D" + key + "=" + v);
                            }
                        });
        command.add("-Dai.djl.offline=true");
        command.add("-DOPT_OUT_TRACKING=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StyleProcess.class.getName());
        command.add(work.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("ONEDNN_MAX_CPU_ISA", "SSE41");
        env.put("OPT_OUT_TRACKING", "true");
        LOG.debug("starting the style child: {}", command);
        return pb.start();
    }

    private static Exception failure(Path work, int status, Deque<String> tail) {
        Path error = work.resolve("error.json");
        if (Files.isRegularFile(error)) {
            try {
                JsonNode e = JsonSerde.MAPPER.readTree(error.toFile());
                String message = e.path("message").asText();
                if (e.path("diverged").asBoolean()) {
                    return new DivergedException(message);
                }
                return new IllegalStateException("style training failed: " + message);
            } catch (IOException ignored) {
                // fall through to the exit status
            }
        }
        return new IllegalStateException(
                "style training process exited with status "
                        + status
                        + (status > 128 ? " (signal " + (status - 128) + ")" : "")
                        + "; its last lines: "
                        + String.join(" | ", tail));
    }

    private static void progress(String line, ProgressListener listener) {
        String[] f = line.trim().split(" ");
        if (f.length != 6) {
            return;
        }
        try {
            listener.onProgress(
                    Phase.valueOf(f[0]),
                    Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]),
                    Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]),
                    Long.parseLong(f[5]));
        } catch (RuntimeException e) {
            LOG.debug("unreadable progress line from the style child: {}", line);
        }
    }

    private static void writeImages(Path dir, List<RgbImage> images) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < images.size(); i++) {
            ImageIO.write(
                    images.get(i).toBufferedImage(),
                    "png",
                    dir.resolve(String.format("%06d.png", i)).toFile());
        }
    }

    private static List<RgbImage> readImages(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        List<RgbImage> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(RgbImage.of(ImageIO.read(f.toFile())));
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    LOG.debug("could not delete {}: {}", p, e.toString());
                                }
                            });
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }

    /** The child: {@code StyleProcess WORK_DIR}. */
    public static void main(String[] args) throws Exception {
        DjlOffline.enforce();
        Path work = Path.of(args[0]);
        PrintStream out =
                new PrintStream(
                        new java.io.FileOutputStream(java.io.FileDescriptor.out),
                        true,
                        StandardCharsets.UTF_8);
        watchParent();
        try {
            Job job = JsonSerde.MAPPER.readValue(work.resolve("job.json").toFile(), Job.class);
            OnnxGraph perceptualBase = BridgeReader.read(work.resolve("perceptual.onnx"));
            OnnxGraph start = BridgeReader.read(work.resolve("start.onnx"));
            PerceptualNet net = job.settings().perceptual(perceptualBase);
            PerceptualLoss loss = job.settings().loss(net);
            ProgressListener report =
                    (phase, step, steps, l, metric, eta) -> {
                        synchronized (out) {
                            out.println(
                                    PROGRESS
                                            + phase.name()
                                            + " "
                                            + step
                                            + " "
                                            + steps
                                            + " "
                                            + l
                                            + " "
                                            + metric
                                            + " "
                                            + eta);
                        }
                    };
            StyleTrainer.Result r =
                    new StyleTrainer(
                                    net,
                                    loss,
                                    job.settings().training(job.seed()),
                                    report,
                                    job.threads())
                            .train(
                                    start,
                                    readImages(work.resolve("styles")),
                                    readImages(work.resolve("train")),
                                    readImages(work.resolve("selection")));
            Files.write(work.resolve("best.onnx"), OnnxWriter.toBytes(r.graph()));
            ObjectNode result = JsonSerde.MAPPER.createObjectNode();
            result.put("firstLoss", r.firstLoss());
            result.put("lastLoss", r.lastLoss());
            result.put("selectionLoss", r.selectionLoss());
            result.put("steps", r.steps());
            result.put("retriedPasses", r.retriedPasses());
            result.put("skippedSteps", r.skippedSteps());
            JsonSerde.MAPPER.writeValue(work.resolve("result.json").toFile(), result);
            System.exit(0);
        } catch (Throwable t) {
            ObjectNode e = JsonSerde.MAPPER.createObjectNode();
            e.put("diverged", t instanceof DivergedException);
            e.put("message", String.valueOf(t.getMessage()));
            JsonSerde.MAPPER.writeValue(work.resolve("error.json").toFile(), e);
            System.exit(2);
        }
    }

    /** Exits when the trainer that started this child is gone (killed without its hooks). */
    private static void watchParent() {
        var parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        Thread t =
                new Thread(
                        () -> {
                            parent.get().onExit().join();
                            Runtime.getRuntime().halt(3);
                        },
                        "parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
