package org.mqn4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void vectorExtensionIsTheWidestFlag() {
        assertEquals("AVX-512", Machine.vectorExtension("fpu sse4_2 avx avx2 fma avx512f avx512bw"));
        assertEquals("AVX2", Machine.vectorExtension("fpu sse4_2 avx avx2 fma"));
        assertEquals("AVX", Machine.vectorExtension(" sse4_2 avx "));
        assertEquals("SSE4.2", Machine.vectorExtension("sse4_2"));
        assertEquals("AVX2", Machine.vectorExtension("avx2 fma avx2"), "a repeated flag is not an error");
        assertNull(Machine.vectorExtension("fp asimd evtstrm"));   // an ARM flags line
        assertNull(Machine.vectorExtension(null));
        assertNull(Machine.vectorExtension("avx512_vnni"), "avx512_vnni alone is not avx512f");
    }

    @Test
    void describeNamesTheProcessorCount() {
        String d = Machine.describe();
        assertTrue(d.contains(Runtime.getRuntime().availableProcessors() + " logical CPUs"), d);
    }
}
