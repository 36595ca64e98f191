import org.mqn4j.io.GraphFile;
import org.mqn4j.io.SafetensorsWriter;
import org.mqn4j.pretrain.SwinPretrainer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Map;

/**
 * The backbone of a trained run as a safetensors file with torchvision names ({@code features.*} and the
 * stage norms {@code norm0..3}), for {@code train.swin_weights} of another run. Run from the project root:
 *   java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/ExtractSwin.java runs/X/final.sd swin.safetensors
 */
public class ExtractSwin {
    public static void main(String[] a) {
        SameDiff sd = GraphFile.load(Path.of(a[0]), false);
        Map<String, INDArray> out = SwinPretrainer.backbone(sd);
        SafetensorsWriter.write(Path.of(a[1]), out, Map.of("source", a[0]));
        System.out.println(out.size() + " tensors -> " + a[1]);
    }
}
