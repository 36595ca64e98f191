package org.mqn4j.train;

import org.mqn4j.eval.ModelInputs;
import org.mqn4j.io.CheckpointLoader;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.ops.Params;
import org.mqn4j.ops.TrainableLookup;
import org.mqn4j.text.WordPieceVocab;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.random.custom.DistributionUniform;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * A tiny graph with the MQN contract, for trainer tests: a 1x1 convolution on the image
 * ({@code features.0.*}, "Swin"), scaled by a norm weight, plus the masked mean of a token
 * embedding ({@code embeddings.word_embeddings.weight}, "text", dropped per sample when training)
 * broadcast over the pixels, plus the column sums of a {@code relative_position_bias_table};
 * {@code unused.weight} is not connected to the loss.
 */
final class StandInModel implements ModelDefinition {
    static final int VOCAB = WordPieceVocab.defaultVocab().size();
    private final int size;
    private final int maxLength;
    private final long seed;
    private final double dropout;

    StandInModel(int size, int maxLength, long seed, double dropout) {
        this.size = size;
        this.maxLength = maxLength;
        this.seed = seed;
        this.dropout = dropout;
    }

    StandInModel() {
        this(8, 8, 1, 0.2);
    }

    @Override
    public SameDiff build(boolean training) {
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.FLOAT, seed);
        SDVariable input = sd.placeHolder(ModelInputs.INPUT, DataType.FLOAT, -1, 3, size, size);
        SDVariable ids = sd.placeHolder(ModelInputs.INPUT_IDS, DataType.INT64, -1, maxLength);
        SDVariable mask = sd.placeHolder(ModelInputs.ATTENTION_MASK, DataType.INT64, -1, maxLength);
        SDVariable w = p.uniform("features.0.weight", 0.5, 1, 1, 3, 2);
        SDVariable b = p.uniform("features.0.bias", 0.5, 2);
        SDVariable conv = sd.cnn().conv2d(input, w, b, Conv2DConfig.builder().kH(1).kW(1).dataFormat("NCHW").build());
        SDVariable norm = p.uniform("norm.weight", 1.0, 2);
        SDVariable table = p.truncNormal("embeddings.word_embeddings.weight", 0.5, VOCAB, 2);
        SDVariable emb = TrainableLookup.lookup(sd, "tokens", table, ids, VOCAB);          // [B,T,2]
        SDVariable m = mask.castTo(DataType.FLOAT).reshape(-1, maxLength, 1);
        SDVariable text = emb.mul(m).sum(1).div(m.sum(1)).reshape(-1, 2, 1, 1);
        if (training && dropout > 0) {   // per-sample drop, drawn from ND4J's generator like Swin's stochastic depth
            SDVariable batch = text.shape().castTo(DataType.LONG).get(SDIndex.interval(0, 1));
            SDVariable shape = sd.concat(0, batch, sd.constant(Nd4j.createFromArray(1L, 1L, 1L)));
            SDVariable u = new DistributionUniform(sd, shape, 0.0, 1.0, DataType.FLOAT).outputVariable();
            text = text.mul(sd.math.floor(u.add(1 - dropout))).div(1 - dropout);
        }
        SDVariable bias = p.truncNormal("layers.0.relative_position_bias_table", 0.5, 4, 2).sum(0).reshape(1, 2, 1, 1);
        p.truncNormal("unused.weight", 0.5, 2, 2);
        SDVariable logits = conv.mul(norm.reshape(1, 2, 1, 1)).add(text).add(bias).rename(ModelInputs.LOGITS);
        sd.nn().softmax(logits, 1).get(SDIndex.all(), SDIndex.point(1), SDIndex.all(), SDIndex.all())
                .rename(ModelInputs.PROBABILITY);
        if (training) {
            SDVariable target = sd.placeHolder(ModelInputs.TARGET, DataType.FLOAT, -1, 1, size, size);
            SDVariable ls = sd.math().log(sd.nn().softmax(logits, 1)); // logSoftmax(x, dim) fails in backprop
            SDVariable bg = ls.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all(), SDIndex.all());
            SDVariable fg = ls.get(SDIndex.all(), SDIndex.interval(1, 2), SDIndex.all(), SDIndex.all());
            SDVariable loss = target.mul(fg).add(target.rsub(1.0).mul(bg)).mean().neg().rename(ModelInputs.LOSS);
            sd.setLossVariables(loss);
        }
        return sd;
    }

    @Override
    public int imageSize() {
        return size;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public boolean isSwinVariable(String name) {
        return name.startsWith("features.");
    }

    @Override
    public boolean isTextVariable(String name) {
        return name.startsWith("embeddings.");
    }

    @Override
    public LoadReport loadSwinWeights(SameDiff sd, Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return CheckpointLoader.load(sd, f, Function.identity(), false);
        }
    }

    @Override
    public LoadReport loadTextWeights(SameDiff sd, Path file) {
        return loadSwinWeights(sd, file);
    }

    @Override
    public String description() {
        return "stand-in size=" + size + " maxLength=" + maxLength + " seed=" + seed + " dropout=" + dropout;
    }
}
