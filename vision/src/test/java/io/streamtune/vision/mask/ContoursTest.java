package io.streamtune.vision.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContoursTest {

    private static int[] blobs(int w, int h) {
        int[] labels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // a disk, an L-shaped region and a single pixel of class 1; class 2 elsewhere
                boolean disk = (x - 20) * (x - 20) + (y - 20) * (y - 20) <= 15 * 15;
                boolean ell =
                        (x >= 45 && x < 55 && y >= 5 && y < 35)
                                || (x >= 45 && x < 70 && y >= 25 && y < 35);
                boolean dot = x == 65 && y == 5;
                labels[y * w + x] = disk || ell || dot ? 1 : 2;
            }
        }
        return labels;
    }

    private static byte[] mask(int[] labels, int classId) {
        byte[] m = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            m[i] = (byte) (labels[i] == classId ? 1 : 0);
        }
        return m;
    }

    @Test
    void shouldTraceRegionsExactlyWithoutSimplification() {
        int w = 80, h = 40;
        int[] labels = blobs(w, h);

        List<Contours.Outline> outlines = Contours.of(labels, w, h, 1, 1, 10, 0);

        assertThat(outlines).hasSize(3);
        assertThat(outlines.get(2).pixels()).isEqualTo(1);
        assertThat(outlines.get(2).points()).containsExactly(65, 5, 66, 5, 66, 6, 65, 6);
        byte[] back =
                Polygons.rasterize(outlines.stream().map(Contours.Outline::points).toList(), w, h);
        assertThat(back).containsExactly(mask(labels, 1));
    }

    @Test
    void shouldSimplifyWithinTheToleranceAndDropSmallRegions() {
        int w = 80, h = 40;
        int[] labels = blobs(w, h);

        List<Contours.Outline> outlines = Contours.of(labels, w, h, 1, 10, 10, 1.0);

        assertThat(outlines).hasSize(2); // the single pixel is below 10
        double[] disk = outlines.get(0).points();
        assertThat(disk.length / 2).as("vertices of the simplified disk").isLessThan(40);
        byte[] back = Polygons.rasterize(List.of(disk), w, h);
        byte[] truth = mask(labels, 1);
        int inter = 0, union = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < 40; x++) { // the disk's half of the image
                int i = y * w + x;
                inter += back[i] == 1 && truth[i] == 1 ? 1 : 0;
                union += back[i] == 1 || truth[i] == 1 ? 1 : 0;
            }
        }
        assertThat((double) inter / union).isGreaterThan(0.93);
    }

    @Test
    void shouldTraceRandomShapesBackToTheirPixels() {
        Random r = new Random(5);
        int w = 30, h = 20;
        for (int trial = 0; trial < 50; trial++) {
            int[] labels = new int[w * h];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextDouble() < 0.45 ? 1 : 0;
            }
            List<Contours.Outline> outlines = Contours.of(labels, w, h, 1, 1, 1000, 0);
            byte[] back =
                    Polygons.rasterize(
                            outlines.stream().map(Contours.Outline::points).toList(), w, h);
            // every pixel of the class is covered (holes of a region are filled by its outline)
            byte[] truth = mask(labels, 1);
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] == 1) {
                    assertThat(back[i]).as("trial %d pixel %d", trial, i).isEqualTo((byte) 1);
                }
            }
            assertThat(outlines.stream().mapToInt(Contours.Outline::pixels).sum())
                    .isEqualTo(
                            java.util.stream.IntStream.range(0, truth.length)
                                    .filter(i -> truth[i] == 1)
                                    .count());
        }
    }
}
