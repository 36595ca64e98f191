import org.mqn4j.data.*;
import org.mqn4j.eval.TitleCue;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.*;
import java.util.*;

/**
 * What kind of mistake a model makes on the scenes with distractors of a generated split. The scenes are made again
 * from (seed, split, index) to know which pixel shows which product; the stored mask must equal the regenerated
 * target mask (checked). Each predicted mask (`mqn eval --save-masks DIR`, 0/255 PNG at the image size) is sorted:
 *   right      IoU >= 0.5 with the target, and above its IoU with every distractor
 *   wrong      a distractor's IoU is the highest, and at least 0.5: another product was picked
 *   merged     covers at least half of the target and half of a distractor: both drawn as one
 *   partial    covers under half of the target and under half of every distractor: part of one, or little
 *   other      the rest (e.g. IoU below 0.5 with every product though covering half of the target)
 * by the cue that tells the target apart (TitleCue). Run from the project root after building the jar:
 *   java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/ErrorKinds.java DATA_DIR SPLIT SEED PRED_DIR
 */
public class ErrorKinds {
    static final List<String> KINDS = List.of("right", "wrong", "merged", "partial", "other");

    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        String split = a[1];
        long seed = Long.parseLong(a[2]);
        Path pred = Path.of(a[3]);
        List<MmpsRecord> records = MmpsSplitFile.read(data, split).records();
        int size = ImageIO.read(records.get(0).image().toFile()).getWidth();
        SyntheticProducts products = new SyntheticProducts(Vocabulary.standard(), SynthConfig.builder().size(size).seed(seed).build());
        SceneRenderer renderer = new SceneRenderer();
        Map<String, int[]> counts = new TreeMap<>();
        for (MmpsRecord r : records) {
            if (((Number) r.metadata().getOrDefault("n_distractors", 0)).intValue() == 0) continue;
            int index = Integer.parseInt(r.id().substring(split.length() + 1));
            Scene scene = products.scene(split, index);
            int[] ids = renderer.ids(scene, size);
            boolean[] truth = mask(ImageIO.read(r.mask().toFile()));
            for (int p = 0; p < ids.length; p++) {
                if (truth[p] != (ids[p] == scene.target() + 1)) throw new IllegalStateException(r.id() + ": not the scene of seed " + seed);
            }
            boolean[] m = mask(ImageIO.read(pred.resolve(r.id() + ".png").toFile()));
            double targetIoU = iou(m, ids, scene.target() + 1), targetCover = cover(m, ids, scene.target() + 1);
            double bestOther = 0, bestOtherCover = 0;
            for (int i = 0; i < scene.items().size(); i++) {
                if (i == scene.target() || !scene.items().get(i).isProduct()) continue;
                bestOther = Math.max(bestOther, iou(m, ids, i + 1));
                bestOtherCover = Math.max(bestOtherCover, cover(m, ids, i + 1));
            }
            String kind = targetIoU >= 0.5 && targetIoU > bestOther ? "right"
                    : bestOther >= 0.5 && bestOther > targetIoU ? "wrong"
                    : targetCover >= 0.5 && bestOtherCover >= 0.5 ? "merged"
                    : targetCover < 0.5 && bestOtherCover < 0.5 ? "partial" : "other";
            String cue = TitleCue.of(r).name().toLowerCase(Locale.ROOT);
            for (String key : List.of(cue, "all with distractors")) {
                counts.computeIfAbsent(key, k -> new int[KINDS.size()])[KINDS.indexOf(kind)]++;
            }
        }
        System.out.println("| told apart by | n | " + String.join(" | ", KINDS) + " |");
        System.out.println("|---|---|" + "---|".repeat(KINDS.size()));
        counts.forEach((cue, c) -> {
            int n = Arrays.stream(c).sum();
            StringBuilder sb = new StringBuilder("| " + cue + " | " + n + " |");
            for (int v : c) sb.append(String.format(Locale.ROOT, " %d (%.0f%%) |", v, 100.0 * v / n));
            System.out.println(sb);
        });
    }

    static boolean[] mask(BufferedImage img) {
        boolean[] m = new boolean[img.getWidth() * img.getHeight()];
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) m[y * img.getWidth() + x] = (img.getRaster().getSample(x, y, 0)) >= 128;
        return m;
    }

    static double iou(boolean[] m, int[] ids, int id) {
        int inter = 0, union = 0;
        for (int p = 0; p < m.length; p++) {
            boolean t = ids[p] == id;
            inter += m[p] && t ? 1 : 0;
            union += m[p] || t ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    static double cover(boolean[] m, int[] ids, int id) {
        int inter = 0, area = 0;
        for (int p = 0; p < m.length; p++) {
            if (ids[p] == id) {
                area++;
                inter += m[p] ? 1 : 0;
            }
        }
        return area == 0 ? 0 : (double) inter / area;
    }
}
