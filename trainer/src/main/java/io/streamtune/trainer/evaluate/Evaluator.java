package io.streamtune.trainer.evaluate;

import io.streamtune.contracts.DriftReference;
import io.streamtune.contracts.Task;
import io.streamtune.trainer.gate.BoxMatches;
import io.streamtune.trainer.gate.Correctness;
import io.streamtune.trainer.gate.PixelConfusions;
import io.streamtune.trainer.gate.SampleScores;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.metrics.ClassificationEvaluator;
import io.streamtune.vision.metrics.ClassificationReport;
import io.streamtune.vision.metrics.DetectionEvaluator;
import io.streamtune.vision.metrics.DetectionReport;
import io.streamtune.vision.metrics.PredictedBox;
import io.streamtune.vision.metrics.SegmentationEvaluator;
import io.streamtune.vision.metrics.SegmentationReport;
import io.streamtune.vision.model.FloatTensor;
import io.streamtune.vision.model.ModelLoadException;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.vision.pipeline.Embeddings;
import io.streamtune.vision.pipeline.Prediction;
import io.streamtune.vision.pipeline.Predictor;
import io.streamtune.vision.pipeline.PredictorOptions;
import io.streamtune.vision.preprocess.Preprocessor.PreprocessedBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores an ONNX file on validation samples by loading and running it exactly as inference does.
 */
public final class Evaluator {

    private static final int BATCH = 32;

    private final int threads;

    public Evaluator(int threads) {
        this.threads = threads;
    }

    /** The gating metric name of a task. */
    public static String metricName(Task task) {
        return switch (task) {
            case CLASSIFICATION -> "accuracy";
            case SEGMENTATION -> "miou";
            case DETECTION, INSTANCE_SEGMENTATION -> "map50_95";
            case STYLIZATION -> "style_gain";
        };
    }

    /** Loads {@code onnx} with vision's runner (configured from its own metadata) and scores it. */
    public Evaluation evaluate(
            byte[] onnx, String name, Task task, int classes, List<EvalSample> samples)
            throws ModelLoadException {
        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        onnx,
                        name,
                        RunnerOptions.withIntraOpThreads(threads),
                        ModelSpecOverrides.NONE)) {
            Predictor predictor = new Predictor(runner, PredictorOptions.EVALUATION);
            List<Prediction> predictions = new ArrayList<>();
            List<List<Float>> embeddings = new ArrayList<>();
            for (int from = 0; from < samples.size(); from += BATCH) {
                List<RgbImage> images = new ArrayList<>();
                for (EvalSample s : samples.subList(from, Math.min(samples.size(), from + BATCH))) {
                    images.add(s.image());
                }
                PreprocessedBatch batch = predictor.preprocess(images);
                Map<String, FloatTensor> outputs = predictor.run(batch);
                predictions.addAll(predictor.decode(outputs, batch));
                for (int i = 0; i < images.size(); i++) {
                    embeddings.add(Embeddings.of(outputs, i));
                }
            }
            Evaluation e = score(task, classes, samples, predictions);
            return predictions.isEmpty()
                    ? e
                    : new Evaluation(
                            e.metricName(),
                            e.metric(),
                            e.metrics(),
                            e.samples(),
                            e.scores(),
                            driftReference(predictions, embeddings));
        }
    }

    /**
     * The predictions reduced as inference's are on the live stream ({@link
     * DriftReference.Observation}): top-1 class (classification), the best detection at inference's
     * default score threshold, else none (detection), the class covering most pixels (segmentation)
     * — each with the image's embedding summary when the model has one.
     */
    static DriftReference driftReference(List<Prediction> predictions) {
        return driftReference(predictions, java.util.Collections.nCopies(predictions.size(), null));
    }

    static DriftReference driftReference(
            List<Prediction> predictions, List<List<Float>> embeddings) {
        List<DriftReference.Observation> out = new ArrayList<>();
        for (int i = 0; i < predictions.size(); i++) {
            DriftReference.Observation o = observation(predictions.get(i));
            if (o != null) {
                out.add(
                        new DriftReference.Observation(
                                o.topClass(), o.confidence(), embeddings.get(i)));
            }
        }
        return out.isEmpty() ? null : DriftReference.of(out);
    }

    /** One prediction as drift sees it; null for tasks drift does not follow. */
    private static DriftReference.Observation observation(Prediction p) {
        DriftReference.Observation none = new DriftReference.Observation(DriftReference.NONE, 0);
        if (p instanceof Prediction.Classified c) {
            return c.top().isEmpty()
                    ? none
                    : new DriftReference.Observation(
                            c.top().get(0).label(), c.top().get(0).score());
        }
        if (p instanceof Prediction.Detected d) {
            float threshold =
                    io.streamtune.vision.decode.DetectionOptions.DEFAULTS.scoreThreshold();
            io.streamtune.vision.decode.Detection best = null;
            for (var x : d.detections()) {
                if (x.score() >= threshold && (best == null || x.score() > best.score())) {
                    best = x;
                }
            }
            return best == null ? none : new DriftReference.Observation(best.label(), best.score());
        }
        if (p instanceof Prediction.Segmented s) {
            // as inference's class areas: the class covering most pixels, its share
            long total = 0;
            io.streamtune.vision.decode.ClassMask best = null;
            for (var c : s.segmentation().classes()) {
                total += c.area();
                if (best == null || c.area() > best.area()) {
                    best = c;
                }
            }
            return best == null || total == 0
                    ? none
                    : new DriftReference.Observation(best.label(), (double) best.area() / total);
        }
        return null;
    }

    static Evaluation score(
            Task task, int classes, List<EvalSample> samples, List<Prediction> predictions) {
        Map<String, Double> m = new LinkedHashMap<>();
        SampleScores scores = null;
        switch (task) {
            case CLASSIFICATION -> {
                ClassificationEvaluator e = new ClassificationEvaluator(classes);
                boolean[] correct = new boolean[samples.size()];
                int[] truth = new int[samples.size()];
                for (int i = 0; i < samples.size(); i++) {
                    float[] p = ((Prediction.Classified) predictions.get(i)).probabilities();
                    e.add(samples.get(i).classId(), p);
                    truth[i] = samples.get(i).classId();
                    correct[i] = argmax(p) == truth[i];
                }
                scores = new Correctness(correct, truth);
                ClassificationReport r = e.report();
                m.put("accuracy", r.accuracy());
                m.put("top5", r.top5Accuracy());
                m.put("macro_f1", r.macroF1());
            }
            case SEGMENTATION -> {
                SegmentationEvaluator e = new SegmentationEvaluator(classes);
                List<long[]> confusions = new ArrayList<>();
                for (int i = 0; i < samples.size(); i++) {
                    int[] predicted =
                            ((Prediction.Segmented) predictions.get(i))
                                    .segmentation()
                                    .labelMap()
                                    .labels();
                    e.add(samples.get(i).mask(), predicted);
                    confusions.add(
                            PixelConfusions.confusion(classes, samples.get(i).mask(), predicted));
                }
                scores = new PixelConfusions(classes, confusions);
                SegmentationReport r = e.report();
                m.put("miou", r.meanIoU());
                m.put("pixel_accuracy", r.pixelAccuracy());
            }
            case DETECTION -> {
                DetectionEvaluator e = new DetectionEvaluator();
                for (int i = 0; i < samples.size(); i++) {
                    List<PredictedBox> p =
                            ((Prediction.Detected) predictions.get(i))
                                    .detections().stream().map(PredictedBox::of).toList();
                    e.addImage(samples.get(i).boxes(), p);
                }
                DetectionEvaluator.Matches matches = e.matches();
                DetectionReport r = matches.report(null);
                scores = new BoxMatches(matches);
                m.put("map50_95", r.map());
                m.put("map50", r.map50());
                m.put("map75", r.map75());
            }
        }
        String name = metricName(task);
        return new Evaluation(name, m.get(name), m, samples.size(), scores);
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
