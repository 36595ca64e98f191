package org.mqn4j.swin;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link SwinTrainingTest}: loads a saved graph with no builder code, writes
 * its logits and the gradient of one weight for the given input and labels.
 * Arguments: model.sd input.bin labels.bin out.bin
 */
public final class ReloadCheck {
    public static void main(String[] args) throws Exception {
        SameDiff sd = SameDiff.load(new File(args[0]), false);
        INDArray input = read(args[1]);
        INDArray labels = read(args[2]);
        Map<String, INDArray> ph = Map.of("input", input, "labels", labels);
        INDArray logits = sd.output(ph, "logits").get("logits");
        INDArray grad = sd.calculateGradients(ph, "features.1.0.attn.qkv.weight").get("features.1.0.attn.qkv.weight");
        try (DataOutputStream out = new DataOutputStream(new FileOutputStream(args[3]))) {
            Nd4j.write(logits, out);
            Nd4j.write(grad, out);
        }
    }

    static INDArray read(String path) throws Exception {
        try (DataInputStream in = new DataInputStream(new FileInputStream(path))) {
            return Nd4j.read(in);
        }
    }
}
