package io.streamtune.bench;

import io.streamtune.runtime.DjlOffline;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one benchmark by name: {@code ./streamtune bench <name> [args]}; {@code list} shows them.
 */
public final class BenchMain {

    static {
        DjlOffline.enforce();
    }

    /** Benchmark name → main class. */
    static final Map<String, String> BENCHES = new LinkedHashMap<>();

    static {
        BENCHES.put("onnx", "io.streamtune.bench.onnx.OnnxBridgeBench");
        BENCHES.put("ingest", "io.streamtune.bench.ingest.IngestBench");
        BENCHES.put("inference", "io.streamtune.bench.inference.InferenceBench");
        BENCHES.put("model-memory", "io.streamtune.bench.inference.ModelMemoryBench");
        BENCHES.put("transfer", "io.streamtune.bench.trainer.TransferBench");
        BENCHES.put("transfer-real", "io.streamtune.bench.trainer.RealTransferBench");
        BENCHES.put("transfer-detection", "io.streamtune.bench.trainer.DetectionTransferBench");
        BENCHES.put(
                "transfer-segmentation", "io.streamtune.bench.trainer.SegmentationTransferBench");
        BENCHES.put("caching", "io.streamtune.bench.trainer.CachingCostBench");
        BENCHES.put("trigger-publish", "io.streamtune.bench.trainer.TriggerToPublishBench");
        BENCHES.put("style", "io.streamtune.bench.trainer.StyleBench");
    }

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0
                || args[0].equals("list")
                || args[0].equals("--help")
                || args[0].equals("-h")) {
            System.out.println("usage: streamtune bench <name> [args]");
            BENCHES.forEach(
                    (name, cls) ->
                            System.out.printf(
                                    "  %-10s %s%s%n",
                                    name, cls, available(cls) ? "" : "  (not built)"));
            return;
        }
        String cls = BENCHES.get(args[0]);
        if (cls == null || !available(cls)) {
            System.err.println("unknown benchmark '" + args[0] + "'; try: streamtune bench list");
            System.exit(2);
            return;
        }
        try {
            Class.forName(cls)
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    static boolean available(String cls) {
        try {
            Class.forName(cls, false, BenchMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
