#!/usr/bin/env python3
"""Checks a tokenizer.json written by pipe's BytePairTrainer against Hugging Face `tokenizers`.

Usage: python3 check_trained.py TOKENIZER_JSON CORPUS_JSONL VOCAB_SIZE MIN_FREQUENCY SPECIAL_TOKENS_JSON
CORPUS_JSONL holds one {"text": ...} per line. Prints one JSON object:
  {"ids": [[...] per text, as HF encodes them with TOKENIZER_JSON],
   "hf_vocab": {...}, "hf_merges": [[a, b], ...]}   (what HF's own BpeTrainer learns from the same corpus)
Needs: pip install tokenizers
"""
import json, sys

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

QWEN_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def main():
    path, corpus, vocab_size, min_frequency, specials = sys.argv[1:6]
    texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8") if line.strip()]
    ours = Tokenizer.from_file(path)
    ids = [ours.encode(t).ids for t in texts]

    hf = Tokenizer(models.BPE())
    hf.normalizer = normalizers.NFC()
    hf.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN_PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    hf.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=int(vocab_size), min_frequency=int(min_frequency),
                                  special_tokens=json.loads(specials), show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    hf.train_from_iterator(texts, trainer)
    model = json.loads(hf.to_str())["model"]
    merges = [m.split(" ") if isinstance(m, str) else m for m in model["merges"]]
    json.dump({"ids": ids, "hf_vocab": model["vocab"], "hf_merges": merges}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
