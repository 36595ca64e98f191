package org.mqn4j.pretrain;

import org.mqn4j.ops.LogSoftmax;
import org.mqn4j.ops.Params;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.swin.SwinTransformer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * Scene parsing, the pretraining task of the MQN's Swin on generated product scenes (our stand-in for the
 * paper's ImageNet weights): every cell of every stage says which category and which colour of product it
 * shows, or background. LQV can only match a title's "杯子" to pixels whose features already say "mug";
 * a backbone trained from scratch inside the MQN learns the categories slowly from the title alone.
 * <pre>
 *   V_i          Swin stage i's output                               [B,h_i,w_i,C_i]   (features.*)
 *   z_{i,a}      = W_{i,a}·norm{i}(V_i) + b_{i,a}                    [B,N_i,K_a]       (parse.{i}.{a}, a ∈ {category, color})
 *   loss_{i,a}   = −mean over (b,n) of Σ_k y_{i,a}[b,n,k]·log softmax(z_{i,a}[b,n])_k
 *   loss         = mean over stages of Σ_a loss_{i,a}
 * </pre>
 * y are the {@link SceneParsingLabels} class shares of each cell (placeholders {@code parse.{i}.{a}.share});
 * class 0 is the background. The backbone's variables keep torchvision's names and the stage norms
 * LAVT's {@code norm0..3}, as in the MQN, so the pretrained backbone loads with {@code train.swin_weights}.
 *
 * @param grids {h, w, stride} of each stage
 */
public record SceneParsingNetwork(SameDiff sameDiff, SwinConfig swin, int imageSize, List<int[]> grids, int categories,
                                  int colours) {
    public static final String CATEGORY = "category";
    public static final String COLOR = "color";

    /**
     * @param categories product categories (class 0, the background, comes on top)
     * @param colours    product colours (idem)
     */
    public static SceneParsingNetwork build(SwinConfig swin, int size, int categories, int colours, long seed) {
        SameDiff sd = SameDiff.create();
        SwinTransformer backbone = SwinTransformer.builder(swin, size, size).seed(seed).build(sd);
        Params p = new Params(sd, DataType.FLOAT, seed + 3);
        SDVariable x = backbone.patchEmbed(backbone.input());
        List<int[]> grids = new ArrayList<>();
        SDVariable loss = null;
        int stages = swin.numStages();
        for (int i = 0; i < stages; i++) {
            SDVariable v = backbone.stage(i, x);
            int[] hw = backbone.stageSize(i);
            grids.add(new int[]{hw[0], hw[1], swin.patchSize() << i});
            SDVariable normed = backbone.stageNorm(i, v);
            int n = hw[0] * hw[1];
            SDVariable stage = head(p, i, CATEGORY, normed, swin.stageDim(i), n, categories + 1)
                    .add(head(p, i, COLOR, normed, swin.stageDim(i), n, colours + 1));
            loss = loss == null ? stage : loss.add(stage);
            if (i < stages - 1) {
                x = backbone.merge(i, v);
            }
        }
        loss.div("loss", stages);
        return new SceneParsingNetwork(sd, swin, size, List.copyOf(grids), categories, colours);
    }

    private static SDVariable head(Params p, int i, String attribute, SDVariable x, int dim, int n, int classes) {
        SameDiff sd = p.sameDiff();
        String name = logitsName(i, attribute);
        SDVariable z = p.linear(name, x, dim, classes, true, -1, n, classes);            // [B,N,K]
        SDVariable logp = LogSoftmax.apply(z, 2);
        SDVariable y = sd.placeHolder(shareName(i, attribute), p.dataType(), -1, n, classes);
        return logp.mul(y).sum(2).neg().mean();
    }

    /** The logits [B,N_i,K] of stage {@code i} (0-based) for {@link #CATEGORY} or {@link #COLOR}. */
    public static String logitsName(int i, String attribute) {
        return "parse." + (i + 1) + "." + attribute;
    }

    /** The label placeholder [B,N_i,K] of stage {@code i} (0-based): class shares per cell. */
    public static String shareName(int i, String attribute) {
        return logitsName(i, attribute) + ".share";
    }

    /** The label placeholders in feeding order: per stage, category then colour. */
    public List<String> labelNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < grids.size(); i++) {
            out.add(shareName(i, CATEGORY));
            out.add(shareName(i, COLOR));
        }
        return out;
    }
}
