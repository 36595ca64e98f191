package org.mqn4j.swin;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** A tiny Swin classifier and a toy task for the training and reload tests: name the colour of an image. */
final class ToySwin {
    static final int SIZE = 32;
    static final int CLASSES = 3;

    private ToySwin() {
    }

    /** Placeholders {@code input} [-1,3,32,32] and {@code labels} [-1,3]; outputs {@code logits}, {@code loss}. */
    static SameDiff build(boolean training) {
        SwinConfig cfg = SwinConfig.builder().embedDim(8).depths(2, 2).numHeads(1, 2).windowSize(4)
                .stochasticDepth(0.1).build();
        SameDiff sd = SameDiff.create();
        SwinTransformer swin = SwinTransformer.builder(cfg, SIZE, SIZE).seed(1).training(training).build(sd);
        SDVariable last = swin.features(swin.input()).get(1);
        SDVariable logits = swin.classifier(last, CLASSES);
        SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, CLASSES);
        sd.loss.softmaxCrossEntropy("loss", labels, logits, null);
        return sd;
    }

    /** Images of one colour (red, green or blue, class = channel) plus noise, one-hot labels. */
    static DataSet batch(int n, Random random) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, 3, SIZE, SIZE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(CLASSES);
            y.putScalar(i, c, 1.0);
            float[] img = new float[3 * SIZE * SIZE];
            for (int k = 0; k < img.length; k++) {
                int ch = k / (SIZE * SIZE);
                img[k] = (ch == c ? 1f : -1f) * 0.5f + (float) random.nextGaussian() * 0.5f;
            }
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(Nd4j.createFromArray(img).reshape(3, SIZE, SIZE));
        }
        return new DataSet(x, y);
    }
}
