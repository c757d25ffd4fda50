package io.streamtune.trainer.run;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.Task;
import io.streamtune.trainer.dataset.DatasetStore;
import io.streamtune.trainer.dataset.Split;
import io.streamtune.trainer.evaluate.EvalSample;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.SegmentationHead;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.image.ImageRejectedException;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.mask.LabelMap;
import io.streamtune.vision.metrics.GroundTruthBox;
import io.streamtune.vision.preprocess.Preprocessor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's dataset decoded for one run: the task (the one most samples are labelled for), the
 * class list (production's first, new names appended in sorted order), and the three {@link Split}
 * parts: preprocessed training and selection examples, and the gate samples in source pixels for
 * evaluating the exported candidate and production exactly as inference runs them.
 *
 * @param task task
 * @param classes class names by id
 * @param train training examples
 * @param selection examples that choose the epoch (early stopping)
 * @param gate the gate samples, seen by nothing but the gate
 * @param gatePerClass gate samples per class id (classification), null for other tasks
 * @param skipped samples that could not be decoded or belong to another task
 * @param fingerprint SHA-256 over the sorted sample ids and labels of the task's samples
 */
public record PreparedData(
        Task task,
        List<String> classes,
        ExampleSet train,
        ExampleSet selection,
        List<EvalSample> gate,
        int[] gatePerClass,
        int skipped,
        String fingerprint) {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedData.class);

    /** A sample without its image: what choosing the run's samples needs. */
    private record Info(String sampleId, Task task, Label label, java.time.Instant acceptedAt) {}

    /**
     * Loads and decodes everything in the store, preprocessed for the task the samples have (the
     * input size may depend on it). {@code productionClasses} may be empty.
     */
    public static PreparedData load(
            DatasetStore store,
            java.util.function.Function<Task, Preprocessor> preprocessors,
            int gatePercent,
            int selectionPercent,
            List<String> productionClasses,
            Task productionTask) {
        return load(
                store,
                preprocessors,
                gatePercent,
                selectionPercent,
                productionClasses,
                productionTask,
                new Limit(0, null, 0));
    }

    /**
     * How many training samples a run holds.
     *
     * @param maxTrain most training samples decoded for the run ({@code <= 0}: all); beyond it, new
     *     samples plus a class-balanced replay of old ones ({@link ReplaySample})
     * @param since when production was published (samples accepted after it are new); null when
     *     there is no production
     * @param seed the draw's seed
     */
    public record Limit(int maxTrain, java.time.Instant since, long seed) {}

    /**
     * As {@link #load(DatasetStore, java.util.function.Function, int, int, List, Task)}, holding at
     * most {@code limit.maxTrain()} training samples. Samples are read twice (labels first, then
     * the images of the chosen ones), so memory holds only what the run trains and judges on.
     */
    public static PreparedData load(
            DatasetStore store,
            java.util.function.Function<Task, Preprocessor> preprocessors,
            int gatePercent,
            int selectionPercent,
            List<String> productionClasses,
            Task productionTask,
            Limit limit) {
        List<Info> samples = new ArrayList<>();
        int skipped = 0;
        Map<Task, Integer> tasks = new EnumMap<>(Task.class);
        for (String id : store.sampleIds()) {
            Optional<LabelledImageAccepted> s = store.load(id);
            if (s.isEmpty()) {
                skipped++;
                continue;
            }
            LabelledImageAccepted a = s.get();
            samples.add(new Info(a.sampleId(), a.task(), a.label(), a.acceptedAt()));
            tasks.merge(a.task(), 1, Integer::sum);
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("dataset of " + store.model() + " is empty");
        }
        Task task =
                tasks.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Preprocessor pre = preprocessors.apply(task);
        List<String> classes =
                new ArrayList<>(productionTask == task ? productionClasses : List.of());
        LinkedHashSet<String> known = new LinkedHashSet<>(classes);
        TreeSet<String> fresh = new TreeSet<>();
        for (Info s : samples) {
            if (s.task() != task) {
                continue;
            }
            if (task == Task.SEGMENTATION && classes.isEmpty()) {
                // The first mask's class order (usually background first) fixes the ids of a new
                // model.
                classes.addAll(s.label().classNames());
                known.addAll(classes);
            }
            s.label().classNames().stream().filter(c -> !known.contains(c)).forEach(fresh::add);
        }
        classes.addAll(fresh);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            ids.put(classes.get(i), i);
        }
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());
        List<Example> train = new ArrayList<>();
        List<Example> val = new ArrayList<>();
        List<EvalSample> eval = new ArrayList<>();
        int[] perClass = task == Task.CLASSIFICATION ? new int[classes.size()] : null;
        String fingerprint = fingerprint(samples, task);
        java.util.Set<String> chosen =
                chooseTrain(store.model(), samples, task, gatePercent, selectionPercent, limit);
        for (Info info : samples) {
            if (info.task() != task) {
                skipped++;
                continue;
            }
            if (!chosen.contains(info.sampleId())) {
                continue;
            }
            Optional<LabelledImageAccepted> again = store.load(info.sampleId());
            if (again.isEmpty()) {
                skipped++;
                continue;
            }
            LabelledImageAccepted s = again.get();
            try {
                // Masks are at source size, so segmentation decodes at full size; classification
                // and
                // detection decode as inference does (Preprocessor.decode), boxes scaled alike.
                ImageDecoder.Decoded decoded =
                        s.label() instanceof Label.MaskLabel
                                ? new ImageDecoder.Decoded(decoder.decode(s.image()), null)
                                : pre.decode(decoder, s.image());
                RgbImage image = decoded.image();
                double sx = decoded.source() == null ? 1 : decoded.scaleX();
                double sy = decoded.source() == null ? 1 : decoded.scaleY();
                Split.Part part = Split.of(s.sampleId(), gatePercent, selectionPercent);
                Example e;
                EvalSample ev;
                if (s.label() instanceof Label.ClassLabel c) {
                    int id = ids.get(c.className());
                    e = Examples.classification(pre, image, id);
                    ev = new EvalSample(image, id, null, List.of());
                } else if (s.label() instanceof Label.MaskLabel m) {
                    LabelMap map = decoder.decodeLabels(m.png());
                    if (map.width() != image.width() || map.height() != image.height()) {
                        throw new IllegalArgumentException(
                                "mask "
                                        + map.width()
                                        + "x"
                                        + map.height()
                                        + " for image "
                                        + image.width()
                                        + "x"
                                        + image.height());
                    }
                    int[] labels = map.labels().clone();
                    for (int p = 0; p < labels.length; p++) {
                        int v = labels[p];
                        labels[p] =
                                v < m.classes().size()
                                        ? ids.get(m.classes().get(v))
                                        : SegmentationHead.IGNORE;
                    }
                    e = Examples.segmentation(pre, image, labels);
                    ev = new EvalSample(image, -1, labels, List.of());
                } else {
                    Label.BoxesLabel b = (Label.BoxesLabel) s.label();
                    List<double[]> boxes = new ArrayList<>();
                    List<GroundTruthBox> truth = new ArrayList<>();
                    for (Label.BoxedObject o : b.objects()) {
                        int id = ids.get(o.className());
                        var x = o.box();
                        double bx = x.x() * sx, by = x.y() * sy;
                        double bw = x.width() * sx, bh = x.height() * sy;
                        boxes.add(new double[] {bx, by, bw, bh, id});
                        truth.add(new GroundTruthBox(id, new Box(bx, by, bw, bh)));
                    }
                    e = Examples.detection(pre, image, boxes);
                    ev = new EvalSample(image, -1, null, truth);
                }
                switch (part) {
                    case TRAIN -> train.add(e);
                    case SELECTION -> val.add(e);
                    case GATE -> {
                        eval.add(ev);
                        if (perClass != null) {
                            perClass[ev.classId()]++;
                        }
                    }
                }
            } catch (ImageRejectedException | RuntimeException ex) {
                skipped++;
                LOG.warn(
                        "skipping sample {} of {}: {}",
                        s.sampleId(),
                        store.model(),
                        ex.getMessage());
            }
        }
        int h = pre.config().height(), w = pre.config().width();
        return new PreparedData(
                task,
                List.copyOf(classes),
                new ExampleSet(h, w, train),
                new ExampleSet(h, w, val),
                eval,
                perClass,
                skipped,
                fingerprint);
    }

    /**
     * The ids of the task's samples this run decodes: every selection and gate sample, and the
     * training samples {@link ReplaySample} keeps under the limit.
     */
    private static java.util.Set<String> chooseTrain(
            String model,
            List<Info> samples,
            Task task,
            int gatePercent,
            int selectionPercent,
            Limit limit) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        List<ReplaySample.Candidate> train = new ArrayList<>();
        for (Info s : samples) {
            if (s.task() != task) {
                continue;
            }
            if (Split.of(s.sampleId(), gatePercent, selectionPercent) == Split.Part.TRAIN) {
                train.add(
                        new ReplaySample.Candidate(
                                s.sampleId(),
                                String.join(",", new TreeSet<>(s.label().classNames())),
                                s.acceptedAt()));
            } else {
                ids.add(s.sampleId());
            }
        }
        ReplaySample.Choice c =
                ReplaySample.choose(train, limit.maxTrain(), limit.since(), limit.seed());
        if (c.ids().size() < train.size()) {
            LOG.info(
                    "{}: {} training samples, more than trainer.train.max.samples {}: training on"
                            + " {} new since production and {} replayed from before it"
                            + " (class-balanced over {} classes)",
                    model,
                    train.size(),
                    limit.maxTrain(),
                    c.fresh(),
                    c.replayed(),
                    c.strata());
        }
        ids.addAll(c.ids());
        return ids;
    }

    private static String fingerprint(List<Info> samples, Task task) {
        var labels = io.streamtune.contracts.JsonSerde.of(Label.class);
        java.util.TreeMap<String, byte[]> sorted = new java.util.TreeMap<>();
        for (Info s : samples) {
            if (s.task() == task) {
                sorted.put(s.sampleId(), labels.toBytes(s.label()));
            }
        }
        var bytes = new java.io.ByteArrayOutputStream();
        sorted.forEach(
                (id, label) -> {
                    bytes.writeBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    bytes.write(0);
                    bytes.writeBytes(label);
                    bytes.write('\n');
                });
        return io.streamtune.vision.artifact.Sha256.hex(bytes.toByteArray());
    }
}
