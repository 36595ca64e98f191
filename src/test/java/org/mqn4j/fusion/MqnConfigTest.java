package org.mqn4j.fusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.TextConfig;
import org.mqn4j.text.WordPieceVocab;
import org.mqn4j.util.MqnException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqnConfigTest {

    @Test
    void tinyConfigInline() {
        MqnConfig c = MqnConfig.load(Path.of("conf/mqn_tiny.yaml"));
        assertEquals(96, c.imageSize());
        assertEquals(64, c.maxTitleLength());
        assertArrayEquals(new int[]{1, 1, 1, 1}, c.swin().depths());
        assertEquals(32, c.swin().embedDim());
        assertEquals(4581, c.text().vocabSize());
        assertEquals("common", c.vocab());
        assertEquals(1.0, c.diceWeight());
        assertEquals(0.1, c.titleHeadsWeight());
        assertEquals(1, c.text().typeVocabSize());
        assertArrayEquals(new int[]{3, 4}, c.fusionStages());   // the demo fuses the coarse stages (results/demo-placement.md)
        assertEquals(MqnConfig.Variant.MQN, c.variant());
    }

    /** The paper's config names its Swin and text files; they resolve beside it. */
    @Test
    void paperConfigByPath() {
        MqnConfig c = MqnConfig.load(Path.of("conf/mqn_swin_b.yaml"));
        assertEquals(480, c.imageSize());
        assertEquals(SwinConfig.load(Path.of("conf/swin_b_w12.yaml")), c.swin());
        assertEquals(12, c.swin().windowSize());
        assertEquals(TextConfig.load(Path.of("conf/text_base.yaml")), c.text());
    }

    @Test
    void yamlRoundTripIgnoresTrainSection(@TempDir Path dir) throws Exception {
        MqnConfig c = TinyMqn.config(MqnConfig.Variant.NO_VQL).toBuilder().fusionStages(3, 1).fusionGateInit(0.25)
                .decoderFineDim(6).decoderNorm(Decoder.Norm.GROUP).groundingWeight(1).groundingCategoryStages(4, 3).build();
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, c.toYaml() + "train:\n  lr: 0.001\n  anything: [1, 2]\n");
        MqnConfig back = MqnConfig.load(f);
        assertEquals(c, back);
        assertArrayEquals(new int[]{1, 3}, back.fusionStages());
        assertEquals(0.25, back.fusionGateInit());
        assertEquals(6, back.decoderFineDim());
        assertEquals(Decoder.Norm.GROUP, back.decoderNorm());
        assertArrayEquals(new int[]{3, 4}, back.groundingCategoryStages());
        assertArrayEquals(new int[]{1, 2, 3, 4}, TinyMqn.config(MqnConfig.Variant.MQN).groundingCategoryStages());
        assertFalse(c.toBuilder().groundingCategoryStages(1, 2, 3, 4).build().toYaml().contains("grounding_category_stages"));
        assertEquals(Decoder.Norm.LAYER, TinyMqn.config(MqnConfig.Variant.MQN).decoderNorm());   // the default, as before the setting
        assertTrue(new ObjectMapper(new YAMLFactory()).readTree(c.toYaml()).has("model"));
    }

    /** channel_means: absent (none), "train" (pending) or three numbers, each read back from toYaml as written. */
    @Test
    void channelMeansRoundTrip(@TempDir Path dir) throws Exception {
        MqnConfig plain = TinyMqn.config(MqnConfig.Variant.MQN);
        assertEquals(null, plain.channelMeans());
        assertFalse(plain.toYaml().contains("channel_means"));
        MqnConfig pending = plain.toBuilder().channelMeans(new float[0]).build();
        assertTrue(pending.channelMeansPending());
        assertTrue(pending.toYaml().contains("channel_means: \"train\"") || pending.toYaml().contains("channel_means: train"),
                pending.toYaml());
        float[] m = {200.31f, 192.07f, 185.2f};
        MqnConfig measured = pending.withChannelMeans(m);
        assertFalse(measured.channelMeansPending());
        assertTrue(measured.toYaml().contains("200.31"), measured.toYaml());
        for (MqnConfig c : new MqnConfig[]{pending, measured}) {
            Path f = dir.resolve("c.yaml");
            Files.writeString(f, c.toYaml());
            assertEquals(c, MqnConfig.load(f));
        }
        assertArrayEquals(m, MqnConfig.load(dir.resolve("c.yaml")).channelMeans());
        assertFalse(measured.equals(plain) || measured.equals(pending));
        MqnConfig colour = measured.toBuilder().channelNorm(org.mqn4j.ops.ChannelMeanNorm.Mode.COLOUR).build();
        assertTrue(colour.toYaml().contains("channel_norm: \"colour\"") || colour.toYaml().contains("channel_norm: colour"), colour.toYaml());
        Files.writeString(dir.resolve("colour.yaml"), colour.toYaml());
        assertEquals(colour, MqnConfig.load(dir.resolve("colour.yaml")));
        assertFalse(colour.equals(measured));
        assertFalse(measured.toYaml().contains("channel_norm"), "means is the default");
        String tiny = Files.readString(Path.of("conf/mqn_tiny.yaml"));
        assertMessage(dir, tiny.replace("decoder_dim: 16", "decoder_dim: 16\n  channel_means: [200, 190]"), "channel_means");
        assertMessage(dir, tiny.replace("decoder_dim: 16", "decoder_dim: 16\n  channel_means: val"), "'train' or three numbers");
        assertMessage(dir, tiny.replace("decoder_dim: 16", "decoder_dim: 16\n  channel_means: [200, 0, 300]"), "(0, 255]");
        assertMessage(dir, tiny.replace("decoder_dim: 16", "decoder_dim: 16\n  channel_norm: colour"), "needs channel_means");
        assertMessage(dir, tiny.replace("decoder_dim: 16", "decoder_dim: 16\n  channel_means: train\n  channel_norm: grey"),
                "channel_norm 'grey'");
    }

    @Test
    void clearErrors(@TempDir Path dir) throws Exception {
        String tiny = Files.readString(Path.of("conf/mqn_tiny.yaml"));
        assertMessage(dir, tiny.replace("variant: mqn", "variant: lqv_only"), "variant 'lqv_only'");
        assertMessage(dir, tiny.replace("grounding_weight: 1.0", "grounding_weight: 1.0\n  grounding_category_stages: [3, 5]"),
                "grounding_category_stages stage 5");
        assertMessage(dir, tiny.replace("fusion_stages: [3, 4]", "fusion_stages: [0, 2]"), "fusion stage 0");
        assertMessage(dir, tiny.replace("decoder_dim: 16", "decoder_dims: 16"), "unknown model setting 'decoder_dims'");
        assertMessage(dir, tiny.replace("decoder_dim: 16", "decoder_dim: 16\n  decoder_fine_dim: -1"), "decoder_fine_dim");
        assertMessage(dir, tiny.replace("image_size: 96", "image_size: 97").replace("decoder_dim: 16",
                "decoder_dim: 16\n  decoder_fine_dim: 8"), "even image_size");
        assertMessage(dir, tiny.replace("decoder_norm: group", "decoder_norm: batch"), "decoder_norm 'batch'");
        assertMessage(dir, tiny.replace("max_title_length: 64", "max_title_length: 65"), "max_title_length 65");
        assertMessage(dir, tiny.replace("depths: [1, 1, 1, 1]", "depths: [1, 1, 1]"), "depths");
        assertMessage(dir, "train: {}\n", "'model:'");
        assertMessage(dir, "model:\n  swin: nowhere.yaml\n  text: {}\n", "nowhere.yaml");
    }

    @Test
    void vocabularyChoices(@TempDir Path dir) throws Exception {
        String tiny = Files.readString(Path.of("conf/mqn_tiny.yaml")).replace("  vocab: common\n", "");
        String size = "vocab_size: " + MqnConfig.load(Path.of("conf/mqn_tiny.yaml")).text().vocabSize();
        Path f = dir.resolve("common.yaml");
        Files.writeString(f, tiny.replace(size, "vocab_size: 4581").replaceFirst("(?m)^  seed: 0$", "  seed: 0\n  vocab: common"));
        assertEquals(WordPieceVocab.commonVocab().tokens(), MqnConfig.load(f).wordPieceVocab().tokens());
        // a vocab.txt beside the config, 5 tokens
        Files.writeString(dir.resolve("v.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n红\n");
        Path g = dir.resolve("file.yaml");
        Files.writeString(g, tiny.replace(size, "vocab_size: 5").replaceFirst("(?m)^  seed: 0$", "  seed: 0\n  vocab: v.txt"));
        MqnConfig c = MqnConfig.load(g);
        assertEquals(5, c.wordPieceVocab().size());
        assertEquals(dir.resolve("v.txt").toString(), c.vocab());
        assertMessage(dir, tiny.replace(size, "vocab_size: 25259").replaceFirst("(?m)^  seed: 0$", "  seed: 0\n  vocab: common"),
                "does not match the 4581 tokens");
        assertMessage(dir, tiny.replaceFirst("(?m)^  seed: 0$", "  seed: 0\n  vocab: missing.txt"), "missing.txt");
    }

    private static void assertMessage(Path dir, String yaml, String expected) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, yaml);
        MqnException e = assertThrows(MqnException.class, () -> MqnConfig.load(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
