package org.mqn4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mqn4j.fusion.MqnConfig.Variant;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table III from hand-made evaluation metrics: rows in the paper's order whatever the input order, percentages as given. */
class AblationTableTest {

    private static JsonNode metrics(double all, double with, double without) throws Exception {
        return new ObjectMapper().readTree(String.format(java.util.Locale.ROOT, """
                {"all": {"n": 5, "P@0.5": 60.0, "P@0.7": 40.0, "P@0.9": 0.0, "oIoU": 55.5, "mIoU": %s},
                 "with_distractors": {"n": 3, "P@0.5": 33.333333, "P@0.7": 0.0, "P@0.9": 0.0, "oIoU": 40.125, "mIoU": %s},
                 "without_distractors": {"n": 2, "P@0.5": 100.0, "P@0.7": 100.0, "P@0.9": 0.0, "oIoU": 80.0, "mIoU": %s}}
                """, all, with, without));
    }

    @Test
    void threeSectionsRowsInThePapersOrder() throws Exception {
        String md = AblationTable.markdown(List.of(
                new AblationTable.Row(Variant.MQN, metrics(70.004, 60, 85), null),
                new AblationTable.Row(Variant.VISION_ONLY, metrics(50, 40.126, 65), null),
                new AblationTable.Row(Variant.NO_VQL, null, "failed")));
        String expected = """
                ### All test images (n = 5)

                | method | LQV | VQL | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU |
                |---|:-:|:-:|---:|---:|---:|---:|---:|
                | Vision only |  |  | 60.00 | 40.00 | 0.00 | 55.50 | 50.00 |
                | +LQV (failed) | ✓ |  | – | – | – | – | – |
                | +LQV+VQL (MQN) | ✓ | ✓ | 60.00 | 40.00 | 0.00 | 55.50 | 70.00 |

                ### Images with distractors (n = 3)

                | method | LQV | VQL | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU |
                |---|:-:|:-:|---:|---:|---:|---:|---:|
                | Vision only |  |  | 33.33 | 0.00 | 0.00 | 40.13 | 40.13 |
                | +LQV (failed) | ✓ |  | – | – | – | – | – |
                | +LQV+VQL (MQN) | ✓ | ✓ | 33.33 | 0.00 | 0.00 | 40.13 | 60.00 |

                ### Images without distractors (n = 2)

                | method | LQV | VQL | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU |
                |---|:-:|:-:|---:|---:|---:|---:|---:|
                | Vision only |  |  | 100.00 | 100.00 | 0.00 | 80.00 | 65.00 |
                | +LQV (failed) | ✓ |  | – | – | – | – | – |
                | +LQV+VQL (MQN) | ✓ | ✓ | 100.00 | 100.00 | 0.00 | 80.00 | 85.00 |

                """;
        assertEquals(expected, md);
    }

    @Test
    void aSplitWithoutDistractorMetadataSaysSo() throws Exception {
        JsonNode m = new ObjectMapper().readTree("""
                {"all": {"n": 4, "P@0.5": 50, "P@0.7": 25, "P@0.9": 0, "oIoU": 50, "mIoU": 45},
                 "with_distractors": {"n": 0, "P@0.5": 0, "P@0.7": 0, "P@0.9": 0, "oIoU": 0, "mIoU": 0},
                 "without_distractors": {"n": 0, "P@0.5": 0, "P@0.7": 0, "P@0.9": 0, "oIoU": 0, "mIoU": 0}}
                """);
        String md = AblationTable.markdown(List.of(new AblationTable.Row(Variant.MQN, m, null)));
        assertTrue(md.contains("### Images with distractors (n = 0)\n\nNo such test images"), md);
        assertTrue(md.contains("| +LQV+VQL (MQN) | ✓ | ✓ | 50.00 | 25.00 | 0.00 | 50.00 | 45.00 |"), md);
    }
}
