package io.streamtune.runtime;

/** A configuration value is missing or invalid; the message names the key. */
public final class ConfigException extends IllegalArgumentException {

    private final String key;

    public ConfigException(String key, String problem) {
        super("config '" + key + "' (env " + ConfigSource.envName(key) + "): " + problem);
        this.key = key;
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
