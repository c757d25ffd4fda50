package io.streamtune.trainer;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.pretrain.Pretrainer;
import java.nio.file.Path;

/**
 * The {@code pretrain} command: builds (or finds cached) the default base backbone under {@code
 * data.dir} from {@code trainer.pretrain.*} settings and prints its path. {@code --help} lists
 * them.
 */
public final class PretrainMain {

    static {
        DjlOffline.enforce();
    }

    private PretrainMain() {}

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(
                        """
                        usage: pretrain [--data.dir=DIR] [--trainer.pretrain.source=fashion_mnist|synthetic]
                                        [--trainer.pretrain.samples=N] [--trainer.pretrain.epochs=N] [--trainer.input.size=N]
                        Pre-trains the default base backbone and caches it under DIR/trainer/backbones; prints the file.""");
                return;
            }
        }
        TrainerConfig config;
        try {
            config = TrainerConfig.from(ConfigSource.fromMainArgs(args));
        } catch (RuntimeException e) {
            System.err.println("pretrain: " + e.getMessage());
            System.exit(2);
            return;
        }
        config.applyTorchThreads();
        Path file =
                Pretrainer.ensure(
                        config.backboneCache(),
                        config.pretrain(),
                        new ConsoleProgress(System.err),
                        config.threads());
        System.out.println(file.toAbsolutePath());
    }
}
