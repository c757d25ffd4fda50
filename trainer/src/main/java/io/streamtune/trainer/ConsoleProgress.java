package io.streamtune.trainer;

import io.streamtune.contracts.TrainingProgress.Phase;
import io.streamtune.trainer.train.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for the {@code train} and {@code pretrain} commands, redrawn in place.
 */
public final class ConsoleProgress implements ProgressListener {

    private static final int WIDTH = 30;

    private final PrintStream out;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void onProgress(
            Phase phase, int epoch, int epochs, double loss, double metric, long etaSeconds) {
        int filled = epochs == 0 ? WIDTH : Math.min(WIDTH, epoch * WIDTH / epochs);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        out.printf(
                Locale.ROOT,
                "\r%-18s [%s] %3d/%-3d loss %s  val %s  eta %s ",
                phase.name().toLowerCase(Locale.ROOT),
                bar,
                epoch,
                epochs,
                fmt(loss),
                fmt(metric),
                etaSeconds < 0 ? "?" : etaSeconds + "s");
        if (epoch == epochs) {
            out.println();
        }
        out.flush();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "  -   " : String.format(Locale.ROOT, "%.4f", v);
    }
}
