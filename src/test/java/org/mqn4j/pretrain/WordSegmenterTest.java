package org.mqn4j.pretrain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.Vocabulary;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forward maximum matching on hand-segmented titles. */
class WordSegmenterTest {

    private static String show(List<List<String>> words) {
        StringBuilder sb = new StringBuilder();
        for (List<String> w : words) {
            sb.append(sb.length() == 0 ? "" : "|").append(String.join("", w));
        }
        return sb.toString();
    }

    @Test
    void vocabularyWordsStayWhole() {
        WordSegmenter s = WordSegmenter.of(Vocabulary.standard(), null);
        // 悦家 brand, 红色 colour, 杯子 category, 包邮 noise, 杯垫 gift item; 送 and 款 are single characters
        assertEquals("【|悦家|】|红色|杯子|包邮|送|蓝色|杯垫", show(s.segment("【悦家】红色杯子 包邮 送蓝色杯垫")));
        // T恤 is a category word (one word of two basic tokens)
        assertEquals("官方旗舰店|t恤|黑色|款", show(s.segment("官方旗舰店T恤黑色款")));
        // Latin words are one basic token each, lower-cased; "2025年" is a noise word of two tokens
        assertEquals("ins|风|2025年|350ml", show(s.segment("INS风 2025年 350ml")));
        assertEquals("", show(s.segment("")));
    }

    @Test
    void longestMatchWinsAndMatchingIsGreedyFromTheLeft() {
        WordSegmenter s = new WordSegmenter(List.of("官方", "官方旗舰店", "红色", "色杯", "杯子"));
        // T恤 is a category word (one word of two basic tokens)
        assertEquals("官方旗舰店|x", show(s.segment("官方旗舰店x")));
        assertEquals("官方|旗|舰", show(s.segment("官方旗舰")));
        // forward greedy: 红色 is taken first, so 色杯 never forms; 杯子 then matches
        assertEquals("红色|杯子", show(s.segment("红色杯子")));
        assertEquals("红|色杯|x", show(new WordSegmenter(List.of("色杯")).segment("红色杯x")));
    }

    @Test
    void matchesOnTokenBoundariesOnly() {
        WordSegmenter s = new WordSegmenter(List.of("Pro", "pro max"));
        assertEquals("product", show(s.segment("Product")));          // no match inside a Latin word
        assertEquals("promax|x", show(s.segment("PRO MAX x")));       // a two-token dictionary word
    }

    @Test
    void userDictionaryAddsWords(@TempDir Path dir) throws Exception {
        Path dict = dir.resolve("user.txt");
        Files.writeString(dict, "# jieba format: word freq tag\n保温杯 10 n\n\n不锈钢\n", StandardCharsets.UTF_8);
        assertEquals(List.of("保温杯", "不锈钢"), WordSegmenter.readDictionary(dict));
        assertEquals("不|锈|钢|保|温|杯", show(WordSegmenter.of(Vocabulary.standard(), null).segment("不锈钢保温杯")));
        assertEquals("不锈钢|保温杯", show(WordSegmenter.of(Vocabulary.standard(), dict).segment("不锈钢保温杯")));
    }
}
