package org.mqn4j.serve;

import org.mqn4j.data.BinaryMask;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.data.Resize;
import org.mqn4j.data.RgbImage;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.Encoding;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Segments the product a title names, from an exported model ({@link ExportedModel}, {@code mqn export}):
 * <pre>
 *   MqnSegmenter s = MqnSegmenter.load(Path.of("model.mqn"));
 *   Segmentation r = s.segment(image, "红色保温杯");
 *   ImageIO.write(r.maskImage(), "png", out);
 * </pre>
 * Preprocessing is the training pipeline's ({@link Resize#bilinearRgb} to S×S with the saved mean/std,
 * the saved tokenizer settings); a model trained with {@code channel_means} also scales each picture's channel
 * means to its training pictures', inside its graph ({@link org.mqn4j.ops.ChannelMeanNorm}). The result is resized
 * back to the image's size (see {@link Segmentation}).
 * Needs none of the training code.
 *
 * <p>Thread-safety: safe to share between threads. SameDiff's {@code output} is not safe to call
 * concurrently on one graph, so runs of the graph are serialised (locked on the graph; preprocessing and
 * resizing run in parallel); for parallel inference load one segmenter per thread ({@link #load} each time).
 */
public final class MqnSegmenter {
    private final ExportedModel model;
    private final SameDiff sd;
    private final BertTokenizer tokenizer;
    private final Preprocessing pre;
    private final boolean tokenTypes;

    /** One image and the title that names the product to segment. */
    public record Request(BufferedImage image, String title) {
    }

    private MqnSegmenter(ExportedModel model) {
        this.model = model;
        this.sd = model.graph();
        this.pre = model.preprocessing();
        this.tokenizer = BertTokenizer.builder().vocab(model.vocab()).maxLength(pre.maxTitleLength())
                .lowerCase(pre.lowerCase()).build();
        this.tokenTypes = sd.hasVariable("token_type_ids") && sd.getVariable("token_type_ids").isPlaceHolder();
    }

    /** Loads an export file ({@code mqn export}); a clear {@link org.mqn4j.util.MqnException} when it is not one. */
    public static MqnSegmenter load(Path file) {
        return new MqnSegmenter(ExportedModel.read(file));
    }

    /** A segmenter over a model in memory (e.g. just trained); the model's graph must not be used elsewhere meanwhile. */
    public static MqnSegmenter of(ExportedModel model) {
        return new MqnSegmenter(model);
    }

    public ExportedModel model() {
        return model;
    }

    /** The model's input size S. */
    public int imageSize() {
        return pre.imageSize();
    }

    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    /** Segments one image (any size, any colour model) for one title. */
    public Segmentation segment(BufferedImage image, String title) {
        return segment(List.of(new Request(image, title))).get(0);
    }

    /** Segments a batch in one run of the graph; results in request order. */
    public List<Segmentation> segment(List<Request> requests) {
        List<RgbImage> images = new ArrayList<>(requests.size());
        for (Request r : requests) {
            BufferedImage img = r.image();
            images.add(new RgbImage(img.getWidth(), img.getHeight(), ImageDecoder.toRgb(img)));
        }
        List<String> titles = requests.stream().map(Request::title).toList();
        return segmentRgb(images, titles);
    }

    /** {@link #segment(List)} for decoded images ({@link ImageDecoder#readRgb}). */
    public List<Segmentation> segmentRgb(List<RgbImage> images, List<String> titles) {
        int n = images.size();
        if (titles.size() != n) {
            throw new IllegalArgumentException(n + " images but " + titles.size() + " titles");
        }
        if (n == 0) {
            return List.of();
        }
        int s = pre.imageSize();
        int t = pre.maxTitleLength();
        float[] pixels = new float[n * 3 * s * s];
        long[][] ids = new long[n][];
        long[][] mask = new long[n][t];
        List<Encoding> enc = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            Resize.bilinearRgb(images.get(b), s, s, pre.mean(), pre.std(), pixels, b * 3 * s * s);
            Encoding e = tokenizer.encode(titles.get(b) == null ? "" : titles.get(b));
            enc.add(e);
            ids[b] = e.idsAsLong();
            for (int k = 0; k < t; k++) {
                mask[b][k] = e.attentionMask()[k];
            }
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input", Nd4j.create(pixels, new long[]{n, 3, s, s}, 'c'));
        ph.put("input_ids", Nd4j.createFromArray(ids));
        ph.put("attention_mask", Nd4j.createFromArray(mask));
        if (tokenTypes) {
            ph.put("token_type_ids", Nd4j.zeros(DataType.INT64, n, t));
        }
        List<String> outputs = new ArrayList<>();
        outputs.add(ExportedModel.PROBABILITY);
        outputs.addAll(model.attentionNames());
        Map<String, INDArray> out;
        synchronized (sd) { // one graph run at a time, also across segmenters over the same model
            out = sd.output(ph, outputs.toArray(new String[0]));
        }
        float[] prob = out.get(ExportedModel.PROBABILITY).castTo(DataType.FLOAT).dup('c').data().asFloat();
        List<float[]> attentions = new ArrayList<>();
        List<long[]> attentionShapes = new ArrayList<>();
        for (String a : model.attentionNames()) {
            INDArray arr = out.get(a);
            attentions.add(arr.castTo(DataType.FLOAT).dup('c').data().asFloat());
            attentionShapes.add(arr.shape());
        }
        List<Segmentation> results = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            float[] p = new float[s * s];
            System.arraycopy(prob, b * s * s, p, 0, s * s);
            results.add(result(images.get(b), enc.get(b), p, b, attentions, attentionShapes));
        }
        return results;
    }

    private Segmentation result(RgbImage image, Encoding enc, float[] p, int b, List<float[]> attentions,
                                List<long[]> shapes) {
        int s = pre.imageSize();
        int w = image.width();
        int h = image.height();
        boolean[] modelMask = threshold(p);
        float[] full = w == s && h == s ? p.clone() : Resize.bilinear(p, s, s, h, w);
        boolean[] mask = threshold(full);
        int len = enc.length();
        double[] relevance = new double[attentions.isEmpty() ? 0 : len];
        for (int i = 0; i < attentions.size(); i++) {
            addStage(relevance, attentions.get(i), shapes.get(i), b, modelMask, s);
        }
        double sum = 0;
        for (double r : relevance) {
            sum += r;
        }
        for (int k = 0; k < relevance.length && sum > 0; k++) {
            relevance[k] /= sum;
        }
        List<String> tokens = attentions.isEmpty() ? List.of() : enc.realTokens();
        return new Segmentation(w, h, mask, full, s, modelMask, p, tokens, relevance);
    }

    /** Adds the stage's attention averaged over the masked pixels of its map, divided by the number of stages. */
    private void addStage(double[] relevance, float[] a, long[] shape, int b, boolean[] modelMask, int s) {
        int nPix = (int) shape[1];
        int t = (int) shape[2];
        int side = (int) Math.round(Math.sqrt(nPix));
        if (side * side != nPix) {
            throw new IllegalStateException("attention map of " + nPix + " pixels is not square");
        }
        byte[] bits = new byte[s * s];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = (byte) (modelMask[i] ? 1 : 0);
        }
        byte[] at = Resize.nearest(new BinaryMask(s, s, bits), side, side).bits();
        int count = 0;
        for (byte x : at) {
            count += x;
        }
        boolean all = count == 0;
        double[] acc = new double[relevance.length];
        long base = (long) b * nPix * t;
        for (int n = 0; n < nPix; n++) {
            if (all || at[n] != 0) {
                for (int k = 0; k < acc.length; k++) {
                    acc[k] += a[(int) (base + (long) n * t + k)];
                }
            }
        }
        double pixels = all ? nPix : count;
        int stages = model.attentionNames().size();
        for (int k = 0; k < acc.length; k++) {
            relevance[k] += acc[k] / pixels / stages;
        }
    }

    private boolean[] threshold(float[] p) {
        boolean[] m = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = p[i] >= pre.threshold();
        }
        return m;
    }
}
