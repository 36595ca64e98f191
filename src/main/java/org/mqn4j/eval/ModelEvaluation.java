package org.mqn4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.data.BadRecordException;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.data.BinaryMask;
import org.mqn4j.data.ContactSheet;
import org.mqn4j.data.DataProblem;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.data.MmpsSplitFile;
import org.mqn4j.data.Resize;
import org.mqn4j.data.SampleLoader;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.io.GraphFile;
import org.mqn4j.serve.MaskImages;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.serve.Segmentation;
import org.mqn4j.util.MqnException;
import org.mqn4j.util.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code mqn eval}: a model on a split through the serving path ({@link MqnSegmenter}: the service's
 * preprocessing and graph). Scored at the model's input resolution S (MQN.md section 7: the S×S
 * prediction against the ground truth resized to S×S with nearest neighbour), for all samples and
 * split by samples with and without distractors (metadata {@code n_distractors}, when present) and
 * by the title words that tell the target apart from its distractors ({@link TitleCue}, when the
 * metadata has target, distractors and title_names);
 * also at the ground truth's own size (the mask resized back as a service returns it, what
 * {@code mqn score} measures on {@code --save-masks}).
 *
 * <p>Writes to {@code out}: {@code metrics.json}, {@code table.md}, {@code samples.csv} (id, IoU, I,
 * U at S and at the original size, n_distractors, cue, title) and {@code overlays/} (the best and worst
 * samples: image, predicted mask tinted, ground truth outlined in yellow, title glossed); to
 * {@code saveMasks}: {@code <id>.png} masks at the ground truth's size, 0/255.
 */
public final class ModelEvaluation {
    private static final Logger log = LoggerFactory.getLogger(ModelEvaluation.class);
    private static final Pattern OVERLAY_NAME = Pattern.compile("(best|worst)_\\d{2,}_.+\\.png");

    private final MqnSegmenter segmenter;

    /** One evaluated sample: I and U at the model's size S and at the original size. */
    public record Sample(MmpsRecord record, long intersection, long union, long intersectionOriginal,
                         long unionOriginal, Integer nDistractors, TitleCue cue) {
        public double iou() {
            return union == 0 ? 0 : (double) intersection / union;
        }
    }

    /**
     * @param all                 every sample at S
     * @param withDistractors     samples with n_distractors &gt; 0 (empty when no record has the field)
     * @param withoutDistractors  samples with n_distractors = 0
     * @param original            every sample at the ground truth's own size
     * @param byCue               samples with distractors by {@link TitleCue} (only cues that occur)
     */
    public record Result(SegmentationMetrics all, SegmentationMetrics withDistractors,
                         SegmentationMetrics withoutDistractors, SegmentationMetrics original, List<Sample> samples,
                         List<DataProblem> skipped, int modelSize, Map<TitleCue, SegmentationMetrics> byCue) {

        /** Markdown: one row per group, scores in percent. */
        public String table() {
            StringBuilder sb = new StringBuilder("| samples | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU | n |\n|---|---|---|---|---|---|---|\n");
            row(sb, "all (" + modelSize + "x" + modelSize + ")", all);
            if (withoutDistractors.samples().size() + withDistractors.samples().size() > 0) {
                row(sb, "without distractors", withoutDistractors);
                row(sb, "with distractors", withDistractors);
            }
            byCue.forEach((cue, m) -> row(sb, "with distractors, " + cue.description(), m));
            row(sb, "all (original size)", original);
            return sb.toString();
        }

        private static void row(StringBuilder sb, String name, SegmentationMetrics m) {
            SegmentationMetrics.Scores s = m.scores();
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n", name,
                    s.precisionAt50(), s.precisionAt70(), s.precisionAt90(), s.overallIoU(), s.meanIoU(), s.n()));
        }

        public String toJson() {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode o = json.createObjectNode();
            o.put("model_size", modelSize);
            o.set("all", all.toJson(false));
            o.set("without_distractors", withoutDistractors.toJson(false));
            o.set("with_distractors", withDistractors.toJson(false));
            ObjectNode cues = o.putObject("with_distractors_by_cue");
            byCue.forEach((cue, m) -> cues.set(cue.key(), m.toJson(false)));
            o.set("original_size", original.toJson(false));
            o.put("skipped", skipped.size());
            try {
                return json.writeValueAsString(o);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Options of a run; {@code out} and {@code saveMasks} may be null (nothing written there). */
    public record Options(int batchSize, Path out, Path saveMasks, int overlays, BadRecordPolicy policy, boolean progress) {
    }

    public ModelEvaluation(MqnSegmenter segmenter) {
        this.segmenter = segmenter;
    }

    public Result run(Path root, String split, Options o) {
        int s = segmenter.imageSize();
        MmpsSplitFile file = MmpsSplitFile.read(root, split);
        List<DataProblem> skipped = new ArrayList<>();
        for (DataProblem p : file.problems()) {
            if (p.isError()) {
                skip(new BadRecordException(p), skipped, o.policy());
            }
        }
        createDirs(o.out());
        createDirs(o.saveMasks());
        SampleLoader loader = new SampleLoader(root, s);
        List<Sample> samples = new ArrayList<>();
        List<MmpsRecord> records = file.records();
        try (Progress bar = o.progress() ? new Progress("eval", records.size()) : null) {
            for (int from = 0; from < records.size(); from += o.batchSize()) {
                List<SampleLoader.Decoded> batch = new ArrayList<>();
                for (MmpsRecord r : records.subList(from, Math.min(records.size(), from + o.batchSize()))) {
                    try {
                        batch.add(loader.decode(r));
                    } catch (BadRecordException e) {
                        skip(e, skipped, o.policy());
                    }
                }
                List<Segmentation> segs = segmenter.segmentRgb(batch.stream().map(SampleLoader.Decoded::image).toList(),
                        batch.stream().map(d -> d.record().title()).toList());
                for (int b = 0; b < batch.size(); b++) {
                    samples.add(score(batch.get(b), segs.get(b), s, o.saveMasks()));
                }
                if (bar != null) {
                    bar.advance(Math.min(records.size(), from + o.batchSize()) - from);
                }
            }
        }
        SegmentationMetrics all = new SegmentationMetrics();
        SegmentationMetrics with = new SegmentationMetrics();
        SegmentationMetrics without = new SegmentationMetrics();
        SegmentationMetrics original = new SegmentationMetrics();
        Map<TitleCue, SegmentationMetrics> byCue = new java.util.EnumMap<>(TitleCue.class);
        for (Sample x : samples) {
            String id = x.record().id();
            all.add(id, x.intersection(), x.union());
            original.add(id, x.intersectionOriginal(), x.unionOriginal());
            if (x.nDistractors() != null) {
                (x.nDistractors() > 0 ? with : without).add(id, x.intersection(), x.union());
            }
            if (x.cue() != null && x.cue() != TitleCue.NONE) {
                byCue.computeIfAbsent(x.cue(), c -> new SegmentationMetrics()).add(id, x.intersection(), x.union());
            }
        }
        Result result = new Result(all, with, without, original, List.copyOf(samples), List.copyOf(skipped), s,
                java.util.Collections.unmodifiableMap(byCue));
        if (o.out() != null) {
            write(o.out().resolve("metrics.json"), result.toJson() + "\n");
            write(o.out().resolve("table.md"), result.table());
            write(o.out().resolve("samples.csv"), csv(samples));
            if (o.overlays() > 0) {
                overlays(loader, samples, o.out().resolve("overlays"), o.overlays());
            }
        }
        return result;
    }

    private static Sample score(SampleLoader.Decoded d, Segmentation seg, int s, Path saveMasks) {
        BinaryMask gt = Resize.nearest(d.mask(), s, s);
        long[] iu = count(seg.modelMask(), gt.bits());
        long[] full = count(seg.mask(), d.mask().bits());
        if (saveMasks != null) {
            Path f = saveMasks.resolve(d.record().id() + ".png");
            GraphFile.writeAtomically(f, tmp -> ImageIO.write(seg.maskImage(), "png", tmp.toFile()));
        }
        Object n = d.record().metadata().get("n_distractors");
        Integer nd = n instanceof Number num ? num.intValue() : null;
        return new Sample(d.record(), iu[0], iu[1], full[0], full[1], nd, TitleCue.of(d.record()));
    }

    private static long[] count(boolean[] pred, byte[] gt) {
        long i = 0;
        long u = 0;
        for (int k = 0; k < pred.length; k++) {
            boolean g = gt[k] != 0;
            i += pred[k] && g ? 1 : 0;
            u += pred[k] || g ? 1 : 0;
        }
        return new long[]{i, u};
    }

    static String csv(List<Sample> samples) {
        StringBuilder sb = new StringBuilder("id,iou,intersection,union,iou_original,intersection_original,union_original,n_distractors,cue,title\n");
        for (Sample x : samples) {
            double iouOrig = x.unionOriginal() == 0 ? 0 : (double) x.intersectionOriginal() / x.unionOriginal();
            sb.append(quote(x.record().id())).append(',')
                    .append(String.format(Locale.ROOT, "%.6f,%d,%d,%.6f,%d,%d,", x.iou(), x.intersection(), x.union(),
                            iouOrig, x.intersectionOriginal(), x.unionOriginal()))
                    .append(x.nDistractors() == null ? "" : x.nDistractors().toString()).append(',')
                    .append(x.cue() == null ? "" : x.cue().key()).append(',')
                    .append(quote(x.record().title())).append('\n');
        }
        return sb.toString();
    }

    private static String quote(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    /**
     * The best and worst {@code k} samples by IoU at S (ties by id), re-segmented and drawn. Overlays an earlier
     * evaluation left in {@code dir} ({@code best_NN_*.png}, {@code worst_NN_*.png}) are deleted first, so that the
     * folder shows this model's samples only; other files stay.
     */
    private void overlays(SampleLoader loader, List<Sample> samples, Path dir, int k) {
        createDirs(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path f : old.filter(f -> OVERLAY_NAME.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear earlier overlays in " + dir, e);
        }
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingDouble(Sample::iou).reversed().thenComparing(x -> x.record().id()));
        int n = Math.min(k, sorted.size());
        ContactSheet glosser = new ContactSheet(Vocabulary.standard());
        for (int i = 0; i < n; i++) {
            drawOverlay(loader, sorted.get(i), dir.resolve(String.format("best_%02d_%s.png", i + 1, sorted.get(i).record().id())), glosser);
        }
        for (int i = 0; i < n; i++) {
            Sample x = sorted.get(sorted.size() - 1 - i);
            drawOverlay(loader, x, dir.resolve(String.format("worst_%02d_%s.png", i + 1, x.record().id())), glosser);
        }
    }

    private void drawOverlay(SampleLoader loader, Sample x, Path file, ContactSheet glosser) {
        SampleLoader.Decoded d = loader.decode(x.record());
        Segmentation seg = segmenter.segmentRgb(List.of(d.image()), List.of(x.record().title())).get(0);
        BufferedImage image = toImage(d.image());
        BufferedImage over = MaskImages.overlay(image, seg.mask());
        outline(over, d.mask());
        int w = image.getWidth();
        int h = image.getHeight();
        int scale = Math.max(1, 192 / Math.max(w, h));
        int pad = 6;
        int textH = 78;
        BufferedImage out = new BufferedImage(2 * w * scale + 3 * pad, h * scale + textH + 2 * pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(40, 40, 44));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(image, pad, pad, w * scale, h * scale, null);
        g.drawImage(over, 2 * pad + w * scale, pad, w * scale, h * scale, null);
        Font cjk = ContactSheet.cjkFont(11);
        Font font = cjk != null ? cjk : new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        int y = 2 * pad + h * scale + fm.getAscent();
        g.setColor(new Color(255, 230, 120));
        g.drawString(String.format(Locale.ROOT, "%s  IoU %.3f%s", x.record().id(),
                x.iou(), x.nDistractors() == null ? "" : "  distractors " + x.nDistractors()), pad, y);
        y += fm.getHeight();
        g.setColor(new Color(170, 200, 255));
        g.drawString("tinted: prediction   yellow: ground truth", pad, y);
        g.setColor(new Color(245, 245, 245));
        String title = cjk != null ? x.record().title() : glosser.gloss(x.record().title(), font);
        int maxW = out.getWidth() - 2 * pad;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < title.length() && y < out.getHeight() - fm.getDescent(); i++) {
            line.append(title.charAt(i));
            if (fm.stringWidth(line.toString()) > maxW) {
                line.setLength(line.length() - 1);
                y += fm.getHeight();
                g.drawString(line.toString(), pad, y);
                line.setLength(0);
                line.append(title.charAt(i));
            }
        }
        if (line.length() > 0) {
            g.drawString(line.toString(), pad, y + fm.getHeight());
        }
        g.dispose();
        GraphFile.writeAtomically(file, tmp -> ImageIO.write(out, "png", tmp.toFile()));
    }

    /** Yellow on the ground truth's border pixels (inside, with a 4-neighbour outside or at the edge). */
    static void outline(BufferedImage img, BinaryMask gt) {
        int w = gt.width();
        int h = gt.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (gt.get(x, y) && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !gt.get(x - 1, y)
                        || !gt.get(x + 1, y) || !gt.get(x, y - 1) || !gt.get(x, y + 1))) {
                    img.setRGB(x, y, 0xFFE600);
                }
            }
        }
    }

    private static BufferedImage toImage(org.mqn4j.data.RgbImage rgb) {
        BufferedImage img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rgb.height(); y++) {
            for (int x = 0; x < rgb.width(); x++) {
                img.setRGB(x, y, rgb.get(x, y, 0) << 16 | rgb.get(x, y, 1) << 8 | rgb.get(x, y, 2));
            }
        }
        return img;
    }

    private static void skip(BadRecordException e, List<DataProblem> skipped, BadRecordPolicy policy) {
        if (policy == BadRecordPolicy.FAIL) {
            throw e;
        }
        skipped.add(e.problem());
        if (skipped.size() <= PredictionScorer.MAX_LOGGED) {
            log.warn("skipping {}", e.problem());
        }
    }

    private static void createDirs(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MqnException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        GraphFile.writeAtomically(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
