package io.streamtune.bench.inference;

import io.streamtune.contracts.Task;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one more model costs an inference instance that serves many (`inference.models`): the
 * process's resident memory (VmRSS) after loading N sessions of a model and running one batch
 * through each — with ONNX Runtime's memory arena kept between runs (the default) and returned
 * after each run ({@code inference.memory.arena=false}). Models: the zoo's COCO CenterNet at 512 px
 * (2 M parameters) and a ResNet-18 classifier at 224 px (11.7 M). Options: {@code --copies=4
 * --batch=8 --models=centernet,resnet18 --arena=both|kept|returned}. Memory a process freed stays
 * resident, so only the first row of a run starts clean: for comparable rows run one model and one
 * arena setting per process.
 */
public final class ModelMemoryBench {

    static {
        io.streamtune.runtime.DjlOffline.enforce();
    }

    private ModelMemoryBench() {}

    public static void main(String[] args) throws Exception {
        var opts =
                io.streamtune.runtime.ConfigSource.of(
                        io.streamtune.runtime.ConfigSource.parseArgs(args));
        int copies = opts.integer("copies", 4, 1, 64);
        int batch = opts.integer("batch", 8, 1, 256);
        List<String> models = List.of(opts.string("models", "centernet,resnet18").split(","));
        String arenaOption = opts.string("arena", "both");
        boolean[] arenas =
                switch (arenaOption) {
                    case "both" -> new boolean[] {true, false};
                    case "kept" -> new boolean[] {true};
                    case "returned" -> new boolean[] {false};
                    default ->
                            throw new IllegalArgumentException(
                                    "arena must be both, kept or returned: " + arenaOption);
                };
        System.out.printf(
                Locale.ROOT,
                "resident memory per loaded model: %d sessions each, one batch of %d through each,"
                        + " 1 intra-op thread%n%n",
                copies,
                batch);
        System.out.println(
                "| model | file (MB) | arena | RSS before (MB) | after "
                        + copies
                        + " (MB) | per model (MB) |");
        System.out.println("|---|---|---|---|---|---|");
        for (String m : models) {
            Path file;
            ModelSpecOverrides overrides = ModelSpecOverrides.NONE;
            switch (m.trim()) {
                case "centernet" -> file = Zoo.modelFile("zoo:centernet", s -> {});
                case "resnet18" -> {
                    file = Files.createTempFile("resnet18", ".onnx");
                    Files.write(file, BenchNets.resnet18(224));
                    overrides =
                            ModelSpecOverrides.builder()
                                    .task(Task.CLASSIFICATION)
                                    .name("resnet18")
                                    .build();
                }
                default -> throw new IllegalArgumentException("unknown model " + m);
            }
            for (boolean arena : arenas) {
                RunnerOptions options =
                        new RunnerOptions(1, 1, arena, RunnerOptions.ONNX_MAX_BYTES);
                System.gc();
                long before = rssKb();
                List<OnnxModelRunner> loaded = new ArrayList<>();
                try {
                    for (int i = 0; i < copies; i++) {
                        OnnxModelRunner r = OnnxModelRunner.load(file, options, overrides);
                        loaded.add(r);
                        int size =
                                r.spec().preprocess().channels().planes()
                                        * r.spec().inputHeight()
                                        * r.spec().inputWidth();
                        r.run(new float[batch][size]);
                    }
                    System.gc();
                    long after = rssKb();
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %.1f | %s | %.0f | %.0f | %.0f |%n",
                            m,
                            Files.size(file) / 1e6,
                            arena ? "kept" : "returned",
                            before / 1024.0,
                            after / 1024.0,
                            (after - before) / 1024.0 / copies);
                } finally {
                    for (OnnxModelRunner r : loaded) {
                        r.close();
                    }
                }
            }
        }
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
