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
        INDArray a = Nd4j.create(dataType, shape);
        long n = a.length();
        for (long i = 0; i < n; i++) {
            double v;
            do {
                v = random.nextGaussian();
            } while (Math.abs(v) > 2);
            a.putScalar(i, v * std);
        }
        return sd.var(name, a);
    }

    /** Uniform(−bound, bound), PyTorch's default for Conv2d weights and biases with bound 1/√fan_in. */
    public SDVariable uniform(String name, double bound, long... shape) {
        INDArray a = Nd4j.create(dataType, shape);
        long n = a.length();
        for (long i = 0; i < n; i++) {
            a.putScalar(i, (2 * random.nextDouble() - 1) * bound);
        }
        return sd.var(name, a);
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
