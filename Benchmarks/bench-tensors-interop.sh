#!/usr/bin/env bash
# Interop check of the quantize product against the reference Python stack, side by side:
#   1. the official `safetensors` package writes a checkpoint; `quantize` reads it and writes NF4;
#   2. `safetensors` reads the NF4 output back (header, dtypes, shapes, {"format": "pt"});
#   3. an independent numpy decoder written from bitsandbytes' formulas (high nibble = even index,
#      absmax = nested_quant_map[absmax]·nested_absmax + nested_offset, value = quant_map[code]·absmax)
#      reconstructs every linear and is compared with the original: code agreement with a brute-force
#      nearest-code search, and the mean absolute error on N(0,1) weights (bitsandbytes publishes 0.0728).
#   4. `quantize --dequantize` output equals the numpy reconstruction exactly.
# Needs python3 with numpy and safetensors (pip install numpy safetensors).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && swift build -c release --product quantize >&2)
quantize="$root/.build/release/quantize"

python3 - "$work" <<'PY'
import json, sys
import numpy as np
from safetensors.numpy import save_file
work = sys.argv[1]
rng = np.random.default_rng(0)
tensors = {"model.embed_tokens.weight": rng.standard_normal((64, 1024)).astype(np.float32),
           "model.norm.weight": np.ones(1024, dtype=np.float32)}
for name in ["q_proj", "k_proj", "v_proj", "o_proj"]:
    tensors[f"model.layers.0.self_attn.{name}.weight"] = rng.standard_normal((1024, 1024)).astype(np.float32)
import os
os.makedirs(f"{work}/in")
save_file(tensors, f"{work}/in/model.safetensors", metadata={"format": "pt"})
json.dump({"model_type": "qwen3", "torch_dtype": "float32"}, open(f"{work}/in/config.json", "w"))
PY

start=$(date +%s.%N)
"$quantize" "$work/in" "$work/nf4"
end=$(date +%s.%N)
"$quantize" "$work/nf4" "$work/back" --dequantize --dtype f32 >/dev/null
echo "quantize wall time: $(python3 -c "print(f'{($end - $start) * 1000:.0f} ms')")"

python3 - "$work" <<'PY'
import json, sys
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file
work = sys.argv[1]
original = load_file(f"{work}/in/model.safetensors")
restored = load_file(f"{work}/back/model.safetensors")
with safe_open(f"{work}/nf4/model.safetensors", "np") as f:
    assert f.metadata() == {"format": "pt"}, f.metadata()
    for prefix in sorted({k[: -len(".weight")] for k in original if "_proj" in k}):
        state = json.loads(bytes(f.get_tensor(prefix + ".weight.quant_state.bitsandbytes__nf4")).decode())
        packed = f.get_tensor(prefix + ".weight")
        assert packed.dtype == np.uint8 and packed.shape[1] == 1
        quant_map = f.get_tensor(prefix + ".weight.quant_map")
        absmax = (f.get_tensor(prefix + ".weight.nested_quant_map")[f.get_tensor(prefix + ".weight.absmax")]
                  * np.repeat(f.get_tensor(prefix + ".weight.nested_absmax"), state["nested_blocksize"])[: packed.shape[0] * 2 // state["blocksize"]]
                  + np.float32(state["nested_offset"]))
        codes = np.empty(packed.size * 2, dtype=np.uint8)
        codes[0::2], codes[1::2] = packed[:, 0] >> 4, packed[:, 0] & 15
        n = state["shape"][0] * state["shape"][1]
        decoded = quant_map[codes[:n]] * np.repeat(absmax.astype(np.float32), state["blocksize"])[:n]
        weight = original[prefix + ".weight"].reshape(-1)
        blocks = weight.reshape(-1, state["blocksize"])
        nearest = np.abs((blocks / np.abs(blocks).max(axis=1, keepdims=True))[..., None] - quant_map).argmin(-1).reshape(-1)
        exact = np.array_equal(decoded.reshape(state["shape"]), restored[prefix + ".weight"])
        print(f"{prefix}: state {state['blocksize']}/{state['dtype']}/{state['shape']}  "
              f"codes = nearest {np.mean(nearest == codes[:n]) * 100:.3f}%  "
              f"MAE {np.abs(decoded - weight).mean():.4f} (bitsandbytes 0.0728)  dequantize == numpy decode: {exact}")
PY
