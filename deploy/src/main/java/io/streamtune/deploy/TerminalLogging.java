package io.streamtune.deploy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * For the local stack's terminal: every log line also goes to a file under the data directory, and
 * the terminal keeps only streamtune's own lines (Kafka's, Streams' and the broker's go to the file
 * only), so a healthy start is quiet and a WARN on the terminal is worth a look.
 */
final class TerminalLogging {

    private TerminalLogging() {}

    /** Routes library logs to {@code file}; returns it. */
    static Path libraryLogsTo(Path file) throws java.io.IOException {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return null;
        }
        Files.createDirectories(file.getParent());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(ctx);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> console = it.next();
            Filter<ILoggingEvent> ownLinesOnly =
                    new Filter<>() {
                        @Override
                        public FilterReply decide(ILoggingEvent e) {
                            return e.getLoggerName().startsWith("io.streamtune")
                                    ? FilterReply.NEUTRAL
                                    : FilterReply.DENY;
                        }
                    };
            ownLinesOnly.setContext(ctx);
            ownLinesOnly.start();
            console.addFilter(ownLinesOnly);
        }
        root.addAppender(appender);
        return file;
    }
}
