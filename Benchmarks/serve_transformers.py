"""The peer of `triage-serve` for Benchmarks/bench-serve.sh: the same checkpoint served by Hugging Face transformers
(PyTorch, CPU) behind a minimal Python HTTP server doing the same scoring.

POST /v1/triage {"text", "lang"} -> {"label", "scores": {immediate, medium, delayed}}: the prompt is the model's
chat template over [system: the triage instruction in `lang`, user: text] (what TriagePrompt.prompt renders), kept
to its last max_length - 1 tokens and then to the room the longest label leaves, as evaluate does; the prompt runs
once with a KV cache, and each label word's log-probability is its first token's from the last row plus, for a
multi-token label, the rest fed on a copy of the cache (Qwen3Model.candidateLogProbabilities). One request at a
time per thread; the HTTP server is ThreadingHTTPServer.

Usage: python serve_transformers.py MODEL_DIR PORT [IMMEDIATE_BIAS] [MAX_LENGTH]
"""
import copy
import json
import os
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

# The system turns of TriagePrompt.instruction (Sources/TriageData/Records/TriagePrompt.swift); bench-serve.sh checks
# that both servers return the same scores for the same notes, which fails if these drift.
INSTRUCTIONS = {
    "en": "You are an emergency department triage nurse. Read the patient description and "
          "answer with one word for the urgency: immediate, medium or delayed.",
    "fr": "Vous êtes infirmier d'accueil et d'orientation aux urgences. Lisez la description du patient et "
          "répondez par un seul mot pour l'urgence : immediate, medium ou delayed.",
}
LABELS = ["immediate", "medium", "delayed"]

model_dir, port = sys.argv[1], int(sys.argv[2])
bias = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
max_length = int(sys.argv[4]) if len(sys.argv) > 4 else 256
# One intra-op thread by default: measured faster than two for these small matrices on the shared 2-core machine.
torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
tokenizer = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
label_ids = [tokenizer.encode(label, add_special_tokens=False) for label in LABELS]
room = max_length - max(len(ids) for ids in label_ids)


@torch.inference_mode()
def scores(text, lang):
    prompt = tokenizer.apply_chat_template([{"role": "system", "content": INSTRUCTIONS[lang]},
                                            {"role": "user", "content": text}],
                                           tokenize=False, add_generation_prompt=True)
    ids = tokenizer.encode(prompt, add_special_tokens=False)[-(max_length - 1):][-room:]
    out = model(torch.tensor([ids]), use_cache=True)
    first = torch.log_softmax(out.logits[0, -1].double(), -1)
    result = []
    for candidate in label_ids:
        total = first[candidate[0]].item()
        if len(candidate) > 1:
            branch = model(torch.tensor([candidate[:-1]]), past_key_values=copy.deepcopy(out.past_key_values),
                           use_cache=True)
            rows = torch.log_softmax(branch.logits[0].double(), -1)
            total += sum(rows[i - 1, candidate[i]].item() for i in range(1, len(candidate)))
        result.append(total)
    return result


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without TCP_NODELAY a keep-alive client waits out delayed ACKs.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        self.reply(200, {"status": "ready"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        s = scores(body["text"], body.get("lang", "en"))
        adjusted = [s[0] + bias] + s[1:]
        self.reply(200, {"label": LABELS[adjusted.index(max(adjusted))], "scores": dict(zip(LABELS, s))})

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
