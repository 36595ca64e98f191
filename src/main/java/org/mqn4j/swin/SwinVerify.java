package org.mqn4j.swin;

import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.util.MqnException;
import org.mqn4j.util.TensorDiff;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a converted Swin checkpoint against reference outputs: loads the weights (any naming
 * scheme, architecture inferred), runs mqn4j's Swin on the reference {@code input} [B,3,H,W] and
 * compares each stage with {@code stage1} … {@code stageN} [B,H_i,W_i,C_i].
 */
public final class SwinVerify {
    /** The outcome: the architecture used, the load report and one comparison per stage. */
    public record Result(SwinConfig config, int height, int width, long batch, LoadReport report,
                         List<TensorDiff> stages) {
        /** Whether every stage is within {@code tolerance} relative error. */
        public boolean passes(double tolerance) {
            return stages.stream().allMatch(d -> d.within(tolerance));
        }
    }

    private SwinVerify() {
    }

    /**
     * Runs the check. {@code window} ≤ 0 keeps the checkpoint's window; another value resizes the
     * bias tables to it.
     */
    public static Result run(Path weights, Path io, int window) {
        try (SafetensorsFile w = SafetensorsFile.open(weights); SafetensorsFile ref = SafetensorsFile.open(io)) {
            SwinCheckpoint ckpt = SwinCheckpoint.of(w);
            SwinConfig config = ckpt.config();
            if (window > 0) {
                config = config.toBuilder().windowSize(window).build();
            }
            INDArray input = ref.get("input").castTo(DataType.FLOAT);
            if (input.rank() != 4 || input.size(1) != 3) {
                throw new MqnException("'input' in " + io + " must be [B, 3, H, W], got " + Arrays.toString(input.shape()));
            }
            int h = (int) input.size(2);
            int wd = (int) input.size(3);
            SameDiff sd = SameDiff.create();
            SwinTransformer swin = SwinTransformer.create(sd, config, h, wd);
            List<SDVariable> stages = swin.features(swin.input());
            LoadReport report = ckpt.loadInto(sd, config.windowSize(), true);
            String[] names = stages.stream().map(SDVariable::name).toArray(String[]::new);
            Map<String, INDArray> out = sd.output(Map.of("input", input), names);
            List<TensorDiff> diffs = new ArrayList<>();
            for (String n : names) {
                if (!ref.contains(n)) {
                    throw new MqnException("no reference '" + n + "' in " + io + " (it holds " + ref.names() + ")");
                }
                diffs.add(TensorDiff.of(n, out.get(n), ref.get(n)));
            }
            return new Result(config, h, wd, input.size(0), report, diffs);
        }
    }
}
