import Testing
import TriageData
import Tensors
@testable import Triage

/// Logits and loss of a tiny Qwen3 against an independent float64 numpy re-implementation of transformers'
/// `Qwen3ForCausalLM` forward (RMSNorm, QK-norm on the head dim before half-split RoPE, GQA via `repeat_kv`,
/// SwiGLU, tied or untied head). Weights come from an LCG both sides compute exactly. The reference values below
/// were printed by this script (numpy 2.4):
///
/// ```python
/// # Independent numpy re-implementation of transformers' Qwen3ForCausalLM forward (modeling_qwen3.py), float64.
/// import numpy as np
/// H, I, L, NH, NKV, D, V, EPS, THETA = 16, 24, 2, 4, 2, 6, 37, 1e-6, 10000.0
/// def w(k, shape, norm=False):
///     # LCG (Numerical Recipes constants) so Swift can regenerate the exact same float32 values.
///     state, out = k * 7919 + 1, []
///     for _ in range(int(np.prod(shape))):
///         state = (1664525 * state + 1013904223) % 2**32
///         u = (state >> 8) / 2**24 - 0.5                      # exact in float32: [-0.5, 0.5)
///         out.append(1 + 0.2 * u if norm else 0.8 * u)
///     return np.array(out, dtype=np.float32).astype(np.float64).reshape(shape)
/// names = ["model.embed_tokens.weight"]
/// for l in range(L):
///     for p in ["input_layernorm", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
///               "self_attn.q_norm", "self_attn.k_norm", "post_attention_layernorm", "mlp.gate_proj", "mlp.up_proj",
///               "mlp.down_proj"]:
///         names.append(f"model.layers.{l}.{p}.weight")
/// names += ["model.norm.weight", "lm_head.weight"]
/// shapes = {"embed_tokens": (V, H), "input_layernorm": (H,), "q_proj": (NH * D, H), "k_proj": (NKV * D, H),
///           "v_proj": (NKV * D, H), "o_proj": (H, NH * D), "q_norm": (D,), "k_norm": (D,),
///           "post_attention_layernorm": (H,), "gate_proj": (I, H), "up_proj": (I, H), "down_proj": (H, I),
///           "norm": (H,), "lm_head": (V, H)}
/// W = {}
/// for k, n in enumerate(names):
///     key = n.split(".")[-2]
///     W[n] = w(k, shapes[key], norm=key.endswith("norm"))
/// def rms(x, g): return g * (x / np.sqrt((x * x).mean(-1, keepdims=True) + EPS))
/// def rot(x): h = x.shape[-1] // 2; return np.concatenate([-x[..., h:], x[..., :h]], -1)
/// def forward(ids, tied):
///     T = len(ids); x = W["model.embed_tokens.weight"][ids]
///     inv = 1.0 / THETA ** (np.arange(0, D, 2) / D); f = np.outer(np.arange(T), inv); e = np.concatenate([f, f], -1)
///     cos, sin = np.cos(e), np.sin(e)
///     for l in range(L):
///         p = f"model.layers.{l}."
///         h = rms(x, W[p + "input_layernorm.weight"])
///         q = rms((h @ W[p + "self_attn.q_proj.weight"].T).reshape(T, NH, D), W[p + "self_attn.q_norm.weight"]).transpose(1, 0, 2)
///         k = rms((h @ W[p + "self_attn.k_proj.weight"].T).reshape(T, NKV, D), W[p + "self_attn.k_norm.weight"]).transpose(1, 0, 2)
///         v = (h @ W[p + "self_attn.v_proj.weight"].T).reshape(T, NKV, D).transpose(1, 0, 2)
///         q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
///         k, v = np.repeat(k, NH // NKV, 0), np.repeat(v, NH // NKV, 0)
///         s = q @ k.transpose(0, 2, 1) * D ** -0.5 + np.triu(np.full((T, T), -np.inf), 1)
///         a = np.exp(s - s.max(-1, keepdims=True)); a /= a.sum(-1, keepdims=True)
///         o = (a @ v).transpose(1, 0, 2).reshape(T, NH * D)
///         x = x + o @ W[p + "self_attn.o_proj.weight"].T
///         h = rms(x, W[p + "post_attention_layernorm.weight"])
///         g = h @ W[p + "mlp.gate_proj.weight"].T
///         x = x + ((g / (1 + np.exp(-g))) * (h @ W[p + "mlp.up_proj.weight"].T)) @ W[p + "mlp.down_proj.weight"].T
///     x = rms(x, W["model.norm.weight"])
///     return x @ (W["model.embed_tokens.weight"] if tied else W["lm_head.weight"]).T
/// ids = [3, 17, 0, 36, 8, 21, 5]
/// for tied in [True, False]:
///     z = forward(ids, tied)
///     lp = z - z.max(-1, keepdims=True); lp -= np.log(np.exp(lp).sum(-1, keepdims=True))
///     loss = -np.mean([lp[t, ids[t + 1]] for t in range(len(ids) - 1)])
///     print("tied" if tied else "untied", "loss", repr(float(loss)))
///     print("first", ", ".join(f"{v:.6f}" for v in z[0]))
///     print("last", ", ".join(f"{v:.6f}" for v in z[-1]))
/// ```
@Suite struct Qwen3ReferenceTests {
    static let tokens = [3, 17, 0, 36, 8, 21, 5]

    static let tiedLoss: Float = 4.156721412627059
    static let tiedFirst: [Float] = [-0.272564, -1.355338, 0.401777, 1.641841, 0.218160, -0.344998, 0.590755, -0.138748, -0.060863, -0.303199, -0.247044, 0.919903, 1.613670, 0.777724, -1.187678, -0.735341, -0.315022, -0.373402, 1.336729, 0.988807, 2.753968, 0.808469, 1.768103, 0.496575, -1.081948, -0.830616, -2.147761, -1.668539, -0.587073, -0.476852, 0.390717, -1.002089, -1.506018, 0.472654, 0.458354, -1.138842, -1.892618]
    static let tiedLast: [Float] = [0.331954, -0.890327, -0.061035, 1.070733, -0.781992, -0.557433, 0.281991, -1.089145, -0.001422, 0.110200, -0.114103, 0.680246, 1.632084, 1.562299, -0.833368, -0.463649, -0.718418, -0.643449, 0.719066, 0.337297, 2.249625, 1.085265, 1.132563, 1.288694, -1.873792, -0.125575, -2.649988, -1.456608, -1.157379, -0.732113, 0.559804, -1.330348, -2.193958, -0.573006, 0.757941, 0.245681, -1.282007]
    static let untiedLoss: Float = 3.771360768462017
    static let untiedFirst: [Float] = [1.346858, -0.941079, -0.160903, -0.792096, 0.851599, 0.836802, 1.769177, 1.393635, 0.371160, -0.053693, 0.394776, 0.304439, -0.700694, 0.848694, -0.317558, 0.632726, -1.610378, 0.566339, 0.711541, -0.573315, -0.510666, -0.452280, 0.401551, 1.796558, 0.088882, -1.251880, -0.179149, 0.629277, -0.648432, 1.576895, -1.645632, -0.764495, 0.385460, 1.395263, -1.273752, 0.773736, -1.075640]
    static let untiedLast: [Float] = [0.569489, -0.803021, 0.056968, -0.092201, 0.230872, 0.484783, 0.995780, 0.931403, 0.662676, -0.422537, 0.511806, -0.815607, 0.260309, 0.688060, -0.310794, 1.050516, -1.505613, 0.417436, 0.871900, -1.196831, -0.894903, -0.322427, -0.602829, 1.111532, 0.543677, -0.290651, -0.255118, 1.168010, -0.255735, 1.603660, -1.393064, 0.424052, -0.125051, 1.987986, -1.830950, 1.942219, -0.929461]

    /// The script's weights: tensor k in `names` order filled from an LCG seeded k·7919+1.
    static func referenceWeights() -> [String: Tensor] {
        let (h, i, v, heads, kvHeads, d) = (16, 24, 37, 4, 2, 6)
        let shapes: [String: [Int]] = [
            "embed_tokens": [v, h], "input_layernorm": [h], "q_proj": [heads * d, h], "k_proj": [kvHeads * d, h],
            "v_proj": [kvHeads * d, h], "o_proj": [h, heads * d], "q_norm": [d], "k_norm": [d],
            "post_attention_layernorm": [h], "gate_proj": [i, h], "up_proj": [i, h], "down_proj": [h, i],
            "norm": [h], "lm_head": [v, h],
        ]
        var names = ["model.embed_tokens.weight"]
        for layer in 0..<2 {
            for part in ["input_layernorm", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                         "self_attn.o_proj", "self_attn.q_norm", "self_attn.k_norm", "post_attention_layernorm",
                         "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"] {
                names.append("model.layers.\(layer).\(part).weight")
            }
        }
        names += ["model.norm.weight", "lm_head.weight"]
        var weights: [String: Tensor] = [:]
        for (k, name) in names.enumerated() {
            let parts = name.split(separator: ".")
            let key = String(parts[parts.count - 2])
            let shape = shapes[key]!
            var state = UInt32(truncatingIfNeeded: k * 7919 + 1)
            let values: [Float] = (0..<Tensor.elementCount(shape)).map { _ in
                state = 1_664_525 &* state &+ 1_013_904_223
                let u = Float(state >> 8) / 16_777_216 - 0.5
                return key.hasSuffix("norm") ? 1 + 0.2 * u : 0.8 * u
            }
            weights[name] = Tensor(shape: shape, scalars: values)
        }
        return weights
    }

    func check(tied: Bool, loss: Float, first: [Float], last: [Float]) throws {
        let config = Qwen3Config(hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 4,
                                 numKeyValueHeads: 2, headDim: 6, rmsNormEps: 1e-6, ropeTheta: 10_000,
                                 vocabSize: 37, tieWordEmbeddings: tied)
        let model = try Qwen3Model(config: config, weights: Self.referenceWeights())
        #expect(model.hasTiedEmbeddings == tied)
        let logits = model.logits([Self.tokens]).value
        let firstRow = Tensor(shape: [37], scalars: Array(logits.scalars[0..<37]))
        let lastRow = Tensor(shape: [37], scalars: Array(logits.scalars[(6 * 37)..<(7 * 37)]))
        #expect(firstRow.maxAbsDifference(Tensor(shape: [37], scalars: first)) < 2e-5)
        #expect(lastRow.maxAbsDifference(Tensor(shape: [37], scalars: last)) < 2e-5)
        let computed = model.causalLanguageModelLoss(inputIds: [Self.tokens], labels: [Self.tokens]).value.scalar
        #expect(abs(computed - loss) < 1e-5)
    }

    @Test func tiedLogitsAndLossMatchTheNumpyReferenceOfTransformersQwen3() throws {
        try check(tied: true, loss: Self.tiedLoss, first: Self.tiedFirst, last: Self.tiedLast)
    }

    @Test func untiedLogitsAndLossMatchTheNumpyReferenceOfTransformersQwen3() throws {
        try check(tied: false, loss: Self.untiedLoss, first: Self.untiedFirst, last: Self.untiedLast)
    }
}
