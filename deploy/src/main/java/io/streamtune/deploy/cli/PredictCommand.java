package io.streamtune.deploy.cli;

import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.inference.stream.Predictions;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.image.ImageRejectedException;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.model.ModelLoadException;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.vision.pipeline.Prediction;
import io.streamtune.vision.pipeline.Predictor;
import io.streamtune.vision.pipeline.PredictorOptions;
import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code predict --model FILE|zoo:NAME IMAGE...}: one JSON line per image, the same message the
 * prediction topics carry (frame id = the file name, camera id {@code file}).
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description =
                "Run a model (ONNX file or zoo:NAME) on image files; prints one prediction JSON per image.")
public final class PredictCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE|zoo:NAME",
            description = "ONNX model file or zoo:NAME")
    String model;

    @Option(
            names = "--min-score",
            defaultValue = "-1",
            description = "Drop detections below this score (default: the model's own threshold).")
    float minScore;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "JPEG or PNG files")
    List<Path> images;

    @Override
    public Integer call() {
        Path file;
        try {
            file = Zoo.standard().resolve(model, s -> System.err.println("zoo: " + s));
        } catch (ZooException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        int failures = 0;
        try (OnnxModelRunner runner =
                OnnxModelRunner.load(file, RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            Predictor predictor = new Predictor(runner, PredictorOptions.DEFAULTS);
            ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());
            var spec = runner.spec();
            for (Path image : images) {
                RgbImage rgb;
                try {
                    rgb = decoder.decode(Files.readAllBytes(image));
                } catch (IOException | ImageRejectedException e) {
                    System.err.println("predict: " + image + ": " + e.getMessage());
                    failures++;
                    continue;
                }
                Prediction p = predictor.predict(List.of(rgb)).get(0);
                FrameRef frame =
                        new FrameRef(
                                image.getFileName().toString(),
                                "file",
                                Instant.now(),
                                rgb.width(),
                                rgb.height(),
                                spec.name(),
                                (int) Math.max(1, Math.min(Integer.MAX_VALUE, spec.version())));
                Instant now = Instant.now();
                Object message;
                if (p instanceof Prediction.Detected d) {
                    message =
                            Predictions.detections(
                                    frame,
                                    d.detections().stream()
                                            .filter(x -> x.score() >= minScore)
                                            .toList(),
                                    now);
                } else if (p instanceof Prediction.InstancesSegmented s) {
                    message = Predictions.instances(frame, s.instances(), now);
                } else if (p instanceof Prediction.Segmented s) {
                    message = Predictions.segmentation(frame, s.segmentation(), now);
                } else {
                    message =
                            Predictions.classification(
                                    frame, ((Prediction.Classified) p).top(), now);
                }
                System.out.println(
                        new String(
                                JsonSerde.MAPPER.writeValueAsBytes(message),
                                StandardCharsets.UTF_8));
            }
        } catch (ModelLoadException e) {
            System.err.println("predict: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("predict: " + e.getMessage());
            return 1;
        }
        return failures == 0 ? 0 : 2;
    }
}
