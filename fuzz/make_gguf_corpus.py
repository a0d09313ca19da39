#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/gguf_reader_fuzz into fuzz/corpus/gguf/.

The files are assembled here field by field, independently of optlm's
writer: a few tiny valid GGUF files (metadata of every type, tensors of
every supported type, versions 2 and 3, a custom alignment) and malformed
variants of them (truncated, hostile counts, bad offsets, unknown types).
Run it from anywhere; it is deterministic.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "gguf")

# (type id, block size, block bytes) of the supported tensor types.
TYPES = {"f32": (0, 1, 4), "f16": (1, 1, 2), "q4_0": (2, 32, 18), "q8_0": (8, 32, 34),
         "q4_K": (12, 256, 144), "q5_K": (13, 256, 176), "q6_K": (14, 256, 210),
         "bf16": (30, 1, 2)}


def s(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def kv(key, type_id, payload):
    return s(key) + struct.pack("<I", type_id) + payload


def align(n, a):
    return (n + a - 1) // a * a


def gguf(version, metadata, tensors, alignment=32, data_fill=None):
    """tensors: list of (name, type name, dims); data follows, aligned."""
    header = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(metadata))
    header += b"".join(metadata)
    offset = 0
    infos = b""
    sizes = []
    for name, type_name, dims in tensors:
        type_id, block, block_bytes = TYPES[type_name]
        count = 1
        for d in dims:
            count *= d
        size = count // block * block_bytes
        offset = align(offset, alignment)
        infos += s(name) + struct.pack("<I", len(dims)) + b"".join(
            struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", type_id, offset)
        sizes.append((offset, size))
        offset += size
    out = header + infos
    if not tensors:
        return out
    out += b"\0" * (align(len(out), alignment) - len(out))
    data = bytearray()
    for i, (start, size) in enumerate(sizes):
        data += b"\0" * (start - len(data))
        data += bytes(((i * 37 + j * 11) % 251) for j in range(size))
    return out + bytes(data)


def every_metadata_type():
    return [
        kv("general.architecture", 8, s("llama")),
        kv("u8", 0, struct.pack("<B", 7)), kv("i8", 1, struct.pack("<b", -7)),
        kv("u16", 2, struct.pack("<H", 700)), kv("i16", 3, struct.pack("<h", -700)),
        kv("llama.context_length", 4, struct.pack("<I", 64)),
        kv("i32", 5, struct.pack("<i", -70000)), kv("f32", 6, struct.pack("<f", 0.5)),
        kv("bool", 7, b"\x01"), kv("u64", 10, struct.pack("<Q", 1 << 40)),
        kv("i64", 11, struct.pack("<q", -(1 << 40))), kv("f64", 12, struct.pack("<d", 0.25)),
        kv("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 3) + s("<unk>") + s("<s>") + s("a")),
        kv("tokenizer.ggml.scores", 9, struct.pack("<IQ", 6, 3) + struct.pack("<3f", 0, 0, -1)),
        kv("tokenizer.ggml.token_type", 9, struct.pack("<IQ", 5, 3) + struct.pack("<3i", 2, 3, 1)),
        kv("nested", 9, struct.pack("<IQ", 9, 2) + struct.pack("<IQ", 0, 1) + b"\x05" +
           struct.pack("<IQ", 0, 0)),
    ]


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = every_metadata_type()
    all_types = [("t." + n, n, [256, 1]) for n in TYPES]
    valid3 = gguf(3, meta, all_types)
    write("valid-v3-all-types.gguf", valid3)
    write("valid-v2.gguf", gguf(2, meta[:3], [("w", "f32", [8, 2])]))
    write("valid-align64.gguf", gguf(3, [kv("general.alignment", 4, struct.pack("<I", 64))],
                                     [("a", "q8_0", [32]), ("b", "f16", [3, 1, 1, 2])], 64))
    write("valid-empty.gguf", gguf(3, [], []))
    write("valid-metadata-only.gguf", gguf(3, meta, []))
    write("truncated-header.gguf", valid3[:40])
    write("truncated-infos.gguf", valid3[:700])
    write("truncated-mid-data.gguf", valid3[:len(valid3) // 3])
    write("truncated-data.gguf", valid3[:-1])
    write("bad-magic.gguf", b"GGUX" + valid3[4:200])
    write("version1.gguf", b"GGUF" + struct.pack("<III", 1, 0, 0))
    write("big-endian.gguf", b"GGUF" + struct.pack(">IQQ", 3, 0, 0))
    write("huge-kv-count.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, (1 << 64) - 1) + b"\0" * 64)
    write("huge-tensor-count.gguf", b"GGUF" + struct.pack("<IQQ", 3, 1 << 62, 0) + b"\0" * 64)
    write("huge-string.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + s("k") +
          struct.pack("<IQ", 8, (1 << 63) + 5) + b"abc")
    write("huge-array.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + s("k") +
          struct.pack("<IIQ", 9, 12, 1 << 61) + b"\0" * 32)
    deep = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + s("deep") + struct.pack("<I", 9)
    deep += struct.pack("<IQ", 9, 1) * 64 + struct.pack("<IQ", 0, 0)
    write("deep-nesting.gguf", deep)
    write("bad-alignment.gguf", gguf(3, [kv("general.alignment", 4, struct.pack("<I", 24))],
                                     [("a", "f32", [4])]))
    one_tensor = b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + s("a") + struct.pack("<IQ", 1, 32)
    write("unknown-type.gguf", one_tensor + struct.pack("<IQ", 3, 0) + b"\0" * 192)
    write("bad-offset.gguf", one_tensor + struct.pack("<IQ", 0, 1 << 40) + b"\0" * 192)
    write("misaligned-offset.gguf", one_tensor + struct.pack("<IQ", 0, 8) + b"\0" * 192)
    write("zero-dim.gguf", b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + s("z") +
          struct.pack("<IQQIQ", 2, 32, 0, 0, 0) + b"\0" * 32)
    write("overflow-dims.gguf", b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + s("o") +
          struct.pack("<IQQQQIQ", 4, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 0, 0) + b"\0" * 32)


if __name__ == "__main__":
    main()
