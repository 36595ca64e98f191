package org.mqn4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed vocabulary of the synthetic product task ({@code /org/mqn4j/vocabulary.json}): colours,
 * categories with their silhouettes, and the noise words of product titles. Immutable.
 */
public final class Vocabulary {

    /** A product colour: Chinese and English name and its sRGB value. */
    public record Colour(String zh, String en, int r, int g, int b) {
        /** The RGB value packed as 0xRRGGBB. */
        public int rgb() {
            return (r << 16) | (g << 8) | b;
        }
    }

    /** A product category and its silhouette: a closed polygon in the unit square (x right, y down). */
    public record Category(String zh, String en, double[] xs, double[] ys) {
        public Category {
            if (xs.length != ys.length || xs.length < 3) {
                throw new IllegalArgumentException("category " + en + ": polygon needs at least 3 points");
            }
            xs = xs.clone();
            ys = ys.clone();
        }

        @Override
        public double[] xs() {
            return xs.clone();
        }

        @Override
        public double[] ys() {
            return ys.clone();
        }
    }

    public static final String RESOURCE = "/org/mqn4j/vocabulary.json";

    private static volatile Vocabulary standard;

    private final List<Colour> colours;
    private final List<Category> categories;
    private final List<String> noiseWords;
    private final List<String> brands;
    private final List<String> giftItems;

    public Vocabulary(List<Colour> colours, List<Category> categories, List<String> noiseWords,
                      List<String> brands, List<String> giftItems) {
        if (colours.size() < 2 || categories.size() < 2 || giftItems.isEmpty()) {
            throw new IllegalArgumentException("a vocabulary needs at least 2 colours, 2 categories and 1 gift item");
        }
        this.colours = List.copyOf(colours);
        this.categories = List.copyOf(categories);
        this.noiseWords = List.copyOf(noiseWords);
        this.brands = List.copyOf(brands);
        this.giftItems = List.copyOf(giftItems);
    }

    /** The project's vocabulary, read once from the classpath. */
    public static Vocabulary standard() {
        Vocabulary v = standard;
        if (v == null) {
            try (InputStream in = Vocabulary.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new MqnException("classpath resource " + RESOURCE + " is missing");
                }
                v = read(in, RESOURCE);
            } catch (IOException e) {
                throw new MqnException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
            }
            standard = v;
        }
        return v;
    }

    /** Reads a vocabulary JSON document; {@code source} names it in error messages. */
    public static Vocabulary read(InputStream in, String source) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        try {
            List<Colour> colours = new ArrayList<>();
            for (JsonNode c : required(root, "colors")) {
                JsonNode rgb = required(c, "rgb");
                colours.add(new Colour(text(c, "zh"), text(c, "en"), rgb.get(0).asInt(), rgb.get(1).asInt(), rgb.get(2).asInt()));
            }
            List<Category> categories = new ArrayList<>();
            for (JsonNode c : required(root, "categories")) {
                JsonNode poly = required(c, "polygon");
                double[] xs = new double[poly.size()];
                double[] ys = new double[poly.size()];
                for (int i = 0; i < poly.size(); i++) {
                    xs[i] = poly.get(i).get(0).asDouble();
                    ys[i] = poly.get(i).get(1).asDouble();
                }
                categories.add(new Category(text(c, "zh"), text(c, "en"), xs, ys));
            }
            return new Vocabulary(colours, categories, strings(root, "noise_words"), strings(root, "brands"),
                    strings(root, "gift_items"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MqnException(source + ": invalid vocabulary: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static List<String> strings(JsonNode root, String field) {
        List<String> out = new ArrayList<>();
        required(root, field).forEach(n -> out.add(n.asText()));
        return out;
    }

    public List<Colour> colours() {
        return colours;
    }

    public List<Category> categories() {
        return categories;
    }

    public List<String> noiseWords() {
        return noiseWords;
    }

    public List<String> brands() {
        return brands;
    }

    public List<String> giftItems() {
        return giftItems;
    }

    public Colour colour(String en) {
        return colours.stream().filter(c -> c.en().equals(en)).findFirst()
                .orElseThrow(() -> new MqnException("unknown colour \"" + en + "\""));
    }

    public Category category(String en) {
        return categories.stream().filter(c -> c.en().equals(en)).findFirst()
                .orElseThrow(() -> new MqnException("unknown category \"" + en + "\""));
    }
}
