import org.mqn4j.data.*;
import org.mqn4j.eval.*;
import org.mqn4j.fusion.*;
import org.mqn4j.io.GraphFile;
import org.mqn4j.text.*;
import org.nd4j.autodiff.samediff.*;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.nio.file.Path;
import java.util.*;

/**
 * What the backbone knows: accuracy of the {@link VisualHeads} colour and category predictions on the val cells
 * the target covers at least half, per stage (a run trained with visual_heads_weight > 0). Run from the project root:
 *   java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/VisualHeadsDiagnostic.java RUN_DIR DATA_DIR
 */
public class VisualHeadsDiagnostic {
    public static void main(String[] a) throws Exception {
        Path run = Path.of(a[0]);
        MqnConfig cfg = MqnConfig.load(run.resolve("config.yaml"));
        SameDiff sd = GraphFile.load(run.resolve("final.sd"), false);
        BertTokenizer tok = BertTokenizer.builder().vocab(cfg.wordPieceVocab()).maxLength(cfg.maxTitleLength()).build();
        Vocabulary v = Vocabulary.standard();
        int s = cfg.imageSize();
        Map<String, String> outs = new LinkedHashMap<>();
        for (SameDiffOp op : sd.getOps().values()) {
            for (String o : op.getOutputsOfOp()) {
                for (int st = 1; st <= 4; st++) for (String h : new String[]{"color", "category"}) {
                    String pre = "heads.visual." + st + "." + h;
                    if (op.getInputsToOp() != null && op.getInputsToOp().contains(pre + ".bias")) outs.put(pre, o);
                }
            }
        }
        double[] ok = new double[8], n = new double[8];
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(Path.of(a[1]), "val").size(s).batchSize(8).build()) {
            while (it.hasNext()) {
                MmpsBatch b = it.next();
                Map<String, INDArray> ph = ModelInputs.inference(sd, b, tok);
                Map<String, INDArray> o = sd.output(ph, outs.values().toArray(new String[0]));
                int j = 0;
                for (Map.Entry<String, String> e : outs.entrySet()) {
                    INDArray z = o.get(e.getValue());
                    int st = e.getKey().charAt(13) - '0';
                    int h = s / (cfg.swin().patchSize() << (st - 1)); int k = s / h;
                    boolean colour = e.getKey().endsWith("color");
                    for (int i = 0; i < b.size(); i++) {
                        TargetAttributes t = TargetAttributes.shown(b.records().get(i), v);
                        int label = colour ? t.colour() : t.category();
                        INDArray zi = z.reshape(b.size(), h * h, -1).slice(i);
                        for (int p = 0; p < h * h; p++) {
                            int rr = p / h, cc = p % h; double g = 0;
                            for (int dy = 0; dy < k; dy++) for (int dx = 0; dx < k; dx++) g += b.masks().getDouble(i, 0, rr * k + dy, cc * k + dx);
                            if (g / (k * k) < 0.5) continue;
                            int idx = (st - 1) * 2 + (colour ? 0 : 1);
                            n[idx]++; ok[idx] += zi.getRow(p).argMax().getInt(0) == label ? 1 : 0;
                        }
                    }
                }
            }
        }
        for (int st = 1; st <= 4; st++) System.out.printf("stage %d: colour %.1f%% (%d cells)  category %.1f%%%n", st, 100 * ok[(st-1)*2] / n[(st-1)*2], (int) n[(st-1)*2], 100 * ok[(st-1)*2+1] / n[(st-1)*2+1]);
    }
}
