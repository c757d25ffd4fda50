package io.streamtune.runtime;

import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service {@code main} does: read the configuration from the environment and {@code
 * --key=value} arguments, start, exit with status 2 naming the problem when that fails, then serve
 * until SIGTERM or Ctrl-C closes everything.
 */
public final class ServiceMain {

    private ServiceMain() {}

    /**
     * Runs a service until it is stopped.
     *
     * @param name service name, for the log
     * @param args the {@code main} arguments
     * @param start builds and starts the service from its configuration
     * @param shell the started service's shell
     * @param owned key prefixes this service owns: a key under them that it never read is reported
     *     at start-up (one WARN line each, naming the closest known key)
     */
    public static <S> void run(
            String name,
            String[] args,
            Function<ConfigSource, S> start,
            Function<S, ServiceShell> shell,
            List<String> owned)
            throws InterruptedException {
        Logger log = LoggerFactory.getLogger(ServiceMain.class);
        S service;
        ConfigSource config;
        try {
            config = ConfigSource.fromMainArgs(args);
            service = start.apply(config);
        } catch (RuntimeException e) {
            log.error("{} failed to start: {}", name, e.getMessage());
            System.exit(2);
            return;
        }
        config.warnUnknown(log, owned);
        ServiceShell s = shell.apply(service);
        s.closeOnShutdown();
        log.info("{} ready: {}", name, s.http().url());
        s.awaitStop();
    }
}
