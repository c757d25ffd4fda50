package io.streamtune.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies model announcements with HMAC-SHA256 under {@code models.signing.key}, a
 * secret shared by trainers (which sign every {@link ModelPublished} they write: publications,
 * candidates, promotions, rollbacks) and inference instances (which refuse an announcement whose
 * signature is missing or wrong before fetching its artifact). The signed bytes are the record's
 * JSON with the signature left out and map entries sorted, so any JVM computes the same bytes.
 */
public final class AnnouncementSigner {

    /** The config key. */
    public static final String KEY = "models.signing.key";

    private static final int MIN_LENGTH = 32;
    private static final ObjectMapper CANONICAL =
            JsonSerde.MAPPER.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final SecretKeySpec key;

    private AnnouncementSigner(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * The signer of {@code models.signing.key}, empty when the key is not set; a short or
     * placeholder key fails start-up naming the key.
     */
    public static Optional<AnnouncementSigner> from(ConfigSource config) {
        String value = ServiceConfig.SIGNING_KEY.get(config);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = Secrets.requireStrong(KEY, value, MIN_LENGTH);
        return Optional.of(new AnnouncementSigner(v.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code p} with its signature. */
    public ModelPublished sign(ModelPublished p) {
        return p.withSignature(mac(p));
    }

    /** Whether {@code p} carries this key's signature (constant-time comparison). */
    public boolean verify(ModelPublished p) {
        if (p.signature() == null) {
            return false;
        }
        byte[] expected = mac(p).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = p.signature().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private String mac(ModelPublished p) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(p.withSignature(null));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(canonical));
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot sign a model announcement", e);
        }
    }
}
