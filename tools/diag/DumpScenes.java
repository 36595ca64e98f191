import org.mqn4j.data.*;
import org.mqn4j.pretrain.SceneParsingLabels;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.file.*;

/**
 * Generated scenes (the generator `mqn pretrain-swin` uses, seed 1000003) as raw bytes for
 * tools/scene_parsing_reference.py: SPLIT-img.u8 [n,S,S,3] RGB after the JPEG round trip, SPLIT-cat.u8 and
 * SPLIT-col.u8 [n,S,S] class per pixel (0 background or occluder, 1 + category / colour index). Run:
 *   java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/DumpScenes.java OUT N SIZE SPLIT
 */
public class DumpScenes {
    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]); int n = Integer.parseInt(a[1]); int size = Integer.parseInt(a[2]); String split = a[3];
        Files.createDirectories(out);
        Vocabulary vocab = Vocabulary.standard();
        SyntheticProducts products = new SyntheticProducts(vocab, SynthConfig.builder().size(size).seed(1_000_003L).build());
        SceneRenderer renderer = new SceneRenderer();
        try (OutputStream img = new BufferedOutputStream(Files.newOutputStream(out.resolve(split + "-img.u8")));
             OutputStream cat = new BufferedOutputStream(Files.newOutputStream(out.resolve(split + "-cat.u8")));
             OutputStream col = new BufferedOutputStream(Files.newOutputStream(out.resolve(split + "-col.u8")))) {
            for (int i = 0; i < n; i++) {
                Scene scene = products.scene(split, i);
                SceneRenderer.Rendering r = renderer.render(scene, size);
                BufferedImage d = ImageIO.read(new ByteArrayInputStream(SyntheticDatasetWriter.jpeg(r.image(), 0.92f)));
                img.write(ImageDecoder.toRgb(d));
                for (int v : SceneParsingLabels.categories(scene, r.ids(), vocab)) cat.write(v);
                for (int v : SceneParsingLabels.colours(scene, r.ids(), vocab)) col.write(v);
            }
        }
        System.out.println(n + " scenes -> " + out);
    }
}
