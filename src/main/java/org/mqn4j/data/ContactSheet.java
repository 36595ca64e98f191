package org.mqn4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mqn4j.util.MqnException;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PNG grid to look at a dataset in the MMPS layout: per sample the image, the image with the mask
 * (outside darkened, target outlined in yellow) and the title with the metadata. Without a font that
 * can draw Chinese, the title is shown with vocabulary words glossed in English ({@code [red]}) and
 * other Chinese characters as {@code ·}.
 */
public final class ContactSheet {
    private static final int CELL = 128;
    private static final int TEXT_W = 330;
    private static final int PAD = 6;
    private static final String CJK_PROBE = "红色杯子送";

    private final Vocabulary vocab;

    public ContactSheet(Vocabulary vocab) {
        this.vocab = vocab;
    }

    /** A font that draws Chinese, or null when none is installed. */
    public static Font cjkFont(int size) {
        Font logical = new Font(Font.SANS_SERIF, Font.PLAIN, size);
        if (logical.canDisplayUpTo(CJK_PROBE) == -1) {
            return logical;
        }
        for (Font f : GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts()) {
            if (f.canDisplayUpTo(CJK_PROBE) == -1) {
                return f.deriveFont(Font.PLAIN, (float) size);
            }
        }
        return null;
    }

    /**
     * Writes a sheet of up to {@code n} samples spread over the splits of {@code root}.
     *
     * @return whether Chinese could be drawn (false: titles are glossed)
     */
    public boolean write(Path root, Path out, int n) {
        List<JsonNode> records = pick(root, n);
        Font cjk = cjkFont(11);
        Font font = cjk != null ? cjk : new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        int cols = 2;
        int rows = (records.size() + cols - 1) / cols;
        int cellW = 2 * CELL + TEXT_W + 3 * PAD;
        int cellH = CELL + PAD;
        int header = 22;
        BufferedImage sheet = new BufferedImage(cols * cellW + PAD, header + Math.max(1, rows) * cellH + PAD,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(new Color(40, 40, 44));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setColor(Color.WHITE);
        g.setFont(font.deriveFont(Font.BOLD, 12f));
        g.drawString(root.getFileName() + ": image | mask (target outlined) | title"
                + (cjk == null ? "   [no CJK font: vocabulary words glossed as [english], other Chinese as ·]" : ""),
                PAD, 15);
        for (int k = 0; k < records.size(); k++) {
            JsonNode rec = records.get(k);
            int x = PAD + (k % cols) * cellW;
            int y = header + (k / cols) * cellH;
            BufferedImage image = read(root, rec, "image");
            BufferedImage mask = read(root, rec, "mask");
            g.drawImage(image, x, y, CELL, CELL, null);
            g.drawImage(overlay(image, mask), x + CELL + PAD, y, CELL, CELL, null);
            drawText(g, font, cjk != null, rec, x + 2 * CELL + 2 * PAD, y);
        }
        g.dispose();
        try {
            ImageIO.write(sheet, "png", out.toFile());
        } catch (IOException e) {
            throw new MqnException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return cjk != null;
    }

    private static List<JsonNode> pick(Path root, int n) {
        ObjectMapper json = new ObjectMapper();
        List<List<JsonNode>> perSplit = new ArrayList<>();
        for (String split : SyntheticDatasetWriter.SPLITS) {
            Path file = root.resolve(split + ".jsonl");
            if (!Files.exists(file)) {
                continue;
            }
            List<JsonNode> recs = new ArrayList<>();
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size() && recs.size() < n; i++) {
                    if (!lines.get(i).isBlank()) {
                        recs.add(json.readTree(lines.get(i)));
                    }
                }
            } catch (IOException e) {
                throw new MqnException("cannot read " + file + ": " + e.getMessage(), e);
            }
            perSplit.add(recs);
        }
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            boolean any = false;
            for (List<JsonNode> recs : perSplit) {
                if (i < recs.size() && out.size() < n) {
                    out.add(recs.get(i));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    private static BufferedImage read(Path root, JsonNode rec, String field) {
        Path p = root.resolve(rec.path(field).asText());
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new MqnException("cannot decode " + p);
            }
            return img;
        } catch (IOException e) {
            throw new MqnException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** The image darkened outside the mask, with the mask's border in yellow. */
    static BufferedImage overlay(BufferedImage image, BufferedImage mask) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = (mask.getRaster().getSample(x, y, 0) & 255) >= 128;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = image.getRGB(x, y);
                boolean in = m[y * w + x];
                boolean edge = in && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !m[y * w + x - 1]
                        || !m[y * w + x + 1] || !m[(y - 1) * w + x] || !m[(y + 1) * w + x]);
                if (edge) {
                    out.setRGB(x, y, 0xFFE600);
                } else if (in) {
                    out.setRGB(x, y, c);
                } else {
                    out.setRGB(x, y, Backgrounds.mix(c & 0xFFFFFF, 0x101018, 0.7));
                }
            }
        }
        return out;
    }

    private void drawText(Graphics2D g, Font font, boolean cjk, JsonNode rec, int x, int y) {
        List<String> lines = new ArrayList<>();
        JsonNode t = rec.path("target");
        StringBuilder others = new StringBuilder();
        for (JsonNode d : rec.path("distractors")) {
            others.append(others.length() > 0 ? ", " : "").append(d.path("color").asText()).append(' ')
                    .append(d.path("category").asText());
        }
        List<String> names = new ArrayList<>();
        rec.path("title_names").forEach(n -> names.add(n.asText()));
        lines.add(rec.path("id").asText() + "   names: " + String.join("+", names));
        lines.add("target: " + t.path("color").asText() + " " + t.path("category").asText()
                + "  (+" + rec.path("n_distractors").asInt() + " distractors)");
        if (others.length() > 0) {
            lines.add("others: " + others);
        }
        String title = rec.path("title").asText();
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        String shown = cjk ? title : gloss(title, font);
        lines.addAll(wrap(shown, fm, TEXT_W - 4));
        g.setColor(new Color(250, 250, 250));
        int ly = y + fm.getAscent();
        for (int i = 0; i < lines.size() && ly < y + CELL; i++) {
            g.setColor(i < 2 ? new Color(255, 230, 120) : i == 2 && others.length() > 0 ? new Color(170, 200, 255)
                    : new Color(245, 245, 245));
            g.drawString(lines.get(i), x, ly);
            ly += fm.getHeight();
        }
    }

    /** The title with vocabulary words in English and other characters the font lacks as a dot. */
    public String gloss(String title, Font font) {
        String s = title;
        for (Vocabulary.Colour c : vocab.colours()) {
            s = s.replace(c.zh(), "[" + c.en() + "]");
        }
        for (Vocabulary.Category c : vocab.categories()) {
            s = s.replace(c.zh(), "[" + c.en() + "]");
        }
        s = s.replace("送", "+gift:");
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(font.canDisplay(cp) ? new String(Character.toChars(cp)) : "·"));
        return sb.toString();
    }

    private static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            line.append(text.charAt(i));
            if (fm.stringWidth(line.toString()) > width) {
                line.setLength(line.length() - 1);
                out.add(line.toString());
                line.setLength(0);
                line.append(text.charAt(i));
            }
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
    }
}
