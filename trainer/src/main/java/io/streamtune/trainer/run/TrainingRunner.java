package io.streamtune.trainer.run;

import io.streamtune.contracts.GateEvidence;
import io.streamtune.contracts.Lineage;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected;
import io.streamtune.contracts.ModelRejected.Verdict;
import io.streamtune.contracts.Promotion;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.contracts.TrainingProgress;
import io.streamtune.contracts.TrainingProgress.Phase;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.trainer.TrainerConfig;
import io.streamtune.trainer.TrainerMetrics;
import io.streamtune.trainer.TrainerMetrics.RunOutcome;
import io.streamtune.trainer.dataset.DatasetStore;
import io.streamtune.trainer.dataset.DatasetSync;
import io.streamtune.trainer.evaluate.Evaluation;
import io.streamtune.trainer.evaluate.Evaluator;
import io.streamtune.trainer.gate.Gate;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.publish.ModelExport;
import io.streamtune.trainer.publish.ModelRegistry;
import io.streamtune.trainer.publish.ProductionModels;
import io.streamtune.trainer.publish.Publisher;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.CenterNetHead;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.EmbeddingSummary;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.trainer.task.SegmentationHead;
import io.streamtune.trainer.task.TaskHead;
import io.streamtune.trainer.train.DivergedException;
import io.streamtune.trainer.train.FineTuner;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.vision.artifact.ArtifactStore;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.zoo.CenterNetLayout;
import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run of one model, end to end: sync the dataset, pick the base model, split it
 * (train, selection for early stopping, gate), refuse to retrain on unchanged data or to train
 * without enough gate samples, train, export, evaluate candidate and production on the same gate
 * samples through vision, gate by evidence ({@link Gate}), then publish (artifact + announcement +
 * manifest + retention) or reject. Progress goes to the progress topic, the metrics and an optional
 * extra listener (a console bar); the run ends with one summary log line.
 */
public final class TrainingRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRunner.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

    /** Trainer-private metadata key: the graph outputs used in training (comma separated). */
    static final String OUTPUTS_KEY = "streamtune.trainer.outputs";

    private final TrainerConfig config;
    private final KafkaSettings kafka;
    private final ArtifactStore store;
    private final Producer<byte[], byte[]> producer;
    private final TrainerMetrics metrics;
    private final ProgressListener extra;
    private final Clock clock;
    private final DatasetSync sync;
    private final ProductionModels production;
    private final ModelRegistry registry;
    private final Evaluator evaluator;
    private final Gate gate;
    private final Publisher publisher;

    /**
     * What a run calls, built at the service's wiring point ({@link #parts}) or by a test.
     *
     * @param store where artifacts are stored and production's fetched
     * @param producer writes progress, rejections and announcements
     * @param sync brings the model's dataset up to date with the labelled-images topic
     * @param production reads the model's production version
     * @param registry the local version registry
     * @param evaluator evaluates candidate and production on the gate split
     * @param gate decides by evidence
     * @param metrics the trainer's metrics
     * @param extra an extra progress listener (a console bar), {@link ProgressListener#NONE}
     * @param clock timestamps
     */
    public record Parts(
            ArtifactStore store,
            Producer<byte[], byte[]> producer,
            DatasetSync sync,
            ProductionModels production,
            ModelRegistry registry,
            Evaluator evaluator,
            Gate gate,
            TrainerMetrics metrics,
            ProgressListener extra,
            Clock clock) {}

    /** The parts a service run uses: dataset and production read from {@code config}'s Kafka. */
    public static Parts parts(
            TrainerConfig config,
            ArtifactStore store,
            Producer<byte[], byte[]> producer,
            TrainerMetrics metrics,
            ProgressListener extra,
            Clock clock) {
        KafkaSettings kafka = config.service().kafka();
        String instance = config.service().instanceId();
        return new Parts(
                store,
                producer,
                new DatasetSync(
                        kafka.consumer(instance + "-dataset", "unused"),
                        kafka.topic(Topics.IMAGES_LABELLED.name())),
                new ProductionModels(
                        kafka.consumer(instance + "-production", "unused"),
                        kafka.topic(Topics.MODELS_PUBLISHED.name())),
                new ModelRegistry(config.dataDir().resolve("trainer")),
                new Evaluator(config.threads()),
                new Gate(config.gate()),
                metrics,
                extra,
                clock);
    }

    public TrainingRunner(TrainerConfig config, Parts parts) {
        this.config = config;
        this.kafka = config.service().kafka();
        this.store = parts.store();
        this.producer = parts.producer();
        this.metrics = parts.metrics();
        this.extra = parts.extra();
        this.clock = parts.clock();
        this.sync = parts.sync();
        this.production = parts.production();
        this.registry = parts.registry();
        this.evaluator = parts.evaluator();
        this.gate = parts.gate();
        this.publisher =
                new Publisher(
                        store,
                        registry,
                        producer,
                        config::sign,
                        config.retainVersions(),
                        KAFKA_TIMEOUT);
    }

    /** The local version registry (manifests and training graphs). */
    public ModelRegistry registry() {
        return registry;
    }

    /**
     * How a run ended.
     *
     * @param outcome published, rejected or failed
     * @param runId run id
     * @param summary the one-line summary
     * @param candidate candidate evaluation, null when the run failed before
     * @param productionMetric production's metric on the same gate samples, NaN when none
     * @param published the announcement, null unless published
     * @param rejection the rejection, null unless rejected
     */
    public record Result(
            RunOutcome outcome,
            String runId,
            String summary,
            Evaluation candidate,
            double productionMetric,
            ModelPublished published,
            ModelRejected rejection) {}

    /**
     * Runs once for {@code model}; never throws for training problems (they become a failed
     * outcome).
     */
    public Result run(String model) {
        String runId =
                model
                        + "-"
                        + clock.instant().toEpochMilli()
                        + "-"
                        + UUID.randomUUID().toString().substring(0, 6);
        long t0 = System.nanoTime();
        ProgressListener listener = reporter(model, runId).and(extra);
        Result result;
        try {
            result = attempt(model, runId, listener);
        } catch (DivergedException e) {
            String reason = "training diverged: " + e.getMessage();
            send(
                    Topics.MODELS_REJECTED,
                    model,
                    new ModelRejected(
                            model,
                            runId,
                            truncate(reason),
                            "loss",
                            Double.NaN,
                            Double.NaN,
                            gate.settings().minDelta(),
                            clock.instant(),
                            Verdict.DIVERGED,
                            null));
            progress(model, runId, Phase.FAILED, reason);
            result = new Result(RunOutcome.FAILED, runId, reason, null, Double.NaN, null, null);
        } catch (DatasetProblem | Publisher.PublishException e) {
            String reason = e.getMessage();
            progress(model, runId, Phase.FAILED, reason);
            LOG.warn("training run {} of {} did not finish: {}", runId, model, reason);
            result = new Result(RunOutcome.FAILED, runId, reason, null, Double.NaN, null, null);
        } catch (Exception e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            progress(model, runId, Phase.FAILED, reason);
            if (io.streamtune.runtime.Lifecycle.jvmShuttingDown()) {
                // ONNX Runtime and PyTorch are torn down under the run: not a fault
                LOG.info("training run {} of {} stopped by shutdown ({})", runId, model, reason);
            } else {
                LOG.error("training run {} of {} failed", runId, model, e);
            }
            result = new Result(RunOutcome.FAILED, runId, reason, null, Double.NaN, null, null);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        metrics.runFinished(result.outcome(), took);
        LOG.info(
                "run {} model={} outcome={} {} in {}s",
                runId,
                model,
                result.outcome().name().toLowerCase(java.util.Locale.ROOT),
                result.summary(),
                String.format("%.1f", took.toMillis() / 1000.0));
        return result;
    }

    /** The dataset brought up to date and the production version, read at a run's start. */
    private record Synced(
            DatasetStore dataset, DatasetSync.Result result, Optional<ModelPublished> prod) {}

    /**
     * What the prepare step settled: the data and its split, where training starts, how samples are
     * preprocessed, and the lineage and counts the announcement and summary carry.
     */
    private record Plan(
            String model,
            String runId,
            Synced synced,
            Base base,
            PreparedData data,
            PreprocessConfig preprocess,
            String settings,
            Lineage lineage,
            String counts) {
        Optional<ModelPublished> prod() {
            return synced.prod();
        }
    }

    /** What the train step produced. */
    private record Trained(TaskHead head, HeadedGraph start, FineTuner.Result result) {}

    /**
     * What the judge step decided.
     *
     * @param comparable empty, or why production could not be compared (gated on the floor)
     */
    private record Judged(
            int version,
            Instant at,
            OnnxGraph exported,
            Evaluation candidate,
            double productionMetric,
            Gate.Decision decision,
            String comparable,
            String summary) {}

    private Result attempt(String model, String runId, ProgressListener listener) throws Exception {
        progress(model, runId, Phase.PREPARING, "syncing dataset");
        Synced synced = sync(model);
        if (io.streamtune.trainer.style.StyleData.isStylization(synced.dataset())) {
            return attemptStyle(model, runId, listener, synced);
        }
        Plan plan = prepare(model, runId, synced);
        String metricName = Evaluator.metricName(plan.data().task());
        Optional<RunChecks.Refusal> refusal = refusal(plan);
        if (refusal.isPresent()) {
            return refused(model, runId, plan.counts(), refusal.get(), metricName);
        }
        Trained trained = train(plan, listener);
        progress(model, runId, Phase.EVALUATING, "evaluating candidate and production");
        Judged judged = judge(plan, trained);
        if (!judged.decision().publish()) {
            return rejected(
                    model,
                    runId,
                    judged.summary(),
                    judged.decision().reason() + judged.comparable(),
                    judged.decision().verdict(),
                    judged.candidate().metricName(),
                    judged.candidate(),
                    judged.productionMetric(),
                    judged.decision().evidence());
        }
        return publish(plan, trained, judged);
    }

    private Synced sync(String model) {
        DatasetStore ds = DatasetStore.open(config.modelDir(model).resolve("dataset"), model);
        DatasetSync.Result synced = sync.sync(ds, Duration.ofMinutes(5));
        metrics.dataset(model, synced.samples(), synced.corrupt());
        Optional<ModelPublished> prod = production.current(model, KAFKA_TIMEOUT);
        prod.ifPresent(p -> metrics.productionVersion(model, p.version()));
        return new Synced(ds, synced, prod);
    }

    /** Prepare: pick the base, load and split the data; a dataset problem when it cannot run. */
    private Plan prepare(String model, String runId, Synced synced) throws Exception {
        Optional<ModelPublished> prod = synced.prod();
        Base base = base(model, prod);
        PreparedData data =
                PreparedData.load(
                        synced.dataset(),
                        task -> new Preprocessor(preprocess(base.graph(), task)),
                        config.gatePercent(),
                        config.selectionPercent(),
                        prod.map(ModelPublished::classes).orElse(List.of()),
                        prod.map(ModelPublished::task).orElse(null),
                        new PreparedData.Limit(
                                config.maxTrainSamples(),
                                prod.map(ModelPublished::publishedAt).orElse(null),
                                config.schedule().seed()));
        RunChecks.Counts counts =
                new RunChecks.Counts(
                        data.train().size(),
                        data.selection().size(),
                        data.gate().size(),
                        data.skipped());
        Optional<String> tooFew = RunChecks.tooFew("samples", counts, config.minSamples());
        if (tooFew.isPresent()) {
            throw new DatasetProblem(tooFew.get());
        }
        if (data.classes().size() < 2 && data.task() != Task.DETECTION) {
            throw new DatasetProblem("need at least 2 classes, have " + data.classes());
        }
        String settings = settingsFingerprint(model, data.task());
        Lineage lineage =
                new Lineage(
                        base.source(),
                        data.fingerprint(),
                        data.train().size(),
                        data.selection().size(),
                        data.gate().size(),
                        settings);
        String shown =
                String.format(
                        "task=%s samples=%d/%d/%d",
                        data.task().wireName(),
                        data.train().size(),
                        data.selection().size(),
                        data.gate().size());
        return new Plan(
                model,
                runId,
                synced,
                base,
                data,
                preprocess(base.graph(), data.task()),
                settings,
                lineage,
                shown);
    }

    /** Why {@code plan} is not trained: nothing new to learn, or too little to judge by. */
    private Optional<RunChecks.Refusal> refusal(Plan plan) {
        PreparedData data = plan.data();
        int total = data.train().size() + data.selection().size() + data.gate().size();
        return RunChecks.unchanged(
                        plan.prod(),
                        data.fingerprint(),
                        plan.settings(),
                        total + " samples and labels")
                .or(
                        () ->
                                RunChecks.notEnoughEvidence(
                                        gate.shortfall(
                                                data.gate().size(),
                                                data.classes(),
                                                data.gatePerClass())));
    }

    /** Train: attach the head and fine-tune (frozen backbone first, then the last blocks). */
    private Trained train(Plan plan, ProgressListener listener) throws Exception {
        PreparedData data = plan.data();
        TaskHead head = head(data.task(), plan.base(), data.classes());
        HeadedGraph start = headed(plan.base(), head, data, plan.prod());
        FineTuner.Result trained =
                new FineTuner(
                                head,
                                data.classes().size(),
                                config.schedule(),
                                listener,
                                config.threads(),
                                config.featureCacheBytes())
                        .run(start, data.train(), data.selection());
        if (trained.retriedPasses() > 0) {
            LOG.info(
                    "{} run {}: {} training passes had a non-finite loss and were tried again, {}"
                            + " batches skipped",
                    plan.model(),
                    plan.runId(),
                    trained.retriedPasses(),
                    trained.skippedBatches());
        }
        return new Trained(head, start, trained);
    }

    /**
     * Judge: export the candidate, evaluate it and production on the same gate samples, and let the
     * gate decide.
     */
    private Judged judge(Plan plan, Trained trained) throws Exception {
        PreparedData data = plan.data();
        String model = plan.model();
        Optional<ModelPublished> prod = plan.prod();
        int classes = data.classes().size();
        int version =
                Publisher.nextVersion(
                        prod.map(ModelPublished::version).orElse(null), registry.versions(model));
        Instant now = clock.instant();
        OnnxGraph exported =
                EmbeddingSummary.attach(
                        trainerKeys(
                                trained.head().export(trained.result().graph(), classes),
                                trained.start()),
                        trained.start().backbone(),
                        plan.preprocess().height(),
                        plan.preprocess().width());
        OnnxGraph unscored =
                ModelExport.withMetadata(
                        exported,
                        data.task(),
                        data.classes(),
                        plan.preprocess(),
                        model,
                        version,
                        plan.base().parentVersion(),
                        Map.of(),
                        now);
        Evaluation candidate =
                evaluator.evaluate(
                        OnnxWriter.toBytes(unscored), model, data.task(), classes, data.gate());
        if (!Double.isFinite(candidate.metric())) {
            throw new DivergedException(
                    "candidate " + candidate.metricName() + " is " + candidate.metric());
        }
        metrics.progress(model, Phase.EVALUATING, 0, Double.NaN, candidate.metric());
        Evaluation prodEval = null;
        String comparable = "";
        if (prod.isPresent()) {
            ModelPublished p = prod.get();
            if (p.task() == data.task() && p.classes().equals(data.classes())) {
                byte[] bytes = store.fetch(p.artifact());
                prodEval = evaluator.evaluate(bytes, model, data.task(), classes, data.gate());
            } else {
                comparable =
                        " (production v"
                                + p.version()
                                + " has other classes or task; gated on the floor)";
            }
        }
        double prodMetric = prodEval == null ? Double.NaN : prodEval.metric();
        Gate.Decision decision =
                gate.judge(
                        candidate.metricName(),
                        candidate.scores(),
                        prodEval == null ? null : prodEval.scores(),
                        data.classes(),
                        data.gatePerClass());
        decision = againstProduction(decision, prodEval != null ? prod : Optional.empty());
        metrics.gate(model, candidate.metric(), prodMetric);
        String summary =
                String.format(
                        "%s %s=%.4f production=%s phase1=%.4f epochs=%d+%d%s",
                        plan.counts(),
                        candidate.metricName(),
                        candidate.metric(),
                        Double.isNaN(prodMetric) ? "none" : String.format("%.4f", prodMetric),
                        trained.result().headMetric(),
                        config.schedule().headEpochs(),
                        trained.result().fineTuneEpochs(),
                        comparable);
        return new Judged(
                version, now, exported, candidate, prodMetric, decision, comparable, summary);
    }

    /**
     * Publish: with a production version serving, the candidate goes to shadow beside it (the
     * rollout policy promotes or rejects it on live evidence); otherwise it is production.
     */
    private Result publish(Plan plan, Trained trained, Judged judged) throws Exception {
        String model = plan.model();
        PreparedData data = plan.data();
        Optional<ModelPublished> prod = plan.prod();
        Evaluation candidate = judged.candidate();
        Gate.Decision decision = judged.decision();
        int version = judged.version();
        Instant now = judged.at();
        byte[] onnx =
                OnnxWriter.toBytes(
                        ModelExport.withMetadata(
                                judged.exported(),
                                data.task(),
                                data.classes(),
                                plan.preprocess(),
                                model,
                                version,
                                plan.base().parentVersion(),
                                candidate.metrics(),
                                now));
        boolean shadow = config.rollout().shadowFrames() > 0 && prod.isPresent();
        Lineage lineage =
                candidate.drift() == null
                        ? plan.lineage()
                        : plan.lineage().withDrift(candidate.drift());
        ModelPublished published =
                publisher.publish(
                        new Publisher.Release(
                                model,
                                version,
                                onnx,
                                OnnxWriter.toBytes(
                                        trainerKeys(trained.result().graph(), trained.start())),
                                trainingConfig(plan.base()),
                                ref ->
                                        new ModelPublished(
                                                model,
                                                version,
                                                plan.base().parentVersion(),
                                                data.task(),
                                                data.classes(),
                                                candidate.metricName(),
                                                candidate.metric(),
                                                candidate.metrics(),
                                                ref,
                                                plan.synced().result().offsets(),
                                                now,
                                                decision.evidence(),
                                                lineage,
                                                shadow
                                                        ? null
                                                        : new Promotion(
                                                                Promotion.By.GATE,
                                                                truncate(
                                                                        decision.reason()
                                                                                + judged
                                                                                        .comparable()),
                                                                prod.map(ModelPublished::version)
                                                                        .orElse(null),
                                                                now)),
                                kafka.topic(
                                        shadow
                                                ? Topics.MODELS_CANDIDATES
                                                : Topics.MODELS_PUBLISHED),
                                shadow ? prod.get().version() : null));
        if (shadow) {
            progress(
                    model,
                    plan.runId(),
                    Phase.SHADOW,
                    "candidate v"
                            + version
                            + " passed the gate ("
                            + decision.reason()
                            + "); serving in shadow beside v"
                            + prod.get().version()
                            + " for "
                            + config.rollout().shadowFrames()
                            + " frames");
            return new Result(
                    RunOutcome.CANDIDATE,
                    plan.runId(),
                    judged.summary()
                            + " candidate v"
                            + version
                            + " in shadow beside v"
                            + prod.get().version()
                            + ": "
                            + decision.reason(),
                    candidate,
                    judged.productionMetric(),
                    published,
                    null);
        }
        return announced(
                plan.runId(),
                published,
                judged.summary(),
                decision,
                judged.productionMetric(),
                candidate);
    }

    /** The metrics, progress and result of a version published to production by the gate. */
    private Result announced(
            String runId,
            ModelPublished published,
            String summary,
            Gate.Decision decision,
            double productionMetric,
            Evaluation candidate) {
        String model = published.model();
        int version = published.version();
        metrics.productionVersion(model, version);
        metrics.published(model, version, published.metricName(), published.metricValue());
        progress(model, runId, Phase.PUBLISHED, "published v" + version + ": " + decision.reason());
        return new Result(
                RunOutcome.PUBLISHED,
                runId,
                summary + " published v" + version + ": " + decision.reason(),
                candidate,
                productionMetric,
                published,
                null);
    }

    /**
     * A stylization model's run: the perceptual network is the configured (or default zoo) base,
     * the transformation network starts from production (the transfer step: new content, same
     * style) or fresh; the gate judges the exported ONNX by its gain over the unchanged image on
     * content only the gate sees, against production on the same images. Stylization versions are
     * promoted by the gate alone (a stylized frame has no live label to agree on).
     */
    private Result attemptStyle(
            String model, String runId, ProgressListener listener, Synced synced) throws Exception {
        Optional<ModelPublished> prod = synced.prod();
        var settings = config.style();
        var data =
                io.streamtune.trainer.style.StyleData.load(
                        synced.dataset(), config.gatePercent(), config.selectionPercent());
        int total = data.train().size() + data.selection().size() + data.gate().size();
        String counts =
                String.format(
                        "task=stylization styles=%d content=%d/%d/%d",
                        data.styles().size(),
                        data.train().size(),
                        data.selection().size(),
                        data.gate().size());
        if (data.styles().isEmpty() && data.skippedStyles() > 0) {
            // every image labelled style failed to decode (each named in a WARN line above)
            throw new DatasetProblem(
                    "no usable style image for "
                            + model
                            + ": "
                            + data.skippedStyles()
                            + " labelled {\"type\":\"style\"} could not be decoded; send"
                            + " another");
        }
        if (data.styles().isEmpty()) {
            throw new DatasetProblem(
                    "no style image for "
                            + model
                            + ": its content images need one labelled {\"type\":\"style\"}");
        }
        Optional<String> tooFew =
                RunChecks.tooFew(
                        "content images",
                        new RunChecks.Counts(
                                data.train().size(),
                                data.selection().size(),
                                data.gate().size(),
                                data.skipped()),
                        config.minSamples());
        if (tooFew.isPresent()) {
            throw new DatasetProblem(tooFew.get());
        }
        String metricName = Evaluator.metricName(Task.STYLIZATION);
        String fingerprint = settingsFingerprint(model, Task.STYLIZATION) + "/" + settings;
        String settingsHash =
                io.streamtune.vision.artifact.Sha256.hex(
                        fingerprint.getBytes(StandardCharsets.UTF_8));
        boolean continues = prod.isPresent() && prod.get().task() == Task.STYLIZATION;
        Optional<RunChecks.Refusal> refusal =
                RunChecks.unchanged(
                                continues ? prod : Optional.empty(),
                                data.fingerprint(),
                                settingsHash,
                                "style and content images")
                        .or(
                                () ->
                                        RunChecks.notEnoughEvidence(
                                                gate.shortfall(
                                                        data.gate().size(), List.of(), null)));
        if (refusal.isPresent()) {
            return refused(model, runId, counts, refusal.get(), metricName);
        }
        Base perceptualBase = base(model, Optional.empty());
        var net = settings.perceptual(perceptualBase.graph());
        var loss = settings.loss(net);
        OnnxGraph start =
                continues
                        ? BridgeReader.read(store.fetch(prod.get().artifact()))
                        : io.streamtune.trainer.style.TransformerNet.build(
                                settings.channels(), settings.blocks(), config.schedule().seed());
        LOG.info(
                "{} run {}: stylization, perceptual network {} (layers at strides {}), {}",
                model,
                runId,
                perceptualBase.source(),
                net.strides(),
                continues ? "continuing from v" + prod.get().version() : "a new network");
        // in a child JVM whose oneDNN stays on SSE4.1 kernels (trainer.style.isolate)
        var trained =
                settings.isolated()
                        ? io.streamtune.trainer.style.StyleProcess.train(
                                settings,
                                config.schedule().seed(),
                                config.threads(),
                                perceptualBase.graph(),
                                start,
                                data.styles(),
                                data.train(),
                                data.selection(),
                                listener,
                                config.modelDir(model).resolve("style-run-" + runId))
                        : new io.streamtune.trainer.style.StyleTrainer(
                                        net,
                                        loss,
                                        settings.training(config.schedule().seed()),
                                        listener,
                                        config.threads())
                                .train(start, data.styles(), data.train(), data.selection());
        progress(model, runId, Phase.EVALUATING, "evaluating candidate and production");
        int version =
                Publisher.nextVersion(
                        prod.map(ModelPublished::version).orElse(null), registry.versions(model));
        Integer parent = continues ? prod.get().version() : null;
        Instant now = clock.instant();
        PreprocessConfig preprocess =
                new PreprocessConfig(
                        settings.size(),
                        settings.size(),
                        ResizeMode.STRETCH,
                        0,
                        ChannelOrder.RGB,
                        Normalization.UNIT);
        Lineage lineage =
                new Lineage(
                        "perceptual " + perceptualBase.source(),
                        data.fingerprint(),
                        data.train().size(),
                        data.selection().size(),
                        data.gate().size(),
                        settingsHash);
        Evaluation candidate;
        Evaluation prodEval = null;
        try (var eval =
                new io.streamtune.trainer.style.StyleEvaluator(
                        net, loss, data.styles(), settings.size(), config.threads())) {
            byte[] bytes =
                    OnnxWriter.toBytes(
                            ModelExport.withMetadata(
                                    trained.graph(),
                                    Task.STYLIZATION,
                                    List.of(),
                                    preprocess,
                                    model,
                                    version,
                                    parent,
                                    Map.of(),
                                    now));
            candidate = styleEvaluation(eval.score(bytes, data.gate()));
            if (continues) {
                prodEval =
                        styleEvaluation(
                                eval.score(store.fetch(prod.get().artifact()), data.gate()));
            }
        }
        if (!Double.isFinite(candidate.metric())) {
            throw new DivergedException("candidate " + metricName + " is " + candidate.metric());
        }
        double prodMetric = prodEval == null ? Double.NaN : prodEval.metric();
        Gate styleGate =
                new Gate(
                        new Gate.Settings(
                                gate.settings().minDelta(),
                                settings.floor(),
                                gate.settings().confidence(),
                                gate.settings().resamples(),
                                gate.settings().minSamples(),
                                gate.settings().minPerClass()));
        Gate.Decision decision =
                styleGate.judge(
                        metricName,
                        candidate.scores(),
                        prodEval == null ? null : prodEval.scores(),
                        List.of(),
                        null);
        decision = againstProduction(decision, prodEval != null ? prod : Optional.empty());
        metrics.gate(model, candidate.metric(), prodMetric);
        String summary =
                String.format(
                        "%s %s=%.4f (style %.4f content %.4f) production=%s steps=%d",
                        counts,
                        metricName,
                        candidate.metric(),
                        candidate.metrics().get("style_loss"),
                        candidate.metrics().get("content_loss"),
                        Double.isNaN(prodMetric) ? "none" : String.format("%.4f", prodMetric),
                        trained.steps());
        if (!decision.publish()) {
            return rejected(
                    model,
                    runId,
                    summary,
                    decision.reason(),
                    decision.verdict(),
                    metricName,
                    candidate,
                    prodMetric,
                    decision.evidence());
        }
        OnnxGraph scored =
                ModelExport.withMetadata(
                        trained.graph(),
                        Task.STYLIZATION,
                        List.of(),
                        preprocess,
                        model,
                        version,
                        parent,
                        candidate.metrics(),
                        now);
        byte[] onnx = OnnxWriter.toBytes(scored);
        Gate.Decision decided = decision;
        ModelPublished published =
                publisher.publish(
                        new Publisher.Release(
                                model,
                                version,
                                onnx,
                                onnx,
                                trainingConfig(null),
                                ref ->
                                        new ModelPublished(
                                                model,
                                                version,
                                                parent,
                                                Task.STYLIZATION,
                                                List.of(),
                                                metricName,
                                                candidate.metric(),
                                                candidate.metrics(),
                                                ref,
                                                synced.result().offsets(),
                                                now,
                                                decided.evidence(),
                                                lineage,
                                                new Promotion(
                                                        Promotion.By.GATE,
                                                        truncate(decided.reason()),
                                                        prod.map(ModelPublished::version)
                                                                .orElse(null),
                                                        now)),
                                kafka.topic(Topics.MODELS_PUBLISHED),
                                null));
        return announced(runId, published, summary, decision, prodMetric, candidate);
    }

    /** The decision with its evidence naming the production version it was judged against. */
    private static Gate.Decision againstProduction(
            Gate.Decision decision, Optional<ModelPublished> judgedAgainst) {
        if (decision.evidence() == null || judgedAgainst.isEmpty()) {
            return decision;
        }
        return new Gate.Decision(
                decision.publish(),
                decision.verdict(),
                decision.reason(),
                decision.evidence().against(judgedAgainst.get().version()));
    }

    private static Evaluation styleEvaluation(io.streamtune.trainer.style.StyleEvaluator.Scored s) {
        double[] gains = s.gains();
        double gain = java.util.Arrays.stream(gains).average().orElse(Double.NaN);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("style_gain", gain);
        m.put("style_loss", s.mean(t -> t.style()));
        m.put("content_loss", s.mean(t -> t.content()));
        m.put("tv", s.mean(t -> t.tv()));
        m.put("total_loss", s.mean(t -> t.total()));
        m.put(
                "unchanged_loss",
                s.identity().stream().mapToDouble(t -> t.total()).average().orElse(Double.NaN));
        return new Evaluation(
                "style_gain",
                gain,
                m,
                gains.length,
                new io.streamtune.trainer.gate.MeanScores(gains));
    }

    /** A run refused before training: announced as a rejection with the refusal's verdict. */
    private Result refused(
            String model, String runId, String counts, RunChecks.Refusal refusal, String metric) {
        return rejected(
                model,
                runId,
                counts,
                refusal.reason(),
                refusal.verdict(),
                metric,
                null,
                Double.NaN,
                null);
    }

    private Result rejected(
            String model,
            String runId,
            String summary,
            String reason,
            Verdict verdict,
            String metricName,
            Evaluation candidate,
            double productionMetric,
            GateEvidence evidence) {
        ModelRejected r =
                new ModelRejected(
                        model,
                        runId,
                        truncate(reason),
                        metricName,
                        candidate == null ? Double.NaN : candidate.metric(),
                        productionMetric,
                        gate.settings().minDelta(),
                        clock.instant(),
                        verdict,
                        evidence);
        send(Topics.MODELS_REJECTED, model, r);
        progress(model, runId, Phase.REJECTED, reason);
        return new Result(
                RunOutcome.REJECTED,
                runId,
                summary
                        + " rejected ("
                        + verdict.name().toLowerCase(java.util.Locale.ROOT)
                        + "): "
                        + reason,
                candidate,
                r.productionMetric(),
                null,
                r);
    }

    /**
     * SHA-256 over what decides a run besides its data: the training settings, the split shares,
     * the configured base (not the production version a run continues from, which changes with
     * every publish) and the task.
     */
    private String settingsFingerprint(String model, Task task) {
        Map<String, String> m = new java.util.TreeMap<>(trainingConfig(null));
        java.nio.file.Path configured = config.baseModelFor(model);
        m.put(
                "base.configured",
                configured == null ? config.fallbackBase() : configured.toString());
        m.put("task", task.wireName());
        m.put("input.size", Integer.toString(config.zooInputSize(task)) + "/" + config.inputSize());
        m.put("head.hidden", Integer.toString(config.headHidden()));
        m.put("detection.head", config.detectionHead().name());
        m.put("resize", config.resize().mode(task).name());
        m.put("train.max.samples", Integer.toString(config.maxTrainSamples()));
        m.put("classification.hidden", Integer.toString(config.classificationHidden()));
        m.put("label.smoothing", Double.toString(config.labelSmoothing()));
        StringBuilder text = new StringBuilder();
        m.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return io.streamtune.vision.artifact.Sha256.hex(
                text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Where a run starts from. */
    record Base(OnnxGraph graph, Integer parentVersion, boolean fromParent, String source) {
        Base {
            // a base from another exporter: its input named "input", channels first
            graph = io.streamtune.onnx.ir.ImageInput.canonical(graph);
        }
    }

    private Base base(String model, Optional<ModelPublished> prod) throws Exception {
        var configured = config.baseModelFor(model);
        if (configured != null) {
            try {
                return new Base(BridgeReader.read(configured), null, false, configured.toString());
            } catch (java.io.IOException
                    | io.streamtune.onnx.ir.UnsupportedOperatorException
                    | IllegalArgumentException e) {
                throw new DatasetProblem(
                        "base model "
                                + configured
                                + " ("
                                + (config.baseModels().containsKey(model)
                                        ? "trainer.model." + model + ".base"
                                        : "trainer.base.model")
                                + ") cannot be trained from: "
                                + e.getMessage());
            }
        }
        if (prod.isPresent()) {
            ModelPublished p = prod.get();
            Optional<java.nio.file.Path> local = registry.trainGraph(model, p.version());
            OnnxGraph g = null;
            if (local.isPresent()) {
                try {
                    g = BridgeReader.read(local.get());
                } catch (Exception e) {
                    LOG.warn(
                            "{} is unreadable ({}); continuing from v{}'s published artifact",
                            local.get(),
                            e.getMessage(),
                            p.version());
                }
            }
            if (g == null) {
                g = BridgeReader.read(store.fetch(p.artifact()));
                String outputs = g.metadata().get(OUTPUTS_KEY);
                if (outputs != null) {
                    g =
                            g.pruneTo(
                                    Arrays.stream(outputs.split(","))
                                            .map(o -> new TensorInfo(o, ElementType.FLOAT, null))
                                            .toList());
                }
            }
            return new Base(g, p.version(), true, "v" + p.version());
        }
        if (Zoo.isReference(config.fallbackBase())) {
            try {
                java.nio.file.Path zoo = Zoo.modelFile(config.fallbackBase(), LOG::info);
                return new Base(BridgeReader.read(zoo), null, false, config.fallbackBase());
            } catch (ZooException e) {
                LOG.warn(
                        "{} is not available ({}); training {} on the synthetic-shapes backbone instead",
                        config.fallbackBase(),
                        e.getMessage(),
                        model);
            }
        }
        java.nio.file.Path file =
                Pretrainer.ensure(
                        config.backboneCache(), config.pretrain(), extra, config.threads());
        return new Base(
                BridgeReader.read(file),
                null,
                false,
                "synthetic-shapes backbone " + file.getFileName());
    }

    private HeadedGraph headed(
            Base base, TaskHead head, PreparedData data, Optional<ModelPublished> prod) {
        int size = inputSize(base.graph(), data.task());
        if (head instanceof CenterNetHead) {
            return head.attach(
                    CenterNetHead.backbone(base.graph(), size),
                    data.classes().size(),
                    config.schedule().seed());
        }
        String features = base.graph().metadata().get(ModelExport.FEATURE_KEY);
        if (base.fromParent() && features != null) {
            List<TensorInfo> cut =
                    Arrays.stream(features.split(","))
                            .map(f -> new TensorInfo(f, ElementType.FLOAT, null))
                            .toList();
            OnnxGraph backbone = base.graph().pruneTo(cut);
            boolean sameHead =
                    prod.isPresent()
                            && prod.get().task() == data.task()
                            && prod.get().classes().equals(data.classes());
            if (sameHead) {
                // Continual fine-tuning: keep the trained head, only the schedule starts again.
                return new HeadedGraph(base.graph(), backbone, backbone.initializers().keySet());
            }
            return head.attach(
                    Backbone.of(backbone, size), data.classes().size(), config.schedule().seed());
        }
        return head.attach(
                Backbone.of(base.graph(), size), data.classes().size(), config.schedule().seed());
    }

    private static OnnxGraph trainerKeys(OnnxGraph g, HeadedGraph start) {
        Map<String, String> meta = new LinkedHashMap<>(g.metadata());
        String heads = start.graph().metadata().get(CenterNetLayout.HEADS_KEY);
        if (heads != null) {
            meta.put(CenterNetLayout.HEADS_KEY, heads);
        }
        meta.put(
                ModelExport.FEATURE_KEY,
                String.join(
                        ",", start.backbone().outputs().stream().map(TensorInfo::name).toList()));
        meta.put(
                OUTPUTS_KEY,
                String.join(",", start.graph().outputs().stream().map(TensorInfo::name).toList()));
        return g.withMetadata(meta);
    }

    private int inputSize(OnnxGraph g, Task task) {
        String source = g.metadata().get(ModelMetadataKeys.SOURCE);
        if (source != null && source.startsWith("npm:")) {
            // a zoo network runs at any multiple of 32: train at the size that suits the task
            return config.zooInputSize(task);
        }
        String w = g.metadata().get(ModelMetadataKeys.INPUT_WIDTH);
        if (w != null) {
            return Integer.parseInt(w.trim());
        }
        long[] shape = g.inputs().get(0).shape();
        if (shape != null && shape.length == 4 && shape[3] > 0) {
            return (int) shape[3];
        }
        return config.inputSize();
    }

    private PreprocessConfig preprocess(OnnxGraph g, Task task) {
        int size = inputSize(g, task);
        String mean = g.metadata().get(ModelMetadataKeys.MEAN);
        String std = g.metadata().get(ModelMetadataKeys.STD);
        Normalization n =
                mean != null && std != null
                        ? Normalization.parse(mean, std)
                        : Normalization.IMAGENET;
        ResizeMode resize = config.resize().mode(task);
        int pad = resize == ResizeMode.LETTERBOX ? PreprocessConfig.ULTRALYTICS_PAD : 0;
        return new PreprocessConfig(size, size, resize, pad, ChannelOrder.RGB, n);
    }

    private TaskHead head(Task task, Base base, List<String> classes) {
        if (task == Task.DETECTION
                && config.detectionHead() == TrainerConfig.DetectionHeadKind.REUSE
                && CenterNetHead.heads(base.graph()).isPresent()) {
            List<String> known = CenterNetHead.classesOf(base.graph());
            Map<String, String> kept = CenterNetHead.kept(known, classes);
            LOG.info(
                    "detection head: {}'s CenterNet neck and box heads reused; class heatmap {}",
                    base.source(),
                    kept.isEmpty()
                            ? "new for every class"
                            : kept.size() == classes.size()
                                    ? "channels kept for every class"
                                    : "channels kept for "
                                            + kept.keySet()
                                            + ", new for the others");
            return new CenterNetHead(known, classes);
        }
        return switch (task) {
            case CLASSIFICATION ->
                    new ClassificationHead(config.labelSmoothing(), config.classificationHidden());
            case SEGMENTATION -> new SegmentationHead(config.headHidden());
            case DETECTION -> new io.streamtune.trainer.task.DetectionHead(config.headHidden());
            case STYLIZATION ->
                    throw new IllegalStateException(
                            "stylization trains an image-transformation network, not a head");
            case INSTANCE_SEGMENTATION ->
                    throw new IllegalStateException(
                            "instance segmentation is served from imported models, not trained"
                                    + " here");
        };
    }

    private Map<String, String> trainingConfig(Base base) {
        var s = config.schedule();
        Map<String, String> m = new LinkedHashMap<>();
        if (base != null) {
            m.put("base", base.source());
        }
        m.put("epochs.head", Integer.toString(s.headEpochs()));
        m.put("epochs.finetune", Integer.toString(s.fineTuneEpochs()));
        m.put("batch.size", Integer.toString(s.batchSize()));
        m.put("lr", Double.toString(s.learningRate()));
        m.put("finetune.lr.factor", Double.toString(s.fineTuneFactor()));
        m.put("finetune.blocks", Integer.toString(s.unfreezeBlocks()));
        m.put("patience", Integer.toString(s.patience()));
        m.put("augmentation", s.augmentation().toString());
        m.put("seed", Long.toString(s.seed()));
        m.put("split.gate.percent", Integer.toString(config.gatePercent()));
        m.put("split.selection.percent", Integer.toString(config.selectionPercent()));
        return m;
    }

    private ProgressListener reporter(String model, String runId) {
        return (phase, epoch, epochs, loss, metric, eta) -> {
            metrics.progress(model, phase, epoch, loss, metric);
            sendProgress(runId, model, phase, epoch, epochs, loss, metric, eta, null);
            LOG.debug(
                    "{} {} {}/{} loss={} metric={} eta={}s",
                    runId,
                    phase,
                    epoch,
                    epochs,
                    loss,
                    metric,
                    eta);
        };
    }

    private void progress(String model, String runId, Phase phase, String message) {
        metrics.progress(model, phase, 0, Double.NaN, Double.NaN);
        sendProgress(runId, model, phase, 0, 0, Double.NaN, Double.NaN, -1, truncate(message));
    }

    private void sendProgress(
            String runId,
            String model,
            Phase phase,
            int epoch,
            int epochs,
            double loss,
            double metric,
            long eta,
            String message) {
        send(
                Topics.TRAINING_PROGRESS,
                model,
                new TrainingProgress(
                        runId,
                        model,
                        phase,
                        epoch,
                        epochs,
                        loss,
                        metric,
                        eta,
                        message,
                        clock.instant()));
    }

    private <V> void send(io.streamtune.contracts.Topic<String, V> topic, String key, V value) {
        producer.send(
                kafka.topic(topic).record(key, value),
                (md, e) -> {
                    if (e != null) {
                        LOG.warn("could not send to {}: {}", topic.name(), e.getMessage());
                    }
                });
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
