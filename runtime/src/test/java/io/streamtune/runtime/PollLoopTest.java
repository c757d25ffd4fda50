package io.streamtune.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PollLoopTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    private static MockConsumer<String, String> consumer() {
        MockConsumer<String, String> c = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(TP));
        c.updateBeginningOffsets(java.util.Map.of(TP, 0L));
        return c;
    }

    @Test
    void closeWakesABlockedPollEndsCleanlyAndClosesTheClientOnTheLoopThread() throws Exception {
        MockConsumer<String, String> consumer = consumer();
        CountDownLatch polled = new CountDownLatch(3);
        AtomicInteger records = new AtomicInteger();
        String[] closedOn = new String[1];
        PollLoop loop =
                new PollLoop(
                        "test-loop",
                        consumer::wakeup,
                        new PollLoop.Body() {
                            @Override
                            public void turn() {
                                records.addAndGet(consumer.poll(Duration.ofMillis(20)).count());
                                polled.countDown();
                            }

                            @Override
                            public void close() {
                                closedOn[0] = Thread.currentThread().getName();
                                consumer.close();
                            }
                        });
        // scheduled before the loop starts: the record arrives on its first poll
        consumer.schedulePollTask(
                () -> consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "v")));
        loop.start();
        assertTrue(polled.await(10, TimeUnit.SECONDS));
        assertTrue(loop.healthy());
        assertTrue(loop.close(Duration.ofSeconds(10)));
        assertFalse(loop.isAlive());
        assertNull(loop.failure(), "a closed loop has not failed");
        assertEquals(1, records.get());
        assertEquals("test-loop", closedOn[0]);
        assertTrue(consumer.closed());
    }

    @Test
    void aFailingTurnEndsTheLoopKeepsTheFailureAndStillClosesTheClient() throws Exception {
        MockConsumer<String, String> consumer = consumer();
        consumer.setPollException(
                new org.apache.kafka.common.errors.AuthorizationException("not allowed on t"));
        PollLoop loop =
                new PollLoop(
                                "failing-loop",
                                consumer::wakeup,
                                new PollLoop.Body() {
                                    @Override
                                    public void turn() {
                                        consumer.poll(Duration.ofMillis(20));
                                    }

                                    @Override
                                    public void close() {
                                        consumer.close();
                                    }
                                })
                        .onFailureSays("nothing is read any more")
                        .start();
        io.streamtune.testkit.Eventually.until(
                Duration.ofSeconds(10), "the failed loop's thread to end", () -> !loop.isAlive());
        assertFalse(loop.isAlive());
        assertFalse(loop.healthy());
        assertTrue(loop.failure().getMessage().contains("not allowed on t"));
        assertTrue(consumer.closed());
        assertTrue(loop.close(Duration.ofSeconds(1)), "closing a dead loop is harmless");
    }

    @Test
    void openRunsOnceBeforeTheFirstTurn() throws Exception {
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        CountDownLatch turned = new CountDownLatch(2);
        AtomicInteger opened = new AtomicInteger();
        PollLoop loop =
                new PollLoop(
                                "open-loop",
                                consumer::wakeup,
                                new PollLoop.Body() {
                                    @Override
                                    public void open() {
                                        assertEquals(2, turned.getCount(), "no turn before open");
                                        opened.incrementAndGet();
                                        consumer.assign(List.of(TP));
                                        consumer.updateBeginningOffsets(java.util.Map.of(TP, 0L));
                                    }

                                    @Override
                                    public void turn() {
                                        consumer.poll(Duration.ofMillis(10));
                                        turned.countDown();
                                    }
                                })
                        .daemon()
                        .start();
        assertTrue(turned.await(10, TimeUnit.SECONDS));
        loop.close();
        assertEquals(1, opened.get());
        assertNull(loop.failure());
    }

    @Test
    void closingALoopNeverStartedClosesItsClients() {
        MockConsumer<String, String> consumer = consumer();
        PollLoop loop =
                new PollLoop(
                        "idle-loop",
                        consumer::wakeup,
                        new PollLoop.Body() {
                            @Override
                            public void turn() {
                                throw new AssertionError("never started");
                            }

                            @Override
                            public void close() {
                                consumer.close();
                            }
                        });
        assertTrue(loop.close(Duration.ofSeconds(1)));
        assertTrue(consumer.closed());
    }
}
