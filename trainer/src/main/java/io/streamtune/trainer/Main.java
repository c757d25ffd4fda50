package io.streamtune.trainer;

import io.streamtune.runtime.DjlOffline;
import io.streamtune.runtime.ServiceMain;

/** Starts the trainer service from environment variables and {@code --key=value} arguments. */
public final class Main {

    static {
        DjlOffline.enforce();
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run(
                "trainer",
                args,
                config -> {
                    TrainerConfig c = TrainerConfig.from(config);
                    c.applyTorchThreads();
                    return TrainerService.start(c);
                },
                TrainerService::shell,
                TrainerConfig.OWNED_PREFIXES);
    }
}
