import org.mqn4j.data.*;
import org.mqn4j.eval.*;
import org.mqn4j.fusion.*;
import org.mqn4j.io.GraphFile;
import org.mqn4j.text.*;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.nio.file.Path;
import java.util.*;

/**
 * How well LQV's responses locate the target, on the val images with distractors: for each fusion stage, the
 * share of images where the mean response of the naming characters ({@link NamingTokens}) peaks on a cell the
 * target covers at least half, and the AUC of that response (target cells against cells without target).
 * Stage 2 is also split by what the title names. Run from the project root after building the jar:
 *   java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/GroundingDiagnostic.java RUN_DIR DATA_DIR [final.sd]
 */
public class GroundingDiagnostic {
    public static void main(String[] a) throws Exception {
        Path run = Path.of(a[0]);
        MqnConfig cfg = MqnConfig.load(run.resolve("config.yaml"));
        SameDiff sd = GraphFile.load(run.resolve(a.length > 2 ? a[2] : "final.sd"), false);
        BertTokenizer tok = BertTokenizer.builder().vocab(cfg.wordPieceVocab()).maxLength(cfg.maxTitleLength()).build();
        int s = cfg.imageSize();
        double[] hit = new double[4], auc = new double[4]; Map<String, double[]> byNames = new TreeMap<>();
        int n = 0;
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(Path.of(a[1]), "val").size(s).batchSize(8).build()) {
            while (it.hasNext()) {
                MmpsBatch b = it.next();
                Map<String, INDArray> ph = ModelInputs.inference(sd, b, tok);
                List<String> outs = new ArrayList<>();
                for (int st = 1; st <= 4; st++) outs.add("fusion." + st + ".lqv.response");
                Map<String, INDArray> o = sd.output(ph, outs.toArray(new String[0]));
                for (int i = 0; i < b.size(); i++) {
                    MmpsRecord r = b.records().get(i);
                    if (((Number) r.metadata().getOrDefault("n_distractors", 0)).intValue() == 0) continue;
                    float[] y = NamingTokens.of(r, tok.encode(r.title()).ids(), tok);
                    double ny = 0; for (float v : y) ny += v;
                    if (ny == 0) continue;
                    n++;
                    for (int st = 0; st < 4; st++) {
                        INDArray resp = o.get(outs.get(st)).slice(i); // [N,T]
                        int N = (int) resp.size(0);
                        int h = (int) Math.round(Math.sqrt(N)); int k = s / h;
                        double[] score = new double[N]; double[] g = new double[N];
                        for (int p = 0; p < N; p++) {
                            double sum = 0; for (int t = 0; t < y.length; t++) sum += y[t] * resp.getDouble(p, t);
                            score[p] = sum / ny;
                            int rr = p / h, cc = p % h; double gg = 0;
                            for (int dy = 0; dy < k; dy++) for (int dx = 0; dx < k; dx++) gg += b.masks().getDouble(i, 0, rr * k + dy, cc * k + dx);
                            g[p] = gg / (k * k);
                        }
                        int best = 0; for (int p = 1; p < N; p++) if (score[p] > score[best]) best = p;
                        hit[st] += g[best] >= 0.5 ? 1 : 0; if (st == 1) { double[] e = byNames.computeIfAbsent(String.valueOf(r.metadata().get("title_names")), x -> new double[2]); e[0]++; e[1] += g[best] >= 0.5 ? 1 : 0; }
                        double pairs = 0, good = 0;
                        for (int p = 0; p < N; p++) for (int q = 0; q < N; q++) if (g[p] >= 0.5 && g[q] == 0) { pairs++; good += score[p] > score[q] ? 1 : score[p] == score[q] ? 0.5 : 0; }
                        auc[st] += pairs == 0 ? 0.5 : good / pairs;
                    }
                }
            }
        }
        System.out.printf("val images with distractors: %d%n", n);
        byNames.forEach((k, v) -> System.out.printf("stage 2 %s: n %d peak in target %.1f%%%n", k, (int) v[0], 100 * v[1] / v[0]));
        for (int st = 0; st < 4; st++) System.out.printf("stage %d: peak in target %.1f%%  AUC %.3f%n", st + 1, 100 * hit[st] / n, auc[st] / n);
    }
}
