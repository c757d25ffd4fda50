package io.streamtune.trainer.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.streamtune.contracts.Box;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.zoo.CenterNetLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Fine-tunes a pretrained CenterNet detector (the zoo's COCO network, or a version trained from it)
 * to new classes while keeping what it learned about detection: its neck and its box-side head are
 * reused as they are; only the class heatmap's last convolution depends on the class list and is
 * rebuilt, keeping the pretrained channel of every class whose name the base network already knows
 * (COCO's "person", "car"…, with the PASCAL VOC spellings as aliases) and starting the others at a
 * low prior.
 *
 * <p>Phase 1 trains both heads on the neck's output (backbone and neck frozen, computed once);
 * phase 2 unfreezes the neck and the backbone's last blocks at the lower rate. Losses: the
 * penalty-reduced focal loss on the heatmap, and L1 on the four side distances at object centres in
 * units of the output stride (weight {@value #SIDE_WEIGHT}, as CenterNet weights its size loss).
 * The export serves through {@link CenterNetLayout}, the same graph the zoo serves the pretrained
 * network with.
 */
public final class CenterNetHead implements TaskHead {

    /** Weight of the side-distance L1 loss against the focal loss. */
    static final double SIDE_WEIGHT = 0.1;

    /** Prior probability a new class's heatmap starts at. */
    private static final double PRIOR = 0.05;

    /** PASCAL VOC (and common) spellings of COCO classes. */
    private static final Map<String, String> ALIASES =
            Map.ofEntries(
                    Map.entry("aeroplane", "airplane"),
                    Map.entry("motorbike", "motorcycle"),
                    Map.entry("sofa", "couch"),
                    Map.entry("tvmonitor", "tv"),
                    Map.entry("tv monitor", "tv"),
                    Map.entry("television", "tv"),
                    Map.entry("diningtable", "dining table"),
                    Map.entry("pottedplant", "potted plant"),
                    Map.entry("people", "person"),
                    Map.entry("pedestrian", "person"),
                    Map.entry("bike", "bicycle"),
                    Map.entry("cellphone", "cell phone"),
                    Map.entry("mobile phone", "cell phone"));

    private final List<String> baseClasses;
    private final List<String> classes;

    /**
     * @param baseClasses the names of the base heatmap's channels (may be empty: no channel kept)
     * @param classes the class list to train
     */
    public CenterNetHead(List<String> baseClasses, List<String> classes) {
        this.baseClasses = List.copyOf(baseClasses);
        this.classes = List.copyOf(classes);
    }

    /**
     * The CenterNet heads a graph declares under {@link CenterNetLayout#HEADS_KEY}, resolved.
     *
     * @param logits the heatmap before its Sigmoid
     * @param sides the side distances
     * @param classConv the convolution producing {@code logits}: the only layer that depends on the
     *     class list
     */
    public record Heads(String logits, String sides, OnnxNode classConv) {}

    /** The graph's CenterNet heads, or empty when it declares none this head can rebuild. */
    public static Optional<Heads> heads(OnnxGraph g) {
        String declared = g.metadata().get(CenterNetLayout.HEADS_KEY);
        if (declared == null) {
            return Optional.empty();
        }
        String[] parts = declared.split(",");
        if (parts.length != 2 || !g.hasTensor(parts[0]) || !g.hasTensor(parts[1])) {
            return Optional.empty();
        }
        String heat = through(g, parts[0].trim());
        OnnxNode p = g.producer(heat);
        String logits = p != null && p.opType().equals("Sigmoid") ? through(g, p.input(0)) : heat;
        OnnxNode conv = g.producer(logits);
        if (conv == null
                || !conv.opType().equals("Conv")
                || conv.attrInt("group", 1) != 1
                || !conv.hasInput(2)
                || !g.initializers().containsKey(conv.input(1))
                || !g.initializers().containsKey(conv.input(2))) {
            return Optional.empty();
        }
        return Optional.of(new Heads(logits, parts[1].trim(), conv));
    }

    /** The tensor an Identity chain ending at {@code t} starts from. */
    private static String through(OnnxGraph g, String t) {
        OnnxNode p = g.producer(t);
        while (p != null && p.opType().equals("Identity")) {
            t = p.input(0);
            p = g.producer(t);
        }
        return t;
    }

    /** The base classes whose pretrained heatmap channel a class of {@code classes} keeps. */
    public static Map<String, String> kept(List<String> baseClasses, List<String> classes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : classes) {
            int j = match(baseClasses, c);
            if (j >= 0) {
                out.put(c, baseClasses.get(j));
            }
        }
        return out;
    }

    private static int match(List<String> baseClasses, String name) {
        String n = normalise(name);
        n = ALIASES.getOrDefault(n, n);
        for (int j = 0; j < baseClasses.size(); j++) {
            if (normalise(baseClasses.get(j)).equals(n)) {
                return j;
            }
        }
        return -1;
    }

    private static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
    }

    /** The class names a graph's metadata lists, or none. */
    public static List<String> classesOf(OnnxGraph g) {
        String json = g.metadata().get(ModelMetadataKeys.CLASSES);
        if (json == null) {
            return List.of();
        }
        try {
            return JsonSerde.MAPPER.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    /** The network cut at its heads and sized for training, ready for {@link #attach}. */
    public static Backbone backbone(OnnxGraph g, int inputSize) {
        Heads h = heads(g).orElseThrow(() -> new IllegalArgumentException("no CenterNet heads"));
        Map<String, String> meta = new LinkedHashMap<>(g.metadata());
        meta.put(CenterNetLayout.HEADS_KEY, h.logits() + "," + h.sides());
        return Backbone.upTo(g.withMetadata(meta), List.of(h.logits(), h.sides()), inputSize);
    }

    @Override
    public Task task() {
        return Task.DETECTION;
    }

    @Override
    public HeadedGraph attach(Backbone backbone, int classCount, long seed) {
        if (classCount != classes.size()) {
            throw new IllegalArgumentException(
                    classCount + " classes asked for, " + classes.size() + " named");
        }
        OnnxGraph g = backbone.graph();
        Heads h =
                heads(g).orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "base model declares no CenterNet heads"));
        OnnxTensor w = g.initializers().get(h.classConv().input(1));
        OnnxTensor bias = g.initializers().get(h.classConv().input(2));
        long[] ws = w.shape();
        int per = (int) (w.elementCount() / ws[0]);
        float[] nw = new float[classCount * per];
        float[] nb = new float[classCount];
        Random random = new Random(seed);
        float priorBias = (float) -Math.log((1 - PRIOR) / PRIOR);
        for (int i = 0; i < classCount; i++) {
            int j = match(baseClasses, classes.get(i));
            if (j >= 0 && j < ws[0]) {
                System.arraycopy(w.floats(), j * per, nw, i * per, per);
                nb[i] = bias.floats()[j];
            } else {
                for (int k = 0; k < per; k++) {
                    nw[i * per + k] = (float) (random.nextGaussian() * 0.01);
                }
                nb[i] = priorBias;
            }
        }
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(g.initializers());
        long[] shape = ws.clone();
        shape[0] = classCount;
        inits.put(w.name(), OnnxTensor.ofFloats(w.name(), shape, nw));
        inits.put(bias.name(), OnnxTensor.ofFloats(bias.name(), new long[] {classCount}, nb));
        Map<String, String> meta = new LinkedHashMap<>(g.metadata());
        meta.put(CenterNetLayout.HEADS_KEY, h.logits() + "," + h.sides());
        try {
            meta.put(ModelMetadataKeys.CLASSES, JsonSerde.MAPPER.writeValueAsString(classes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        OnnxGraph graph = g.withInitializers(inits).withMetadata(meta);

        // The trunk both heads share (backbone and neck) is frozen in phase 1.
        Set<String> trunk = ancestors(graph, h.logits());
        trunk.retainAll(ancestors(graph, h.sides()));
        Set<String> frozen = new HashSet<>();
        for (OnnxNode n : graph.nodes()) {
            if (trunk.contains(n.name())) {
                n.presentInputs().stream()
                        .filter(graph.initializers()::containsKey)
                        .forEach(frozen::add);
            }
        }
        // Blocks for phase 2 are the backbone's (up to its named feature map, else the trunk).
        String feature = graph.metadata().get(ModelMetadataKeys.FEATURE_TENSOR);
        List<TensorInfo> cut = new ArrayList<>();
        if (feature != null && graph.hasTensor(feature)) {
            cut.add(new TensorInfo(feature, ElementType.FLOAT, null));
        } else {
            for (OnnxNode n : graph.nodes()) {
                if (!trunk.contains(n.name())) {
                    for (String in : n.presentInputs()) {
                        OnnxNode p = graph.producer(in);
                        if (p != null && trunk.contains(p.name())) {
                            cut.add(new TensorInfo(in, ElementType.FLOAT, null));
                        }
                    }
                }
            }
        }
        return new HeadedGraph(graph, graph.pruneTo(cut), frozen);
    }

    /** Names of the nodes {@code tensor} depends on. */
    private static Set<String> ancestors(OnnxGraph g, String tensor) {
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(tensor));
        while (!todo.isEmpty()) {
            OnnxNode p = g.producer(todo.pop());
            if (p != null && out.add(p.name())) {
                todo.addAll(p.presentInputs());
            }
        }
        return out;
    }

    @Override
    public NDArray loss(NDManager manager, NDList outputs, List<Example> batch, int classCount) {
        Shape heat = outputs.get(0).getShape();
        int gh = (int) heat.get(2), gw = (int) heat.get(3);
        int side = (int) Math.round(Math.sqrt(batch.get(0).input().length / 3.0));
        NDList t = new DetectionHead(1).targets(manager, batch, classCount, side, side, gh, gw);
        double sx = (double) side / gw, sy = (double) side / gh;
        int b = batch.size();
        float[] target = new float[b * 4 * gh * gw];
        float[] mask = new float[b * gh * gw];
        for (int i = 0; i < b; i++) {
            for (float[] box : batch.get(i).boxes()) {
                int c = (int) box[4];
                double w = box[2] - box[0], h = box[3] - box[1];
                if (w < 1 || h < 1 || c < 0 || c >= classCount) {
                    continue;
                }
                int gx = Math.min(gw - 1, (int) ((box[0] + box[2]) / 2 / sx));
                int gy = Math.min(gh - 1, (int) ((box[1] + box[3]) / 2 / sy));
                double px = gx * sx, py = gy * sy;
                int cell = gy * gw + gx;
                int base = i * 4 * gh * gw;
                target[base + cell] = (float) ((px - box[0]) / sx);
                target[base + gh * gw + cell] = (float) ((py - box[1]) / sy);
                target[base + 2 * gh * gw + cell] = (float) ((box[2] - px) / sx);
                target[base + 3 * gh * gw + cell] = (float) ((box[3] - py) / sy);
                mask[i * gh * gw + cell] = 1f;
            }
        }
        NDArray stride =
                manager.create(
                        new float[] {(float) sx, (float) sy, (float) sx, (float) sy},
                        new Shape(1, 4, 1, 1));
        NDArray l1 =
                outputs.get(1)
                        .div(stride)
                        .sub(manager.create(target, new Shape(b, 4, gh, gw)))
                        .abs()
                        .mul(manager.create(mask, new Shape(b, 1, gh, gw)))
                        .sum()
                        .div(t.get(4));
        return DetectionHead.focal(outputs.get(0), t).add(l1.mul((float) SIDE_WEIGHT));
    }

    @Override
    public Scorer scorer(int classCount) {
        return DetectionHead.peakScorer(
                classCount,
                (heat, sides, image, gh, gw, strideX, strideY) -> {
                    float[] s = sides.floats();
                    int hw = gh * gw;
                    return DetectionHead.decode(
                            heat.floats(),
                            image,
                            classCount,
                            gh,
                            gw,
                            (y, x) -> {
                                int at = image * 4 * hw + y * gw + x;
                                double px = x * strideX, py = y * strideY;
                                // a negative distance (an untrained head) is an empty side
                                return Box.fromCorners(
                                        px - Math.max(0, s[at]),
                                        py - Math.max(0, s[at + hw]),
                                        px + Math.max(0, s[at + 2 * hw]),
                                        py + Math.max(0, s[at + 3 * hw]));
                            });
                });
    }

    @Override
    public OnnxGraph export(OnnxGraph trained, int classCount) {
        String logits = trained.outputs().get(0).name();
        String sides = trained.outputs().get(1).name();
        long[] in = trained.inputs().get(0).shape();
        int inputH = (int) in[2], inputW = (int) in[3];
        var shapes =
                io.streamtune.onnx.djl.OnnxBlock.traceShapes(
                        trained, new Shape(1, 3, inputH, inputW));
        int gh = (int) shapes.get(logits).get(2), gw = (int) shapes.get(logits).get(3);
        GraphBuilder b = GraphBuilder.extend(trained, "export/", 0);
        String p = b.op("Sigmoid", List.of(logits));
        String out = CenterNetLayout.toYolo(b, p, sides, classCount, gh, gw, (float) inputW / gw);
        OnnxGraph g = b.build(out);
        Map<String, String> meta = new LinkedHashMap<>(g.metadata());
        meta.put(CenterNetLayout.HEADS_KEY, logits + "," + sides);
        return g.withMetadata(meta);
    }
}
