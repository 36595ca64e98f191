package org.mqn4j.serve;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * STYLE.md's layering for serving: org.mqn4j.serve reaches neither train, eval, tune nor cli, and
 * org.mqn4j.eval not train; checked on the compiled classes' constant pools (every class a class
 * refers to is named there as {@code org/mqn4j/...}), so fully qualified uses count too.
 */
class ServeLayeringTest {

    private static List<String> violations(String pkg, List<String> forbidden) throws IOException {
        Path classes = Path.of(MqnSegmenter.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve(pkg);
        List<String> bad = new ArrayList<>();
        try (Stream<Path> s = Files.list(classes)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".class")).toList();
            assertFalse(files.isEmpty(), "no classes in " + classes);
            for (Path f : files) {
                String pool = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String b : forbidden) {
                    if (pool.contains(b)) {
                        bad.add(f.getFileName() + " refers to " + b);
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void serveNeedsNoTrainingCode() throws IOException {
        assertEquals(List.of(), violations("org/mqn4j/serve",
                List.of("org/mqn4j/train/", "org/mqn4j/eval/", "org/mqn4j/tune/", "org/mqn4j/cli/")));
    }

    @Test
    void evalDoesNotReachTrain() throws IOException {
        assertEquals(List.of(), violations("org/mqn4j/eval", List.of("org/mqn4j/train/", "org/mqn4j/tune/", "org/mqn4j/cli/")));
    }

    @Test
    void theCheckSeesReferences() throws IOException {
        // the cli package does use train: the scan must find it
        assertFalse(violations("org/mqn4j/cli", List.of("org/mqn4j/train/")).isEmpty());
    }
}
