package org.mqn4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One sampled synthetic product photo before it is drawn: background, lighting, the objects in
 * drawing order (back to front) and the title. Geometry is in units of the image side, so a scene
 * renders at any size. Immutable.
 *
 * @param background the backdrop
 * @param lighting   global light applied after the objects are drawn
 * @param items      products and neutral occluders, back to front
 * @param target     index into {@code items} of the product the title names
 * @param title      the product title
 * @param titleNames the target's attributes the title names: a non-empty subset of {"color", "category"}
 * @param giftColours English names of the colours in the title's gift phrases (never the target's)
 */
public record Scene(Background background, Lighting lighting, List<Item> items, int target,
                    String title, Set<String> titleNames, List<String> giftColours) {

    public Scene {
        items = List.copyOf(items);
        titleNames = Set.copyOf(titleNames);
        giftColours = List.copyOf(giftColours);
        if (target < 0 || target >= items.size() || !items.get(target).isProduct()) {
            throw new IllegalArgumentException("target " + target + " is not a product of the scene");
        }
    }

    public Item targetItem() {
        return items.get(target);
    }

    /** The products other than the target, in drawing order. */
    public List<Item> distractors() {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (i != target && items.get(i).isProduct()) {
                out.add(items.get(i));
            }
        }
        return out;
    }

    /** Kinds of backdrop. */
    public enum BackgroundKind { PLAIN, GRADIENT, NOISE, TABLE, BLOBS }

    /**
     * @param kind    which backdrop
     * @param rgb1    main colour (0xRRGGBB)
     * @param rgb2    second colour: gradient end, table top, blob colour
     * @param angle   gradient direction (radians)
     * @param horizon for TABLE, the y (in image sides) where the table top starts
     * @param stripes for TABLE, the number of wood stripes across the image; for NOISE, the grain scale
     * @param detail  seed of the backdrop's texture (noise, blob placement, wood grain)
     */
    public record Background(BackgroundKind kind, int rgb1, int rgb2, double angle, double horizon,
                             double stripes, long detail) {
    }

    /**
     * Global light: {@code out = ((in · gain − 128) · contrast + 128 + brightness) · ramp}, where the
     * ramp goes linearly from {@code 1 − rampStrength} to {@code 1 + rampStrength} along
     * {@code rampAngle}; then Gaussian sensor noise of {@code noiseSigma} grey levels; then, when
     * {@code blur > 0}, a 3×3 blur mixing each pixel with its neighbours by {@code blur} (a soft lens).
     */
    public record Lighting(double gainR, double gainG, double gainB, double brightness, double contrast,
                           double rampAngle, double rampStrength, double noiseSigma, long noiseSeed, double blur) {
    }

    /**
     * A product (colour and category set) or a neutral occluder (both null, {@code occluderShape} set).
     *
     * @param colour        the product's vocabulary colour, or null for an occluder
     * @param category      the product's category, or null for an occluder
     * @param occluderShape 0 ellipse, 1 rounded rectangle, 2 leaf; -1 for a product
     * @param fillRgb       the actual fill colour after jitter (0xRRGGBB)
     * @param cx            centre x (image sides)
     * @param cy            centre y
     * @param w             width of the unit square the silhouette is drawn in
     * @param h             height of that square
     * @param angle         rotation about the centre (radians)
     * @param flip          mirrored left-right
     * @param shadeAngle    direction in which the fill darkens
     * @param shade         strength of the shading gradient (0 flat .. 0.35)
     * @param highlight     alpha of a soft specular highlight (0 none)
     * @param hx            highlight position in the unit square
     * @param hy            highlight position in the unit square
     * @param label         height of a light label band across the product (0 none), unit square
     * @param labelY        top of the label band in the unit square
     * @param outline       outline width in image sides (0 none)
     * @param outlineDark   outline colour as a factor of the fill (0.4 dark .. 1.4 light)
     * @param shadowDx      drop-shadow offset x (image sides)
     * @param shadowDy      drop-shadow offset y
     * @param shadowSoft    drop-shadow softness (image sides)
     * @param shadowAlpha   drop-shadow opacity (0 none)
     */
    public record Item(Vocabulary.Colour colour, Vocabulary.Category category, int occluderShape, int fillRgb,
                       double cx, double cy, double w, double h, double angle, boolean flip,
                       double shadeAngle, double shade, double highlight, double hx, double hy,
                       double label, double labelY, double outline, double outlineDark,
                       double shadowDx, double shadowDy, double shadowSoft, double shadowAlpha) {

        public boolean isProduct() {
            return category != null;
        }

        /** Area of the drawing square, a proxy of the object's size. */
        public double area() {
            return w * h;
        }
    }
}
