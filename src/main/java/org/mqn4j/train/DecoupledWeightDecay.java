package org.mqn4j.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW's decoupled weight decay, applied beside SameDiff's Adam (whose own {@code weightDecay}
 * setting would hit every parameter): per step, {@code w ← w − lr_t · wd · w_old}, where
 * {@code w_old} is the weight before the step, exactly as PyTorch's AdamW. Only trainable weights
 * of rank 2 or more decay; biases and norm weights (rank 1), anything named {@code norm} /
 * {@code LayerNorm} and relative-position bias tables do not.
 */
public final class DecoupledWeightDecay {
    private final SameDiff sd;
    private final double weightDecay;
    private final List<String> names = new ArrayList<>();

    public DecoupledWeightDecay(SameDiff sd, double weightDecay) {
        this.sd = sd;
        this.weightDecay = weightDecay;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.dataType().isFPType() && decays(v.name(), v.getArr().shape())) {
                names.add(v.name());
            }
        }
    }

    /** Whether a parameter of this name and shape takes weight decay. */
    public static boolean decays(String name, long[] shape) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return shape.length >= 2 && !lower.contains("relative_position_bias_table") && !lower.contains("norm")
                && !name.endsWith(".bias");
    }

    /** The decayed parameters' names. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /**
     * Call before the optimiser step with that step's learning rate; returns the decay to apply
     * after it ({@link Pending#apply()}), computed from the weights as they are now.
     */
    public Pending prepare(double learningRate) {
        Map<String, INDArray> delta = new LinkedHashMap<>();
        double f = learningRate * weightDecay;
        if (f != 0) {
            for (String n : names) {
                delta.put(n, sd.getArrForVarName(n).mul(f));
            }
        }
        return new Pending(delta);
    }

    /** The decay of one step, waiting for the optimiser's update to be done. */
    public final class Pending {
        private final Map<String, INDArray> delta;

        private Pending(Map<String, INDArray> delta) {
            this.delta = delta;
        }

        /** Subtracts {@code lr · wd · w_old} in place. */
        public void apply() {
            delta.forEach((n, d) -> sd.getArrForVarName(n).subi(d));
        }
    }
}
