package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import java.util.Set;

/**
 * ONNX {@code Resize}: Nearest, linear and cubic resizing with every coordinate transformation of
 * opset 11-18.
 */
final class Resize implements Operator {

    @Override
    public String opType() {
        return "Resize";
    }

    @Override
    public void check(OnnxNode n, int opset) throws UnsupportedOperatorException {
        String mode = n.attrString("mode", "nearest");
        if (!Set.of("nearest", "linear", "cubic").contains(mode)) {
            Operators.reject(n, opset, "mode " + mode);
        }
        String ctm = n.attrString("coordinate_transformation_mode", "half_pixel");
        if (!Set.of(
                        "half_pixel",
                        "pytorch_half_pixel",
                        "align_corners",
                        "asymmetric",
                        "tf_half_pixel_for_nn",
                        "tf_crop_and_resize")
                .contains(ctm)) {
            Operators.reject(n, opset, "coordinate_transformation_mode " + ctm);
        }
        if (n.attrInt("antialias", 0) != 0
                || n.has("axes")
                || !n.attrString("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            Operators.reject(n, opset, "antialias/axes/keep_aspect_ratio_policy");
        }
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        long[] shape = x.getShape().getShape();
        int rank = shape.length;
        long[] sizes = in.length > 3 && in[3] != null && in[3].size() > 0 ? Nd.longs(in[3]) : null;
        float[] scales = sizes == null ? Nd.floats(in[2]) : null;
        String mode = n.attrString("mode", "nearest");
        String ctm = n.attrString("coordinate_transformation_mode", "half_pixel");
        String nearestMode = n.attrString("nearest_mode", "round_prefer_floor");
        float cubicA = n.attrFloat("cubic_coeff_a", -0.75f);
        boolean excludeOutside = n.attrInt("exclude_outside", 0) != 0;
        boolean crop = ctm.equals("tf_crop_and_resize");
        float[] roi = crop ? Nd.floats(in[1]) : null;
        float extrapolation = n.attrFloat("extrapolation_value", 0f);
        NDArray y = x;
        for (int axis = 0; axis < rank; axis++) {
            long inD = shape[axis];
            long outD;
            float scale;
            if (sizes != null) {
                outD = sizes[axis];
                scale = (float) outD / inD;
            } else {
                scale = scales[axis];
                outD = (long) Math.floor(inD * (double) scale);
            }
            if (outD == inD && scale == 1f && !crop) {
                continue;
            }
            float roiStart = crop ? roi[axis] : 0f;
            float roiEnd = crop ? roi[axis + rank] : 1f;
            float[] inside = new float[(int) outD];
            boolean anyOutside = false;
            long[] i0 = new long[(int) outD];
            long[] i1 = new long[(int) outD];
            float[] w = new float[(int) outD];
            for (int i = 0; i < outD; i++) {
                float resized = sizes != null ? outD : inD * scale;
                float xo = original(ctm, i, scale, inD, outD, resized, roiStart, roiEnd);
                inside[i] = crop && (xo < 0 || xo > inD - 1) ? 0f : 1f;
                anyOutside |= inside[i] == 0f;
                if (mode.equals("nearest")) {
                    i0[i] = Math.max(0, Math.min(inD - 1, round(nearestMode, xo)));
                } else {
                    float clamped = Math.max(0f, Math.min(inD - 1f, xo));
                    long lo = (long) Math.floor(clamped);
                    i0[i] = lo;
                    i1[i] = Math.min(lo + 1, inD - 1);
                    w[i] = clamped - lo;
                }
            }
            if (mode.equals("cubic")) {
                y =
                        cubic(
                                y,
                                axis,
                                rank,
                                inD,
                                outD,
                                ctm,
                                scale,
                                sizes != null,
                                cubicA,
                                excludeOutside,
                                roiStart,
                                roiEnd);
            } else if (mode.equals("nearest")) {
                y = Nd.take(y, axis, i0);
            } else {
                NDArray wa =
                        Nd.alongAxis(
                                y.getManager().create(w).toType(y.getDataType(), false),
                                axis,
                                rank);
                NDArray a = Nd.take(y, axis, i0);
                NDArray b = Nd.take(y, axis, i1);
                y = a.add(b.sub(a).mul(wa));
            }
            if (anyOutside) {
                NDArray mask =
                        Nd.alongAxis(
                                y.getManager().create(inside).toType(y.getDataType(), false),
                                axis,
                                rank);
                y = y.mul(mask).add(mask.neg().add(1f).mul(extrapolation));
            }
        }
        return new NDList(y == x ? x.duplicate() : y);
    }

    /** Keys' cubic convolution along one axis: four edge-clamped taps per output sample. */
    private static NDArray cubic(
            NDArray y,
            int axis,
            int rank,
            long inD,
            long outD,
            String ctm,
            float scale,
            boolean fromSizes,
            float a,
            boolean excludeOutside,
            float roiStart,
            float roiEnd) {
        long[][] idx = new long[4][(int) outD];
        float[][] w = new float[4][(int) outD];
        for (int i = 0; i < outD; i++) {
            float resized = fromSizes ? outD : inD * scale;
            float xo = original(ctm, i, scale, inD, outD, resized, roiStart, roiEnd);
            long base = (long) Math.floor(xo);
            float t = xo - base;
            float[] c = {keys(t + 1, a), keys(t, a), keys(1 - t, a), keys(2 - t, a)};
            float sum = 0;
            for (int k = 0; k < 4; k++) {
                long src = base - 1 + k;
                if (excludeOutside && (src < 0 || src >= inD)) {
                    c[k] = 0;
                }
                sum += c[k];
                idx[k][i] = Math.max(0, Math.min(inD - 1, src));
            }
            for (int k = 0; k < 4; k++) {
                w[k][i] = excludeOutside ? c[k] / sum : c[k];
            }
        }
        NDArray out = null;
        for (int k = 0; k < 4; k++) {
            NDArray wk =
                    Nd.alongAxis(
                            y.getManager().create(w[k]).toType(y.getDataType(), false), axis, rank);
            NDArray term = Nd.take(y, axis, idx[k]).mul(wk);
            out = out == null ? term : out.add(term);
        }
        return out;
    }

    private static float keys(float x, float a) {
        float ax = Math.abs(x);
        if (ax <= 1) {
            return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
        }
        if (ax < 2) {
            return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
        }
        return 0;
    }

    private static float original(
            String ctm,
            long xr,
            float scale,
            long inD,
            long outD,
            float resized,
            float roiStart,
            float roiEnd) {
        return switch (ctm) {
            case "half_pixel" -> (xr + 0.5f) / scale - 0.5f;
            case "pytorch_half_pixel" -> outD > 1 ? (xr + 0.5f) / scale - 0.5f : 0f;
            case "align_corners" -> resized == 1f ? 0f : xr * (float) (inD - 1) / (resized - 1f);
            case "asymmetric" -> xr / scale;
            case "tf_half_pixel_for_nn" -> (xr + 0.5f) / scale;
            case "tf_crop_and_resize" ->
                    resized > 1
                            ? roiStart * (inD - 1)
                                    + xr * (roiEnd - roiStart) * (inD - 1) / (resized - 1)
                            : 0.5f * (roiStart + roiEnd) * (inD - 1);
            default -> throw new IllegalArgumentException("coordinate_transformation_mode " + ctm);
        };
    }

    private static long round(String mode, float v) {
        return switch (mode) {
            case "floor" -> (long) Math.floor(v);
            case "ceil" -> (long) Math.ceil(v);
            case "round_prefer_ceil" -> (long) Math.floor(v + 0.5f);
            default -> v == Math.floor(v) + 0.5f ? (long) Math.floor(v) : Math.round(v);
        };
    }
}
