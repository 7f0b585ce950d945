#!/usr/bin/env python3
"""Builds a small GPT-2-style tokenizer (ByteLevel pre-tokenizer with its own regex and add_prefix_space) with
Hugging Face `tokenizers`, and records the ids it gives the first 600 texts of qwen-golden.jsonl.

Usage: python3 Tests/Fixtures/tokenizer/make_gpt2_style_golden.py
Writes gpt2-style-tokenizer.json and gpt2-style-golden.jsonl beside this script. Needs: pip install tokenizers
"""
import json, os

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
texts = [json.loads(line)["text"] for line in open(os.path.join(HERE, "qwen-golden.jsonl"), encoding="utf-8")][:600]

tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True)
tok.decoder = decoders.ByteLevel()
tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=500, special_tokens=["<|endoftext|>"], show_progress=False,
                                                   initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
path = os.path.join(HERE, "gpt2-style-tokenizer.json")
tok.save(path)
loaded = Tokenizer.from_file(path)
with open(os.path.join(HERE, "gpt2-style-golden.jsonl"), "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"text": t, "ids": loaded.encode(t).ids}, ensure_ascii=False) + "\n")
print(f"{path}: {len(texts)} texts")
