package org.mqn4j.text;

import org.mqn4j.io.CheckpointLoader;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.ops.Params;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the project's text encoder with a checkpoint on reference inputs and compares its
 * {@code last_hidden_state} with the reference's over the non-padding tokens: how a user checks a
 * converted HuggingFace checkpoint ({@code mqn verify text}).
 */
public final class TextVerifier {

    /** Errors over non-padding tokens: max |out − ref| and ‖out − ref‖ / ‖ref‖. */
    public record Result(double maxAbsError, double relativeError, int tokens, LoadReport load) {}

    private TextVerifier() {
    }

    /**
     * @param io a safetensors file with {@code input_ids}, {@code attention_mask}, optionally
     *           {@code token_type_ids}, and {@code last_hidden_state} [B,T,C]
     */
    public static Result verify(TextConfig config, Path weights, Path io) {
        Map<String, INDArray> in = new HashMap<>();
        INDArray want;
        try (SafetensorsFile f = SafetensorsFile.open(io)) {
            for (String name : new String[]{"input_ids", "attention_mask", "last_hidden_state"}) {
                if (!f.contains(name)) {
                    throw new MqnException(io + " has no tensor '" + name + "' (it needs input_ids, attention_mask, last_hidden_state)");
                }
            }
            in.put("input_ids", f.get("input_ids").castTo(DataType.INT64));
            in.put("attention_mask", f.get("attention_mask").castTo(DataType.INT64));
            if (config.typeVocabSize() > 1) {
                in.put("token_type_ids", f.contains("token_type_ids") ? f.get("token_type_ids").castTo(DataType.INT64)
                        : in.get("input_ids").ulike().assign(0));
            }
            want = f.get("last_hidden_state").castTo(DataType.FLOAT);
        }
        long[] idShape = in.get("input_ids").shape();
        if (idShape.length != 2 || want.rank() != 3 || want.size(0) != idShape[0] || want.size(1) != idShape[1]
                || want.size(2) != config.hiddenSize()) {
            throw new MqnException(io + ": input_ids " + java.util.Arrays.toString(idShape) + " and last_hidden_state "
                    + java.util.Arrays.toString(want.shape()) + " do not fit a [B,T] / [B,T," + config.hiddenSize() + "] pair");
        }
        SameDiff sd = SameDiff.create();
        TextEncoder encoder = new TextEncoder(config, (int) idShape[1]);
        encoder.build(new Params(sd, DataType.FLOAT, 0));
        LoadReport report;
        try (SafetensorsFile w = SafetensorsFile.open(weights)) {
            report = CheckpointLoader.load(sd, w, TextCheckpoint::toEncoderName, true);
        }
        INDArray got = sd.output(in, "last_hidden_state").get("last_hidden_state");
        return compare(got, want, in.get("attention_mask"), report);
    }

    static Result compare(INDArray got, INDArray want, INDArray mask, LoadReport report) {
        double maxAbs = 0, diff2 = 0, ref2 = 0;
        int tokens = 0;
        long b = want.size(0), t = want.size(1), c = want.size(2);
        for (long i = 0; i < b; i++) {
            for (long j = 0; j < t; j++) {
                if (mask.getLong(i, j) == 0) {
                    continue;
                }
                tokens++;
                for (long k = 0; k < c; k++) {
                    double r = want.getDouble(i, j, k);
                    double d = got.getDouble(i, j, k) - r;
                    maxAbs = Math.max(maxAbs, Math.abs(d));
                    diff2 += d * d;
                    ref2 += r * r;
                }
            }
        }
        return new Result(maxAbs, Math.sqrt(diff2 / Math.max(ref2, 1e-30)), tokens, report);
    }
}
