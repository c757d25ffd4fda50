package io.streamtune.runtime;

/** An existing topic's configuration contradicts what the service requires (e.g. not compacted). */
public final class IncompatibleTopicException extends IllegalStateException {

    public IncompatibleTopicException(String topic, String key, String required, String actual) {
        super(
                "topic '"
                        + topic
                        + "' has "
                        + key
                        + "="
                        + actual
                        + " but streamtune requires "
                        + key
                        + "="
                        + required
                        + "; fix it with kafka-configs --alter or delete the topic");
    }
}
