package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Creates a graph's trainable variables under their checkpoint names, initialised as PyTorch
 * initialises them, from one seeded random stream (so the same seed builds the same model).
 */
public final class Params {
    private final SameDiff sd;
    private final DataType dataType;
    private final Random random;

    public Params(SameDiff sd, DataType dataType, long seed) {
        this.sd = sd;
        this.dataType = dataType;
        this.random = new Random(seed);
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Normal(0, std) truncated to ±2·std, like {@code nn.init.trunc_normal_} (Linear weights, bias tables). */
    public SDVariable truncNormal(String name, double std, long... shape) {
        double[] v = new double[length(shape)];
        for (int i = 0; i < v.length; i++) {
            double g;
            do {
                g = random.nextGaussian();
            } while (Math.abs(g) > 2);
            v[i] = g * std;
        }
        return sd.var(name, array(v, shape));
    }

    /** Uniform(−bound, bound), PyTorch's default for Conv2d weights and biases with bound 1/√fan_in. */
    public SDVariable uniform(String name, double bound, long... shape) {
        double[] v = new double[length(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * random.nextDouble() - 1) * bound;
        }
        return sd.var(name, array(v, shape));
    }

    private static int length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Math.toIntExact(n);
    }

    private INDArray array(double[] v, long[] shape) {
        INDArray a = Nd4j.createFromArray(v);
        return (dataType == DataType.DOUBLE ? a : a.castTo(dataType)).reshape(shape);
    }

    public SDVariable zeros(String name, long... shape) {
        return sd.var(name, Nd4j.zeros(dataType, shape));
    }

    public SDVariable ones(String name, long... shape) {
        return sd.var(name, Nd4j.ones(dataType, shape));
    }

    /** LayerNorm {@code prefix.weight} (ones) and {@code prefix.bias} (zeros) applied to x. */
    public SDVariable layerNorm(String prefix, SDVariable x, long dim, double eps) {
        return LayerNorm.apply(sd, prefix, x, ones(prefix + ".weight", dim), zeros(prefix + ".bias", dim), eps);
    }

    /** {@link GroupNorm} of a [B,h,w,c] map, {@code prefix.weight} (ones) and {@code prefix.bias} (zeros). */
    public SDVariable groupNorm(String prefix, SDVariable x, long h, long w, long c, double eps) {
        return GroupNorm.apply(sd, prefix, x, h, w, ones(prefix + ".weight", c), zeros(prefix + ".bias", c), eps);
    }

    /**
     * torch {@code nn.Linear(in, out)} named {@code prefix}: weight [out, in] truncated normal 0.02
     * (as Swin and BERT initialise them), bias zeros (none if {@code bias} is false).
     */
    public SDVariable linear(String prefix, SDVariable x, long in, long out, boolean bias, long... outShape) {
        SDVariable w = truncNormal(prefix + ".weight", 0.02, out, in);
        SDVariable b = bias ? zeros(prefix + ".bias", out) : null;
        return Linear.apply(sd, prefix, x, w, b, outShape);
    }
}
