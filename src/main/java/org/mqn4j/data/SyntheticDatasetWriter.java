package org.mqn4j.data;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.util.MqnException;
import org.mqn4j.util.Progress;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Writes the synthetic task in the MMPS layout: {@code images/<id>.jpg}, {@code masks/<id>.png}
 * (8-bit grey, 0 or 255) and one {@code <split>.jsonl} per split with at least one sample. Images come
 * first and each jsonl is written to a temporary file and renamed, so a crash never leaves a jsonl
 * that points to missing files. Output is identical for any number of threads.
 *
 * <p>With referents ({@link SyntheticProducts#referents}), each training photo also gets up to that many
 * further records asking for its other products: the same {@code images/<id>.jpg}, the mask
 * {@code masks/<id>_rK.png} and a title naming that product. The model then sees one photo with several titles
 * and a different mask for each, which only reading the title explains. Validation and test are never given
 * referents, so their records and scores stay comparable.
 */
public final class SyntheticDatasetWriter {
    public static final List<String> SPLITS = List.of("train", "val", "test");
    private static final Pattern OUR_FILES = Pattern.compile("(train|val|test)_\\d+(_r\\d+)?\\.(jpg|png)");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        ImageIO.setUseCache(false); // encode in memory, not through temporary files
    }

    /**
     * What was written: records per split (referents included), scenes per number of distractors, records per
     * named set, and how many of the records are referents.
     */
    public record Summary(Map<String, Integer> counts, int[] distractorHistogram, Map<String, Integer> titleNames,
                          int referents, double seconds) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** One photo's records: its own, then its referents. */
    private record Written(List<String> lines, int distractors, List<String> names) {
    }

    private final SyntheticProducts products;
    private final int threads;
    private final int referents;

    public SyntheticDatasetWriter(SyntheticProducts products, int threads) {
        this(products, threads, 0);
    }

    /** @param referents at most this many further records per training photo, asking for its other products (0-3) */
    public SyntheticDatasetWriter(SyntheticProducts products, int threads, int referents) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (referents < 0 || referents > 3) {
            throw new IllegalArgumentException("referents must be in 0..3 (a scene has at most 3 other products), got "
                    + referents);
        }
        this.products = products;
        this.threads = threads;
        this.referents = referents;
    }

    /**
     * @param counts samples per split (keys among train, val, test); a split with 0 samples gets no jsonl
     * @param force  overwrite a dataset already in {@code root} (its jsonl files and our image/mask files)
     */
    public Summary write(Path root, Map<String, Integer> counts, boolean force) {
        long start = System.nanoTime();
        prepare(root, counts, force);
        Map<String, Integer> written = new LinkedHashMap<>();
        int[] histogram = new int[4];
        Map<String, Integer> names = new TreeMap<>();
        int extra = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "synth");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String split : SPLITS) {
                int n = counts.getOrDefault(split, 0);
                if (n <= 0) {
                    continue;
                }
                List<Future<Written>> futures = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> writeSample(root, split, index)));
                }
                StringBuilder jsonl = new StringBuilder();
                int records = 0;
                try (Progress progress = new Progress("synth " + split, n)) {
                    for (Future<Written> f : futures) {
                        Written w = get(f);
                        w.lines().forEach(line -> jsonl.append(line).append('\n'));
                        records += w.lines().size();
                        extra += w.lines().size() - 1;
                        histogram[Math.min(3, w.distractors())]++;
                        w.names().forEach(k -> names.merge(k, 1, Integer::sum));
                        progress.step();
                    }
                }
                Path file = root.resolve(split + ".jsonl");
                Path tmp = root.resolve(split + ".jsonl.tmp");
                try {
                    Files.writeString(tmp, jsonl, StandardCharsets.UTF_8);
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new MqnException("cannot write " + file + ": " + e.getMessage(), e);
                }
                written.put(split, records);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Summary(written, histogram, names, extra, (System.nanoTime() - start) / 1e9);
    }

    private static Written get(Future<Written> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqnException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new MqnException(c.toString(), c);
        }
    }

    private static void prepare(Path root, Map<String, Integer> counts, boolean force) {
        for (String split : counts.keySet()) {
            if (!SPLITS.contains(split)) {
                throw new MqnException("unknown split \"" + split + "\" (expected one of " + SPLITS + ")");
            }
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new MqnException(root + " exists and is not a directory");
        }
        try {
            List<Path> existing = new ArrayList<>();
            for (String split : SPLITS) {
                Path p = root.resolve(split + ".jsonl");
                if (Files.exists(p)) {
                    existing.add(p);
                }
            }
            if (!existing.isEmpty() && !force) {
                throw new MqnException(root + " already holds a dataset (" + existing.get(0).getFileName()
                        + "); choose another --out or pass --force to overwrite it");
            }
            for (Path p : existing) {
                Files.delete(p);
            }
            Files.deleteIfExists(root.resolve("contact-sheet.png"));
            for (String dir : List.of("images", "masks")) {
                Path d = root.resolve(dir);
                Files.createDirectories(d);
                if (force) {
                    try (var files = Files.list(d)) {
                        for (Path f : files.filter(f -> OUR_FILES.matcher(f.getFileName().toString()).matches()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new MqnException("cannot prepare " + root + ": " + e.getMessage(), e);
        }
    }

    private Written writeSample(Path root, String split, int index) {
        SyntheticProducts.Sample s = products.sample(split, index);
        String image = "images/" + s.id() + ".jpg";
        String mask = "masks/" + s.id() + ".png";
        try {
            Files.write(root.resolve(image), jpeg(s.image(), products.config().jpegQuality()));
            Files.write(root.resolve(mask), maskPng(s.mask(), s.image().getWidth(), s.image().getHeight()));
        } catch (IOException e) {
            throw new MqnException("cannot write " + root.resolve(image) + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>(List.of(jsonLine(s, image, mask)));
        List<String> names = new ArrayList<>(List.of(namesKey(s.scene())));
        List<SyntheticProducts.Sample> more = split.equals("train") ? products.referents(s, referents) : List.of();
        for (SyntheticProducts.Sample r : more) {
            String rmask = "masks/" + r.id() + ".png";
            try {
                Files.write(root.resolve(rmask), maskPng(r.mask(), r.image().getWidth(), r.image().getHeight()));
            } catch (IOException e) {
                throw new MqnException("cannot write " + root.resolve(rmask) + ": " + e.getMessage(), e);
            }
            lines.add(jsonLine(r, image, rmask));
            names.add(namesKey(r.scene()));
        }
        return new Written(lines, s.scene().distractors().size(), names);
    }

    /**
     * A sample as the record {@link MmpsSplitFile} would read from its jsonl line (image and mask named
     * {@code images/<id>.png} and {@code masks/<id>.png}, not written), for in-memory batches.
     */
    public static MmpsRecord record(SyntheticProducts.Sample s) {
        String image = "images/" + s.id() + ".png", mask = "masks/" + s.id() + ".png";
        try {
            Map<String, Object> meta = JSON.readValue(jsonLine(s, image, mask), new TypeReference<>() {
            });
            for (String k : List.of("id", "image", "mask", "title")) {
                meta.remove(k);
            }
            return new MmpsRecord(s.split(), s.index() + 1, s.id(), Path.of(image), Path.of(mask), s.scene().title(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jsonl record of a sample: id, image, mask, title and the scene's metadata. */
    static String jsonLine(SyntheticProducts.Sample s, String image, String mask) {
        Scene scene = s.scene();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", s.id());
        o.put("image", image);
        o.put("mask", mask);
        o.put("title", scene.title());
        Scene.Item t = scene.targetItem();
        ObjectNode target = o.putObject("target");
        target.put("color", t.colour().en());
        target.put("category", t.category().en());
        target.put("color_zh", t.colour().zh());
        target.put("category_zh", t.category().zh());
        ArrayNode ds = o.putArray("distractors");
        for (Scene.Item d : scene.distractors()) {
            ds.addObject().put("color", d.colour().en()).put("category", d.category().en());
        }
        o.put("n_distractors", scene.distractors().size());
        ArrayNode names = o.putArray("title_names");
        for (String n : List.of(SceneSampler.COLOR, SceneSampler.CATEGORY)) {
            if (scene.titleNames().contains(n)) {
                names.add(n);
            }
        }
        ArrayNode gifts = o.putArray("gift_colors");
        scene.giftColours().forEach(gifts::add);
        o.put("n_occluders", (int) scene.items().stream().filter(i -> !i.isProduct()).count());
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String namesKey(Scene scene) {
        return scene.titleNames().size() == 2 ? "color+category" : scene.titleNames().iterator().next();
    }

    /** Encodes an image as baseline JPEG with the given quality. */
    public static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Encodes a 0/255 mask (row-major bytes) as an 8-bit greyscale PNG. */
    public static byte[] maskPng(byte[] mask, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, width, height, mask);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
