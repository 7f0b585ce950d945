"""Chat decode load for bench-serve.sh: N concurrent greedy completions of M tokens each against one server
(continuous batching vs --max-batch 1), repeated for a fixed number of rounds; prints generated tokens/s.

Usage: python3 serve_chat_load.py PORT CONCURRENCY MAX_TOKENS ROUNDS
"""
import json
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

port, concurrency, max_tokens, rounds = (int(a) for a in sys.argv[1:5])
body = json.dumps({"messages": [
    {"role": "system", "content": "You are an emergency department triage nurse. Read the patient description and "
                                  "list the clinical findings that set its urgency."},
    {"role": "user", "content": "58 year old man with crushing chest pain for 40 minutes, sweating, BP 90/60."}],
    "max_tokens": max_tokens, "temperature": 0.8, "seed": 1}).encode()


def one(i):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=120))["usage"]["completion_tokens"]


start = time.monotonic()
with ThreadPoolExecutor(concurrency) as pool:
    tokens = sum(pool.map(one, range(concurrency * rounds)))
elapsed = time.monotonic() - start
print(f"{tokens / elapsed:.0f} {tokens} {elapsed:.2f}")
