package org.mqn4j.serve;

import org.mqn4j.data.SampleLoader;

/**
 * How an image and a title become model input, saved in the export file so that a service
 * preprocesses exactly as training did: the image resized bilinearly to {@code imageSize} square
 * ({@link org.mqn4j.data.Resize#bilinearRgb}), scaled to [0,1] and normalised per channel with
 * {@code mean}/{@code std}; the title tokenised (WordPiece, {@code lowerCase}) to {@code maxTitleLength}
 * tokens; a pixel is product when its probability is {@code >= threshold}.
 */
public record Preprocessing(int imageSize, float[] mean, float[] std, int maxTitleLength, boolean lowerCase,
                            double threshold) {

    public Preprocessing {
        if (imageSize <= 0 || maxTitleLength < 2 || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("bad preprocessing: image size " + imageSize + ", title length "
                    + maxTitleLength + ", " + mean.length + " means, " + std.length + " stds");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The training pipeline's settings ({@link SampleLoader}: ImageNet mean/std, lower-case titles, threshold 0.5). */
    public static Preprocessing training(int imageSize, int maxTitleLength) {
        return new Preprocessing(imageSize, SampleLoader.MEAN, SampleLoader.STD, maxTitleLength, true, 0.5);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
