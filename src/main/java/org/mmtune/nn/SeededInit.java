package org.mmtune.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Re-initialises every parameter of an initialised block from a Java PRNG keyed by (seed, the parameter's
 * full path name), with the distributions DJL 0.36 uses by default ({@code Parameter.Type}):
 * <ul>
 *   <li>weights: Xavier, Gaussian, factor "in", magnitude 2, i.e. N(0, sqrt(2 / fanIn)) with
 *       fanIn = input channels × kernel area (He initialisation);</li>
 *   <li>biases and batch-norm beta: 0; batch-norm gamma: 1;</li>
 *   <li>batch-norm running mean 0 and running variance 1.</li>
 * </ul>
 * Because each parameter's values depend only on the seed and its name (e.g.
 * {@code 01backbone_01Conv2d_weight}), the backbone starts from the same weights whatever the head
 * (colorization, embedding, segmentation), and a head starts the same in every run with that seed. DJL's own
 * initialisation draws from libtorch's global RNG, which no run seeds; this replaces it.
 */
public final class SeededInit {

    /** DJL's default weight initialiser: Xavier, Gaussian, factor IN, magnitude 2. */
    private static final float MAGNITUDE = 2f;

    private SeededInit() {
    }

    /** Re-initialises every parameter of {@code net} (which must be initialised) from {@code seed}. */
    public static void apply(Block net, long seed) {
        if (!net.isInitialized()) {
            throw new IllegalStateException("initialise the network before seeding its parameters");
        }
        for (Pair<String, Parameter> p : net.getParameters()) {
            apply(p.getKey(), p.getValue(), seed);
        }
    }

    /** The values {@link #apply} gives the parameter named {@code name} of type {@code type} and shape {@code shape}. */
    public static float[] values(String name, Parameter.Type type, Shape shape, long seed) {
        int n = Math.toIntExact(shape.size());
        float[] v = new float[n];
        switch (type) {
            case WEIGHT -> {
                float scale = xavierScale(shape);
                Random rnd = new Random(key(seed, name));
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (rnd.nextGaussian() * scale);
                }
            }
            case GAMMA, RUNNING_VAR -> Arrays.fill(v, 1f);
            case BIAS, BETA, RUNNING_MEAN -> {
                // zeros
            }
            default -> throw new IllegalArgumentException("parameter " + name + " has type " + type
                    + ", which has no seeded initialiser");
        }
        return v;
    }

    private static void apply(String name, Parameter param, long seed) {
        NDArray a = param.getArray();
        float[] v = values(name, param.getType(), a.getShape(), seed);
        if (a.getDataType() == DataType.FLOAT32) {
            a.set(FloatBuffer.wrap(v));
        } else {
            try (NDArray tmp = a.getManager().create(v, a.getShape())) {
                a.set(tmp.toType(a.getDataType(), false).toByteBuffer());
            }
        }
    }

    /** sqrt(2 / fanIn) as DJL's XavierInitializer computes it (float arithmetic, fanIn = dim1 × kernel area). */
    static float xavierScale(Shape shape) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("a weight needs at least 2 dimensions, has shape " + shape);
        }
        float hw = shape.dimension() == 2 ? 1f : shape.slice(2).size();
        float fanIn = shape.get(1) * hw;
        return (float) StrictMath.sqrt(MAGNITUDE / fanIn);
    }

    /** A 64-bit key from the seed and the name: FNV-1a of the UTF-8 name, mixed with the seed. */
    static long key(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h ^ mix(seed + 0x9e3779b97f4a7c15L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
