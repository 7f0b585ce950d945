#!/usr/bin/env python3
"""Builds a small tokenizer whose Split pattern is Llama 3's (digits in runs of up to three), which pipe runs
through its regex fallback rather than a hand-written scanner, and records HF's ids for 600 texts.

Usage: python3 Tests/Fixtures/tokenizer/make_llama3_pattern_golden.py
Writes llama3-pattern-tokenizer.json and llama3-pattern-golden.jsonl beside this script. Needs: pip install tokenizers
"""
import json, os

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
           r"|\s*[\r\n]+|\s+(?!\S)|\s+")
texts = [json.loads(line)["text"] for line in open(os.path.join(HERE, "qwen-golden.jsonl"), encoding="utf-8")][:600]

tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(PATTERN), behavior="isolated"),
                                             pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
tok.decoder = decoders.ByteLevel()
tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=500, show_progress=False,
                                                   initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
path = os.path.join(HERE, "llama3-pattern-tokenizer.json")
tok.save(path)
loaded = Tokenizer.from_file(path)
with open(os.path.join(HERE, "llama3-pattern-golden.jsonl"), "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"text": t, "ids": loaded.encode(t).ids}, ensure_ascii=False) + "\n")
print(f"{path}: {len(texts)} texts")
