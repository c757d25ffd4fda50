package io.streamtune.runtime;

/** A configuration value is missing or invalid; the message names the key. */
public final class ConfigException extends IllegalArgumentException {

    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        super("config '" + key + "' (env " + ConfigSource.envName(key) + "): " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** What is wrong with the value, without the key. */
    public String problem() {
        return problem;
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
