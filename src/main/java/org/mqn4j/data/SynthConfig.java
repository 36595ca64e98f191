package org.mqn4j.data;

/**
 * Settings of the synthetic product task. Immutable; build with {@link #builder()}.
 *
 * @param size        side of the square images in pixels
 * @param seed        dataset seed: sample i of a split depends only on (seed, split, i)
 * @param jpegQuality JPEG quality of the written images, in (0, 1]
 */
public record SynthConfig(int size, long seed, float jpegQuality) {

    public SynthConfig {
        if (size < 16 || size > 4096) {
            throw new IllegalArgumentException("image size must be in [16, 4096], got " + size);
        }
        if (!(jpegQuality > 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + jpegQuality);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int size = 128;
        private long seed = 0;
        private float jpegQuality = 0.92f;

        public Builder size(int size) {
            this.size = size;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder jpegQuality(float q) {
            this.jpegQuality = q;
            return this;
        }

        public SynthConfig build() {
            return new SynthConfig(size, seed, jpegQuality);
        }
    }
}
