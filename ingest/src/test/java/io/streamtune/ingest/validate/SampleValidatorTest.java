package io.streamtune.ingest.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.fixtures.TestImages;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SampleValidatorTest {

    private static final Label CAT = new Label.ClassLabel("cat");

    private final SampleValidator validator =
            validator(ImageCheck.DECODE, ClassPolicy.AUTO_REGISTER);

    private static SampleValidator validator(ImageCheck check, ClassPolicy policy) {
        return new SampleValidator(
                new ImageDecoder(ImageLimits.defaults()),
                check,
                new ClassRegistry(policy, 3, Map.of("pets", List.of("cat", "dog"))),
                10);
    }

    @Test
    void shouldAcceptAJpegAndIdItBySha256() throws Exception {
        byte[] jpeg = TestImages.jpeg(64, 48, 1);

        ValidatedSample sample = validator.validate("pets", jpeg, CAT);

        assertThat(sample.sampleId()).isEqualTo(Digests.sha256Hex(jpeg)).hasSize(64);
        assertThat(sample.key()).isEqualTo("pets/" + sample.sampleId());
        assertThat(sample.mediaType()).isEqualTo("image/jpeg");
        assertThat(sample.width()).isEqualTo(64);
        assertThat(sample.height()).isEqualTo(48);
    }

    @Test
    void shouldRejectATruncatedJpegAsCorrupt() {
        byte[] truncated = TestImages.truncated(TestImages.jpeg(64, 64, 2), 0.6);

        assertRejected(
                () -> validator.validate("pets", truncated, CAT), RejectReason.CORRUPT_IMAGE);
    }

    @Test
    void shouldRejectATruncatedJpegEvenWithHeaderOnlyChecks() {
        byte[] truncated = TestImages.truncated(TestImages.jpeg(64, 64, 2), 0.6);

        assertRejected(
                () ->
                        validator(ImageCheck.HEADER, ClassPolicy.AUTO_REGISTER)
                                .validate("pets", truncated, CAT),
                RejectReason.CORRUPT_IMAGE);
    }

    @Test
    void shouldRejectAZeroByteImageAsEmpty() {
        assertRejected(
                () -> validator.validate("pets", new byte[0], CAT), RejectReason.EMPTY_IMAGE);
    }

    @Test
    void shouldRejectAPngClaiming50000x50000PixelsFromItsHeader() {
        byte[] bomb = TestImages.pngClaiming(50_000, 50_000);

        assertRejected(() -> validator.validate("pets", bomb, CAT), RejectReason.TOO_MANY_PIXELS);
    }

    @Test
    void shouldRejectTextWithAnImageExtensionAsUnsupported() {
        byte[] text =
                "this is not a jpeg, whatever the file name says".getBytes(StandardCharsets.UTF_8);

        assertRejected(
                () -> validator.validate("pets", text, CAT), RejectReason.UNSUPPORTED_FORMAT);
    }

    @Test
    void shouldRejectImagesOverTheByteLimit() {
        var small =
                new SampleValidator(
                        new ImageDecoder(
                                new ImageLimits(
                                        1000, 1_000_000, ImageLimits.defaults().allowedFormats())),
                        ImageCheck.HEADER,
                        new ClassRegistry(ClassPolicy.AUTO_REGISTER, 10, Map.of()),
                        10);

        assertRejected(
                () -> small.validate("pets", TestImages.jpeg(200, 200, 3), CAT),
                RejectReason.TOO_LARGE);
    }

    @Test
    void shouldAccept16BitAndPalettePngsAsImages() throws Exception {
        byte[] sixteen = TestImages.png16(32, 16);
        byte[] palette = TestImages.palettePng(4, 2, new byte[] {0, 1, 2, 3, 4, 5, 6, 7});

        assertThat(validator.validate("pets", sixteen, CAT).mediaType()).isEqualTo("image/png");
        assertThat(validator.validate("pets", palette, CAT).width()).isEqualTo(4);
    }

    @Test
    void shouldRejectBoxesOutsideTheImageOrWithoutArea() {
        byte[] jpeg = TestImages.jpeg(100, 50, 4);
        var outside =
                new Label.BoxesLabel(
                        List.of(new Label.BoxedObject("cat", new Box(60, 10, 50, 20))));
        var flat =
                new Label.BoxesLabel(List.of(new Label.BoxedObject("cat", new Box(10, 10, 0, 20))));

        assertRejected(
                () -> validator.validate("pets", jpeg, outside), RejectReason.BOX_OUT_OF_BOUNDS);
        assertRejected(() -> validator.validate("pets", jpeg, flat), RejectReason.BOX_ZERO_AREA);
    }

    @Test
    void shouldJudgeAPhonePhotoAtItsUprightSize() throws Exception {
        // stored 100x50, shown turned a quarter (EXIF 6) as 50x100: labels are drawn on that
        byte[] phone =
                io.streamtune.testkit.ExifImages.withOrientation(
                        TestImages.jpeg(100, 50, 6), 6, false);
        var tall =
                new Label.BoxesLabel(List.of(new Label.BoxedObject("cat", new Box(5, 60, 40, 35))));

        ValidatedSample sample = validator.validate("pets", phone, tall);

        assertThat(sample.width()).isEqualTo(50);
        assertThat(sample.height()).isEqualTo(100);
        assertRejected(
                () ->
                        validator.validate(
                                "pets",
                                phone,
                                new Label.BoxesLabel(
                                        List.of(
                                                new Label.BoxedObject(
                                                        "cat", new Box(60, 10, 30, 20))))),
                RejectReason.BOX_OUT_OF_BOUNDS);
    }

    @Test
    void shouldAcceptBoxesTouchingTheImageEdge() throws Exception {
        var edge =
                new Label.BoxesLabel(List.of(new Label.BoxedObject("cat", new Box(0, 0, 100, 50))));

        assertThat(validator.validate("pets", TestImages.jpeg(100, 50, 5), edge).label())
                .isEqualTo(edge);
    }

    @Test
    void shouldRejectAMaskOfAnotherSize() {
        byte[] image = TestImages.png(8, 6, 6);
        var mask =
                new Label.MaskLabel(TestImages.greyPng(8, 5, new byte[40]), List.of("bg", "cat"));

        assertRejected(
                () -> validator.validate("pets", image, mask), RejectReason.MASK_SIZE_MISMATCH);
    }

    @Test
    void shouldReadPaletteMasksByIndexAndAllow255AsIgnore() throws Exception {
        byte[] image = TestImages.png(4, 2, 7);
        var mask =
                new Label.MaskLabel(
                        TestImages.palettePng(4, 2, new byte[] {0, 1, 1, 0, (byte) 255, 0, 1, 1}),
                        List.of("bg", "cat"));

        assertThat(validator.validate("pets", image, mask).label()).isEqualTo(mask);
    }

    @Test
    void shouldRejectMaskValuesThatAreNoClassIndex() {
        byte[] image = TestImages.png(4, 2, 8);
        var mask =
                new Label.MaskLabel(
                        TestImages.greyPng(4, 2, new byte[] {0, 1, 2, 0, 0, 0, 0, 0}),
                        List.of("bg", "cat"));

        assertRejected(() -> validator.validate("pets", image, mask), RejectReason.BAD_MASK);
    }

    @Test
    void shouldRejectSixteenBitMasks() {
        byte[] image = TestImages.png(4, 2, 9);
        var mask = new Label.MaskLabel(TestImages.png16(4, 2), List.of("bg", "cat"));

        assertRejected(() -> validator.validate("pets", image, mask), RejectReason.BAD_MASK);
    }

    @Test
    void shouldRefuseUnknownClassesUnderTheKnownOnlyPolicy() throws Exception {
        var strict = validator(ImageCheck.HEADER, ClassPolicy.KNOWN_ONLY);
        byte[] jpeg = TestImages.jpeg(16, 16, 10);

        assertThat(strict.validate("pets", jpeg, new Label.ClassLabel("dog")).label()).isNotNull();
        assertRejected(
                () -> strict.validate("pets", jpeg, new Label.ClassLabel("horse")),
                RejectReason.UNKNOWN_CLASS);
    }

    @Test
    void shouldStopAutoRegisteringAtTheClassLimit() throws Exception {
        byte[] jpeg = TestImages.jpeg(16, 16, 11);
        validator.validate("zoo", jpeg, new Label.ClassLabel("a"));
        validator.validate("zoo", jpeg, new Label.ClassLabel("b"));
        validator.validate("zoo", jpeg, new Label.ClassLabel("c"));

        assertRejected(
                () -> validator.validate("zoo", jpeg, new Label.ClassLabel("d")),
                RejectReason.TOO_MANY_CLASSES);
    }

    @Test
    void shouldRejectABadModelNameAsMalformed() {
        assertRejected(
                () -> validator.validate("../etc", TestImages.jpeg(8, 8, 12), CAT),
                RejectReason.MALFORMED_RECORD);
    }

    @Test
    void shouldHashEqualLabelsEquallyAndDifferentLabelsDifferently() {
        assertThat(Digests.labelHash(new Label.ClassLabel("cat")))
                .isEqualTo(Digests.labelHash(CAT));
        assertThat(Digests.labelHash(new Label.ClassLabel("dog")))
                .isNotEqualTo(Digests.labelHash(CAT));
    }

    @Test
    void shouldCheckPolygonSanity() throws Exception {
        new Polygon(new double[] {0, 0, 10, 0, 10, 10}).check(10, 10);

        assertRejected(
                () -> new Polygon(new double[] {0, 0, 10, 0}).check(10, 10),
                RejectReason.BAD_POLYGON);
        assertRejected(
                () -> new Polygon(new double[] {0, 0, 5, 5, 10, 10}).check(10, 10),
                RejectReason.BAD_POLYGON);
        assertRejected(
                () -> new Polygon(new double[] {0, 0, 50, 0, 50, 50}).check(10, 10),
                RejectReason.BAD_POLYGON);
        assertRejected(
                () -> new Polygon(new double[] {0, 0, Double.NaN, 0, 5, 5}).check(10, 10),
                RejectReason.BAD_POLYGON);
    }

    @Test
    void shouldFillAPolygonAtPixelCentres() {
        byte[] labels = new byte[10 * 10];

        new Polygon(new double[] {2, 2, 6, 2, 6, 5, 2, 5}).fill(labels, 10, 10, (byte) 3);

        int filled = 0;
        for (byte b : labels) {
            filled += b == 3 ? 1 : 0;
        }
        assertThat(filled).isEqualTo(4 * 3);
        assertThat(labels[2 * 10 + 2]).isEqualTo((byte) 3);
        assertThat(labels[5 * 10 + 2]).isZero();
    }

    private static void assertRejected(ThrowingCallable call, RejectReason reason) {
        assertThatThrownBy(call)
                .isInstanceOf(SampleRejectedException.class)
                .satisfies(
                        e -> assertThat(((SampleRejectedException) e).reason()).isEqualTo(reason))
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
}
