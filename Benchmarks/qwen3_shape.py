"""The Python half of Benchmarks/bench-qwen3-shape.sh (issue 16, "Real Qwen3 shape").

  generate DIR TOKENIZER       a Qwen3ForCausalLM at Qwen3-0.6B's published config with seeded random weights,
                               saved (bf16 safetensors, as published) into DIR with the pipeline's tokenizer.json
  rows TOKENIZER SFT OUT N LEN the first N rows of SFT (data/split/sft.jsonl) whose prompt + completion is at least
                               LEN + 16 tokens, so both stacks cut every example to exactly LEN tokens
  peer DIR ROWS STEPS LEN      the PyTorch + PEFT peer: LoRA r 16, alpha 32, dropout 0.05 on the seven projections
                               of DIR's weights (f32 on CPU, 2 threads), AdamW, batch 1 x LEN tokens, completion-only
                               labels; prints one line per step: "step N seconds S tokens T loss L rss_mib R"
                               (GRADIENT_CHECKPOINTING=1: transformers' per-layer activation checkpointing)

Needs torch, transformers, safetensors, tokenizers (transformers' dependency) and peft (the LoRA peer).
"""
import json
import os
import sys
import time


def qwen3_0_6b_config():
    from transformers import Qwen3Config
    # Qwen/Qwen3-0.6B config.json as published on the hub.
    return Qwen3Config(
        hidden_size=1024, intermediate_size=3072, num_hidden_layers=28, num_attention_heads=16,
        num_key_value_heads=8, head_dim=128, vocab_size=151936, max_position_embeddings=40960,
        rms_norm_eps=1e-6, rope_theta=1000000.0, tie_word_embeddings=True, hidden_act="silu",
        attention_bias=False, attention_dropout=0.0, use_sliding_window=False, bos_token_id=151643,
        eos_token_id=151645, initializer_range=0.02, architectures=["Qwen3ForCausalLM"])


def generate(directory, tokenizer):
    import shutil
    import torch
    from transformers import Qwen3ForCausalLM
    torch.manual_seed(0)
    config = qwen3_0_6b_config()
    model = Qwen3ForCausalLM(config).to(torch.bfloat16)
    model.save_pretrained(directory, safe_serialization=True)
    shutil.copy(tokenizer, os.path.join(directory, "tokenizer.json"))
    count = sum(p.numel() for p in model.parameters())
    print(f"generated {directory}: {count / 1e6:.1f} M parameters (tied), bf16", file=sys.stderr)


def encode(tokenizer, row):
    return tokenizer.encode(row["prompt"], add_special_tokens=False).ids, \
        tokenizer.encode(row["completion"], add_special_tokens=False).ids


def rows(tokenizer_path, sft, out, count, length):
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(tokenizer_path)
    kept = []
    with open(sft) as f:
        for line in f:
            row = json.loads(line)
            prompt, completion = encode(tokenizer, row)
            if len(prompt) + len(completion) >= length + 16 and len(completion) < length // 2:
                kept.append(line)
                if len(kept) == count:
                    break
    with open(out, "w") as f:
        f.writelines(kept)


def peer(directory, rows_path, steps, length):
    import torch
    from peft import LoraConfig, get_peft_model
    from tokenizers import Tokenizer
    from transformers import Qwen3ForCausalLM
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = Qwen3ForCausalLM.from_pretrained(directory, dtype=torch.float32)
    if os.environ.get("GRADIENT_CHECKPOINTING") == "1":
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.config.use_cache = False
    model = get_peft_model(model, LoraConfig(
        r=16, lora_alpha=32, lora_dropout=0.05, task_type="CAUSAL_LM",
        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=2e-4, weight_decay=0.0)
    tokenizer = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    examples = []
    with open(rows_path) as f:
        for line in f:
            prompt, completion = encode(tokenizer, json.loads(line))
            ids = (prompt + completion)[-length:]  # prompt cut from the left, as TriageTextEncoder does
            labels = [-100] * (len(ids) - len(completion)) + completion
            examples.append((ids, labels))
    for step in range(steps):
        ids, labels = examples[step % len(examples)]
        start = time.perf_counter()
        loss = model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels])).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        seconds = time.perf_counter() - start
        print(f"step {step + 1} seconds {seconds:.3f} tokens {len(ids)} loss {loss.item():.4f} "
              f"rss_mib {resident_mib()}", flush=True)


def resident_mib():
    """The process's resident set now (VmRSS), in MiB: memory held while training, after loading's peak."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS:"))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "generate":
        generate(args[0], args[1])
    elif command == "rows":
        rows(args[0], args[1], args[2], int(args[3]), int(args[4]))
    elif command == "peer":
        peer(args[0], args[1], int(args[2]), int(args[3]))
    else:
        sys.exit(f"unknown command {command}")
