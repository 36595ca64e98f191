package org.mqn4j.io;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The element types of the safetensors format that mqn4j reads, with their size in the file and
 * the ND4J type they are read as. Half precision (F16, BF16) is widened to FLOAT on reading.
 */
public enum SafetensorsDtype {
    F64(8, DataType.DOUBLE),
    F32(4, DataType.FLOAT),
    F16(2, DataType.FLOAT),
    BF16(2, DataType.FLOAT),
    I64(8, DataType.LONG),
    I32(4, DataType.INT),
    I16(2, DataType.SHORT),
    I8(1, DataType.BYTE),
    U8(1, DataType.UBYTE),
    BOOL(1, DataType.BOOL);

    private final int bytes;
    private final DataType readAs;

    SafetensorsDtype(int bytes, DataType readAs) {
        this.bytes = bytes;
        this.readAs = readAs;
    }

    /** Bytes per element in the file. */
    public int bytes() {
        return bytes;
    }

    /** The ND4J type a tensor of this dtype is read as. */
    public DataType readAs() {
        return readAs;
    }

    /** The dtype named {@code code} in a header, or null if mqn4j does not know it. */
    public static SafetensorsDtype fromCode(String code) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(code)) {
                return d;
            }
        }
        return null;
    }

    /** The dtype an ND4J array of type {@code t} is written as, or null if it has none. */
    public static SafetensorsDtype forWriting(DataType t) {
        return switch (t) {
            case DOUBLE -> F64;
            case FLOAT -> F32;
            case HALF -> F16;
            case BFLOAT16 -> BF16;
            case LONG -> I64;
            case INT -> I32;
            case SHORT -> I16;
            case BYTE -> I8;
            case UBYTE -> U8;
            case BOOL -> BOOL;
            default -> null;
        };
    }
}
