package org.mqn4j.serve;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@link MqnSegmenter} found in one image for one title.
 *
 * <p>At the image's own size: {@code probability} (the model's product probability resized
 * bilinearly, row-major {@code y*width+x}) and {@code mask} ({@code probability >= threshold}). At the
 * model's input size S: {@code modelProbability} and {@code modelMask} as the graph produced them
 * (what {@code mqn eval} scores, MQN.md section 7).
 *
 * <p>{@code tokens} are the title's real tokens ([CLS] … [SEP], no padding); {@code relevance[k]} is
 * how much the pixels of the predicted mask attended to token k: the VQL attention
 * {@code A[n,k]} averaged over the mask's pixels at each fused stage (the S×S mask resized to the
 * stage's map with nearest neighbour; all pixels when the mask is empty there), averaged over the
 * stages with equal weight, then divided by its sum over the real tokens, so the scores sum to 1.
 * Empty (no tokens' scores) for models without VQL.
 */
public record Segmentation(int width, int height, boolean[] mask, float[] probability, int modelSize,
                           boolean[] modelMask, float[] modelProbability, List<String> tokens, double[] relevance) {

    public Segmentation {
        tokens = List.copyOf(tokens);
    }

    /** Whether pixel (x, y) of the original image is product. */
    public boolean isProduct(int x, int y) {
        return mask[y * width + x];
    }

    /** Product pixels at the original size. */
    public long area() {
        long n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** The mask as a grey image of the original size: 255 product, 0 background. */
    public BufferedImage maskImage() {
        return MaskImages.mask(mask, width, height);
    }

    /** A token with its relevance score. */
    public record TokenScore(int position, String token, double score) {
    }

    /** The {@code k} most relevant tokens, best first; with {@code wordsOnly}, [CLS]/[SEP]/[PAD] left out. */
    public List<TokenScore> topTokens(int k, boolean wordsOnly) {
        List<TokenScore> all = new ArrayList<>();
        for (int i = 0; i < relevance.length; i++) {
            String t = tokens.get(i);
            if (!wordsOnly || !(t.equals("[CLS]") || t.equals("[SEP]") || t.equals("[PAD]"))) {
                all.add(new TokenScore(i, t, relevance[i]));
            }
        }
        all.sort(Comparator.comparingDouble(TokenScore::score).reversed());
        return all.subList(0, Math.min(k, all.size()));
    }
}
