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
 * What the attribute match maps say, on the val images with distractors (a run trained with attribute_match):
 * the title heads' accuracy where the title names the attribute, and per matched stage and attribute the AUC of
 * the map (cells the target covers at least half against cells without target) and the share of images whose
 * map peaks in the target. Run from the project root after building the jar:
 *   java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/AttributeMatchDiagnostic.java RUN_DIR DATA_DIR [best.sd]
 */
public class AttributeMatchDiagnostic {
    public static void main(String[] a) throws Exception {
        Path run = Path.of(a[0]);
        MqnConfig cfg = MqnConfig.load(run.resolve("config.yaml"));
        SameDiff sd = GraphFile.load(run.resolve(a.length > 2 ? a[2] : "final.sd"), false);
        BertTokenizer tok = BertTokenizer.builder().vocab(cfg.wordPieceVocab()).maxLength(cfg.maxTitleLength()).build();
        Vocabulary v = Vocabulary.standard();
        int s = cfg.imageSize();
        String[] attrs = {"color", "category"};
        double[] titleOk = new double[2], titleN = new double[2];
        Map<String, double[]> stats = new TreeMap<>(); // stage/attr -> {n, auc, peak}
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(Path.of(a[1]), "val").size(s).batchSize(8).build()) {
            while (it.hasNext()) {
                MmpsBatch b = it.next();
                Map<String, INDArray> ph = ModelInputs.inference(sd, b, tok);
                List<String> outs = new ArrayList<>(List.of("heads.color.probability", "heads.category.probability"));
                for (int st : cfg.attributeMatch()) for (String at : attrs) outs.add("heads.visual." + st + "." + at);
                Map<String, INDArray> o = sd.output(ph, outs.toArray(new String[0]));
                for (int i = 0; i < b.size(); i++) {
                    MmpsRecord r = b.records().get(i);
                    if (((Number) r.metadata().getOrDefault("n_distractors", 0)).intValue() == 0) continue;
                    TargetAttributes named = TargetAttributes.of(r, v);
                    int[] label = {named.colour(), named.category()};
                    for (int at = 0; at < 2; at++) {
                        INDArray q = o.get(outs.get(at)).getRow(i);
                        int K = (int) q.length() - 1;
                        if (label[at] >= 0 && label[at] < K) {
                            titleN[at]++;
                            titleOk[at] += q.argMax().getInt(0) == label[at] ? 1 : 0;
                        }
                        if (label[at] < 0 || label[at] >= K) continue; // the title does not name it: no map to judge
                        for (int st : cfg.attributeMatch()) {
                            INDArray z = o.get("heads.visual." + st + "." + attrs[at]).slice(i); // [N,K]
                            int N = (int) z.size(0); int h = (int) Math.round(Math.sqrt(N)); int k = s / h;
                            double[] m = new double[N], g = new double[N];
                            for (int p = 0; p < N; p++) {
                                double mx = Double.NEGATIVE_INFINITY; for (int c = 0; c < K; c++) mx = Math.max(mx, z.getDouble(p, c));
                                double sum = 0, dot = 0;
                                for (int c = 0; c < K; c++) { double e = Math.exp(z.getDouble(p, c) - mx); sum += e; dot += e * q.getDouble(c); }
                                m[p] = dot / sum;
                                double gg = 0;
                                for (int dy = 0; dy < k; dy++) for (int dx = 0; dx < k; dx++) gg += b.masks().getDouble(i, 0, (p / h) * k + dy, (p % h) * k + dx);
                                g[p] = gg / (k * k);
                            }
                            int best = 0; for (int p = 1; p < N; p++) if (m[p] > m[best]) best = p;
                            double pairs = 0, good = 0;
                            for (int p = 0; p < N; p++) for (int q2 = 0; q2 < N; q2++) if (g[p] >= 0.5 && g[q2] == 0) { pairs++; good += m[p] > m[q2] ? 1 : m[p] == m[q2] ? 0.5 : 0; }
                            double[] e = stats.computeIfAbsent("stage " + st + " " + attrs[at], x -> new double[3]);
                            e[0]++; e[1] += pairs == 0 ? 0.5 : good / pairs; e[2] += g[best] >= 0.5 ? 1 : 0;
                        }
                    }
                }
            }
        }
        System.out.printf("title heads on val images with distractors: colour %.1f%% of %d, category %.1f%% of %d%n",
                100 * titleOk[0] / titleN[0], (int) titleN[0], 100 * titleOk[1] / titleN[1], (int) titleN[1]);
        stats.forEach((k, e) -> System.out.printf("%s: n %d  AUC %.3f  peak in target %.1f%%%n", k, (int) e[0], e[1] / e[0], 100 * e[2] / e[0]));
    }
}
