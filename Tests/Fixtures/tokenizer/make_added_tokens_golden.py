#!/usr/bin/env python3
"""Builds a small byte-level tokenizer with added tokens of every flavour (special or not, normalized or not,
lstrip, rstrip, single_word) and records the ids Hugging Face `tokenizers` gives a set of tricky texts.

Usage: python3 Tests/Fixtures/tokenizer/make_added_tokens_golden.py
Writes added-tokens-tokenizer.json and added-tokens-golden.jsonl beside this script. Needs: pip install tokenizers
"""
import json, os

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
QWEN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
        r"|\s*[\r\n]+|\s+(?!\S)|\s+")

tok = Tokenizer(models.BPE())
tok.normalizer = normalizers.NFC()
tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(QWEN), behavior="isolated"),
                                             pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
tok.decoder = decoders.ByteLevel()
corpus = ["the patient has a fever and a cough", "le patient a de la fièvre et tousse", "mask the word here"] * 20
tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=320, special_tokens=["<|endoftext|>"], show_progress=False,
                                                    initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
tok.add_special_tokens([AddedToken("<mask>", lstrip=True, rstrip=False, special=True, normalized=False),
                        AddedToken("[SEP]", rstrip=True, special=True, normalized=False)])
tok.add_tokens([AddedToken("word", single_word=True, normalized=False),
                AddedToken("café", normalized=True),
                AddedToken("<t>", normalized=False), AddedToken("<tok>", normalized=False)])
path = os.path.join(HERE, "added-tokens-tokenizer.json")
tok.save(path)

texts = ["the <mask> here", "the   <mask>  here", "<mask>", "  <mask>", "x<mask>y", "[SEP]   next", "[SEP]\n\nnext",
         "a word here", "awordy", "words", "word", "(word)", "café", "cafe\u0301 au lait", "CAFÉ", "<tok><t><to",
         "<|endoftext|>the<|endoftext|>", "<mask><mask>[SEP][SEP]", "le patient a de la fièvre <mask> [SEP] café",
         "\u00a0<mask>", "\t[SEP]\t", "wordword word_word word1 1word"]
loaded = Tokenizer.from_file(path)
with open(os.path.join(HERE, "added-tokens-golden.jsonl"), "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"text": t, "ids": loaded.encode(t).ids}, ensure_ascii=False) + "\n")
print(f"{path}: {len(texts)} texts")
