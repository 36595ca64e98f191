package org.mqn4j.serve;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.data.MmpsSplitFile;
import org.mqn4j.data.Resize;
import org.mqn4j.data.SampleLoader;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.io.SafetensorsWriter;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.EncodedBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported model against the in-memory network fed by the training pipeline, in a fresh JVM. */
class MqnSegmenterTest {
    @TempDir
    static Path dir;
    static MqnNetwork net;
    static Path data;
    static Path model;

    @BeforeAll
    static void setUp() {
        net = TinyServe.network();
        data = TinyServe.dataset(dir.resolve("data"), 48, 4);
        model = dir.resolve("tiny.mqn");
        ExportedModel.of(net).write(model);
    }

    /** The in-memory network's probability [B,S,S] for records, with the trainer's preprocessing and tokenizer. */
    static float[][] reference(List<MmpsRecord> records) {
        int s = TinyServe.S;
        SampleLoader loader = new SampleLoader(data, s);
        float[] images = new float[records.size() * 3 * s * s];
        float[] masks = new float[records.size() * s * s];
        List<String> titles = new ArrayList<>();
        for (int b = 0; b < records.size(); b++) {
            loader.load(records.get(b), images, b * 3 * s * s, masks, b * s * s);
            titles.add(records.get(b).title());
        }
        EncodedBatch enc = BertTokenizer.builder().maxLength(TinyServe.T).build().encode(titles);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input", Nd4j.create(images, new long[]{records.size(), 3, s, s}, 'c'));
        ph.put("input_ids", enc.inputIds());
        ph.put("attention_mask", enc.attentionMask(DataType.INT64));
        INDArray p = net.sameDiff().output(ph, "probability").get("probability");
        float[][] out = new float[records.size()][];
        for (int b = 0; b < records.size(); b++) {
            out[b] = p.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)).dup('c').data().asFloat();
        }
        return out;
    }

    @Test
    void exportedModelInANewJvmGivesTheInMemoryMasks() throws Exception {
        List<MmpsRecord> records = MmpsSplitFile.read(data, "test").records();
        float[][] ref = reference(records);
        Path result = dir.resolve("child.safetensors");
        List<String> args = new ArrayList<>(List.of(model.toString(), result.toString()));
        for (MmpsRecord r : records) {
            args.add(r.image().toString());
            args.add(r.title());
        }
        runChild(args);
        int s = TinyServe.S;
        int foreground = 0;
        try (SafetensorsFile f = SafetensorsFile.open(result)) {
            for (int b = 0; b < records.size(); b++) {
                float[] childP = f.get("model_probability/" + b).dup('c').data().asFloat();
                assertArrayEquals(ref[b], childP, 1e-6f, "probability of " + records.get(b).id());
                float[] childMask = f.get("mask/" + b).dup('c').data().asFloat();
                // the mask at the original 48 px: the reference probability resized bilinearly, >= 0.5
                float[] up = Resize.bilinear(ref[b], s, s, 48, 48);
                assertEquals(48 * 48, childMask.length);
                for (int k = 0; k < up.length; k++) {
                    assertEquals(up[k] >= 0.5f ? 1f : 0f, childMask[k], "pixel " + k + " of " + records.get(b).id());
                    foreground += childMask[k] > 0 ? 1 : 0;
                }
            }
        }
        assertTrue(foreground > 0 && foreground < records.size() * 48 * 48, "masks are all one class: " + foreground);
    }

    /** Child side: model.mqn out.safetensors (image title)... */
    public static void main(String[] args) throws Exception {
        MqnSegmenter seg = MqnSegmenter.load(Path.of(args[0]));
        List<MqnSegmenter.Request> req = new ArrayList<>();
        for (int i = 2; i < args.length; i += 2) {
            req.add(new MqnSegmenter.Request(ImageDecoder.read(Path.of(args[i])), args[i + 1]));
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        List<Segmentation> res = seg.segment(req);
        for (int b = 0; b < res.size(); b++) {
            Segmentation r = res.get(b);
            out.put("model_probability/" + b, Nd4j.createFromArray(r.modelProbability()));
            float[] m = new float[r.mask().length];
            for (int k = 0; k < m.length; k++) {
                m[k] = r.mask()[k] ? 1 : 0;
            }
            out.put("mask/" + b, Nd4j.createFromArray(m));
        }
        SafetensorsWriter.write(Path.of(args[1]), out, Map.of());
    }

    private static void runChild(List<String> args) throws Exception {
        Path log = dir.resolve("child.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), MqnSegmenterTest.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("child JVM failed:\n" + Files.readString(log));
        }
    }

    @Test
    void masksComeBackAtEachImagesSize() {
        MqnSegmenter seg = MqnSegmenter.load(model);
        int[][] sizes = {{50, 30}, {20, 70}, {36, 36}};
        for (int[] wh : sizes) {
            BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < wh[1]; y++) {
                for (int x = 0; x < wh[0]; x++) {
                    img.setRGB(x, y, (x * 5) << 16 | (y * 3) << 8 | ((x + y) & 255));
                }
            }
            Segmentation r = seg.segment(img, "红色杯子");
            assertEquals(wh[0], r.width());
            assertEquals(wh[1], r.height());
            assertEquals(wh[0] * wh[1], r.mask().length);
            assertEquals(wh[0], r.maskImage().getWidth());
            assertEquals(wh[1], r.maskImage().getHeight());
            float[] up = Resize.bilinear(r.modelProbability(), 36, 36, wh[1], wh[0]);
            assertArrayEquals(up, r.probability(), 0f);
            for (int k = 0; k < up.length; k++) {
                assertEquals(up[k] >= 0.5f, r.mask()[k]);
            }
            if (wh[0] == 36 && wh[1] == 36) {
                assertArrayEquals(r.modelMask(), r.mask());
            }
        }
    }

    @Test
    void relevanceIsTheVqlAttentionOverTheMaskOnRealTokens() {
        MqnSegmenter seg = MqnSegmenter.of(ExportedModel.of(net));
        MmpsRecord r0 = MmpsSplitFile.read(data, "test").records().get(0);
        MmpsRecord r = new MmpsRecord(r0.split(), r0.line(), r0.id(), r0.image(), r0.mask(), "红色杯子", r0.metadata());
        Segmentation res = seg.segment(List.of(new MqnSegmenter.Request(readImage(r), r.title()))).get(0);
        var enc = seg.tokenizer().encode(r.title());
        assertEquals(enc.realTokens(), res.tokens());
        assertEquals(enc.length(), res.relevance().length);
        assertTrue(enc.length() < TinyServe.T, "title must leave padding for this test");
        double sum = 0;
        for (double v : res.relevance()) {
            assertTrue(v >= 0);
            sum += v;
        }
        assertEquals(1.0, sum, 1e-9);

        // reference with ND4J ops: each stage's A [N,T] averaged over the rows whose pixel's nearest
        // S x S source pixel is in the predicted mask, then the stages averaged
        int s = TinyServe.S;
        float[][] ref = reference(List.of(r));
        SampleLoader loader = new SampleLoader(data, s);
        float[] images = new float[3 * s * s];
        loader.load(r, images, 0, new float[s * s], 0);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input", Nd4j.create(images, new long[]{1, 3, s, s}, 'c'));
        ph.put("input_ids", Nd4j.createFromArray(new long[][]{enc.idsAsLong()}));
        long[] am = new long[TinyServe.T];
        for (int k = 0; k < am.length; k++) {
            am[k] = enc.attentionMask()[k];
        }
        ph.put("attention_mask", Nd4j.createFromArray(new long[][]{am}));
        List<String> names = net.attentionNames();
        assertEquals(4, names.size());
        Map<String, INDArray> out = net.sameDiff().output(ph, names.toArray(new String[0]));
        INDArray total = Nd4j.zeros(DataType.DOUBLE, TinyServe.T);
        for (String name : names) {
            INDArray a = out.get(name).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).castTo(DataType.DOUBLE); // [N,T]
            int side = (int) Math.round(Math.sqrt(a.size(0)));
            INDArray w = Nd4j.zeros(DataType.DOUBLE, a.size(0));
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int sy = (int) Math.floor(y * (s / (double) side));
                    int sx = (int) Math.floor(x * (s / (double) side));
                    w.putScalar(y * side + x, ref[0][sy * s + sx] >= 0.5f ? 1 : 0);
                }
            }
            if (w.sumNumber().doubleValue() == 0) {
                w.assign(1);
            }
            INDArray mean = w.reshape(1, -1).mmul(a).div(w.sumNumber()).reshape(-1); // [T]
            // rows are softmax over the real tokens only: padding gets (almost) nothing
            assertEquals(1.0, mean.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, enc.length())).sumNumber().doubleValue(), 1e-5);
            total.addi(mean.div(names.size()));
        }
        double realSum = total.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, enc.length())).sumNumber().doubleValue();
        for (int k = 0; k < enc.length(); k++) {
            assertEquals(total.getDouble(k) / realSum, res.relevance()[k], 1e-5, "token " + k + " " + res.tokens().get(k));
        }
        List<Segmentation.TokenScore> top = res.topTokens(3, true);
        assertTrue(top.size() <= 3 && !top.isEmpty());
        for (Segmentation.TokenScore t : top) {
            assertTrue(!t.token().equals("[CLS]") && !t.token().equals("[SEP]"));
        }
        for (int i = 1; i < top.size(); i++) {
            assertTrue(top.get(i - 1).score() >= top.get(i).score());
        }
    }

    @Test
    void twoThreadsOnOneSegmenterGetTheSequentialResults() throws Exception {
        MqnSegmenter seg = MqnSegmenter.load(model);
        List<MmpsRecord> records = MmpsSplitFile.read(data, "test").records();
        List<float[]> expected = new ArrayList<>();
        for (MmpsRecord r : records) {
            expected.add(seg.segment(readImage(r), r.title()).modelProbability());
        }
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int offset = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 6; i++) {
                        int k = (i + offset) % records.size();
                        MmpsRecord r = records.get(k);
                        assertArrayEquals(expected.get(k), seg.segment(readImage(r), r.title()).modelProbability(), 0f);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(120_000);
        }
        assertTrue(errors.isEmpty(), () -> errors.get(0).toString());
    }

    /**
     * A model with channel_means keeps them through export and load: the loaded model's masks equal the in-memory
     * model's, and a dimmed, warmer copy of a picture (channel gains 0.5, 0.75, 1, rounded to 8 bits) gets about the
     * same probabilities, as the model sees both at the same channel means.
     */
    @Test
    void channelMeansTravelWithTheExport() {
        var cfg = TinyServe.config(org.mqn4j.fusion.MqnConfig.Variant.MQN).withChannelMeans(new float[]{150f, 140f, 130f});
        MqnNetwork n = MqnNetwork.build(cfg, false);
        Path f = dir.resolve("channel_means.mqn");
        ExportedModel.of(n).write(f);
        MqnSegmenter loaded = MqnSegmenter.load(f);
        assertArrayEquals(new float[]{150f, 140f, 130f}, loaded.model().config().channelMeans());
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        BufferedImage dim = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int r = 40 + x * 4, g = 60 + y * 5, b = (x * y) % 200 + 20;
                img.setRGB(x, y, r << 16 | g << 8 | b);
                dim.setRGB(x, y, Math.round(r * 0.5f) << 16 | Math.round(g * 0.75f) << 8 | b);
            }
        }
        float[] inMemory = MqnSegmenter.of(ExportedModel.of(n)).segment(img, "红色杯子").modelProbability();
        float[] fromFile = loaded.segment(img, "红色杯子").modelProbability();
        float[] dimmed = loaded.segment(dim, "红色杯子").modelProbability();
        double same = 0, light = 0;
        for (int i = 0; i < inMemory.length; i++) {
            same = Math.max(same, Math.abs(inMemory[i] - fromFile[i]));
            light = Math.max(light, Math.abs(fromFile[i] - dimmed[i]));
        }
        assertEquals(0, same, 1e-6);
        assertTrue(light < 5e-3, "dim warm light changed a probability by " + light);
    }

    @Test
    void variantsWithoutVqlGiveNoTokenScores() {
        var cfg = TinyServe.config(org.mqn4j.fusion.MqnConfig.Variant.VISION_ONLY);
        Path f = dir.resolve("vision_only.mqn");
        ExportedModel.of(MqnNetwork.build(cfg, false)).write(f);
        Segmentation r = MqnSegmenter.load(f).segment(new BufferedImage(20, 30, BufferedImage.TYPE_INT_RGB), "红色杯子");
        assertEquals(0, r.relevance().length);
        assertEquals(List.of(), r.tokens());
        assertEquals(20 * 30, r.mask().length);
    }

    @Test
    void aBatchGivesTheSingleImageResults() {
        MqnSegmenter seg = MqnSegmenter.load(model);
        List<MmpsRecord> records = MmpsSplitFile.read(data, "test").records();
        List<MqnSegmenter.Request> req = new ArrayList<>();
        for (MmpsRecord r : records) {
            req.add(new MqnSegmenter.Request(readImage(r), r.title()));
        }
        req.add(new MqnSegmenter.Request(new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB), "")); // other size, empty title
        List<Segmentation> batch = seg.segment(req);
        assertEquals(req.size(), batch.size());
        for (int i = 0; i < req.size(); i++) {
            Segmentation one = seg.segment(req.get(i).image(), req.get(i).title());
            assertArrayEquals(one.modelProbability(), batch.get(i).modelProbability(), 1e-5f, "sample " + i);
            assertArrayEquals(one.relevance(), batch.get(i).relevance(), 1e-5, "sample " + i);
            assertEquals(one.tokens(), batch.get(i).tokens());
        }
        assertEquals(List.of("[CLS]", "[SEP]"), batch.get(req.size() - 1).tokens());
    }

    private static BufferedImage readImage(MmpsRecord r) {
        try {
            return ImageDecoder.read(r.image());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
