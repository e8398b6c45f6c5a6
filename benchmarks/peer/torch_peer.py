#!/usr/bin/python3
"""A PyTorch-eager peer for `./zero4j bench`: the same decoder (Qwen2 shape: RMSNorm, RoPE, grouped-query
attention with q/k/v bias, SwiGLU MLP, tied head), random float32 weights, the same thread count, timed the
same way (warm-up, then medians): decode steps over a 128-token KV cache at batch 1/8/64, prefill of 8 x 128,
and a bare forward + backward (next-token log-probabilities of the completion tokens) over the bench's
GRPO micro-batch (P x G rows of prompt + completion tokens). Prints one JSON object.

    /usr/bin/python3 benchmarks/peer/torch_peer.py --model qwen2.5-0.5b --threads 2 [--rows 8 --prompt-length 20 --completion-length 32]

Needs only Debian's python3-torch and an optimized BLAS (no transformers): the model is written here,
in ~60 lines. `apt-get install python3-torch libopenblas0-openmp`: Debian builds torch against the
generic BLAS interface, and without OpenBLAS behind it a matmul runs the reference BLAS (measured
4 GFLOP/s against 152 with OpenBLAS on 2 cores), which would make any comparison meaningless.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

SHAPES = {  # hidden, intermediate, layers, heads, kv heads, vocab
    "toy": (256, 640, 6, 4, 2, 261),
    "qwen2.5-0.5b": (896, 4864, 24, 14, 2, 151936),
    "qwen2.5-1.5b": (1536, 8960, 28, 12, 2, 151936),
}


class Decoder(torch.nn.Module):
    def __init__(self, hidden, inter, layers, heads, kv, vocab):
        super().__init__()
        self.h, self.nh, self.nkv, self.d = hidden, heads, kv, hidden // heads
        self.embed = torch.nn.Parameter(torch.randn(vocab, hidden) * 0.02)
        mk = lambda o, i: torch.nn.Parameter(torch.randn(o, i) * 0.02)
        self.layers = torch.nn.ModuleList()
        for _ in range(layers):
            l = torch.nn.Module()
            l.q, l.k, l.v = mk(heads * self.d, hidden), mk(kv * self.d, hidden), mk(kv * self.d, hidden)
            l.qb, l.kb, l.vb = (torch.nn.Parameter(torch.zeros(n)) for n in (heads * self.d, kv * self.d, kv * self.d))
            l.o, l.gate, l.up, l.down = mk(hidden, heads * self.d), mk(inter, hidden), mk(inter, hidden), mk(hidden, inter)
            l.n1, l.n2 = torch.nn.Parameter(torch.ones(hidden)), torch.nn.Parameter(torch.ones(hidden))
            self.layers.append(l)
        self.norm = torch.nn.Parameter(torch.ones(hidden))
        self.inv_freq = 1.0 / (1e6 ** (torch.arange(0, self.d, 2).float() / self.d))

    @staticmethod
    def rms(x, w):
        return w * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)

    def rope(self, x, pos):  # x [B, n, T, D], pos [T]
        f = torch.outer(pos.float(), self.inv_freq)
        cos, sin = torch.cat([f, f], -1).cos(), torch.cat([f, f], -1).sin()
        x1, x2 = x[..., : self.d // 2], x[..., self.d // 2:]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    def forward(self, ids, cache=None, start=0):  # returns final-normed hidden states [B, T, H]
        b, t = ids.shape
        x = self.embed[ids]
        pos = torch.arange(start, start + t)
        for i, l in enumerate(self.layers):
            y = self.rms(x, l.n1)
            q = F.linear(y, l.q, l.qb).view(b, t, self.nh, self.d).transpose(1, 2)
            k = F.linear(y, l.k, l.kb).view(b, t, self.nkv, self.d).transpose(1, 2)
            v = F.linear(y, l.v, l.vb).view(b, t, self.nkv, self.d).transpose(1, 2)
            q, k = self.rope(q, pos), self.rope(k, pos)
            if cache is not None:
                cache[i][0][:, :, start:start + t], cache[i][1][:, :, start:start + t] = k, v
                k, v = cache[i][0][:, :, : start + t], cache[i][1][:, :, : start + t]
            rep = self.nh // self.nkv
            k, v = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
            scores = q @ k.transpose(-1, -2) / math.sqrt(self.d)                      # [B, nH, T, S]
            if t > 1:
                s = k.shape[2]
                scores = scores.masked_fill(torch.ones(t, s, dtype=torch.bool).triu(s - t + 1), float("-inf"))
            a = scores.softmax(-1) @ v                                                # [B, nH, T, D]
            x = x + F.linear(a.transpose(1, 2).reshape(b, t, self.h), l.o)
            y = self.rms(x, l.n2)
            x = x + F.linear(F.silu(F.linear(y, l.gate)) * F.linear(y, l.up), l.down)
        return self.rms(x, self.norm)


def median_seconds(fn, warmup_s=2.0, warmup=2, measured=5):
    end, n = time.perf_counter() + warmup_s, 0
    while n < warmup or time.perf_counter() < end:
        fn()
        n += 1
    times = []
    for _ in range(measured):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="toy", choices=sorted(SHAPES))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rows", type=int, default=8)
    p.add_argument("--prompt-length", type=int, default=20)
    p.add_argument("--completion-length", type=int, default=32)
    a = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    hidden, inter, layers, heads, kv, vocab = SHAPES[a.model]
    m = Decoder(hidden, inter, layers, heads, kv, vocab)
    big = hidden >= 896
    out = {"peer": "pytorch eager " + torch.__version__, "model": a.model, "threads": a.threads,
           "decode_tokens_per_s": {}}
    context = 128
    with torch.no_grad():
        for batch in (1, 8, 64):
            cache = [(torch.zeros(batch, kv, context + 1, hidden // heads), torch.zeros(batch, kv, context + 1, hidden // heads))
                     for _ in range(layers)]
            m(torch.randint(vocab, (batch, context)), cache, 0)
            ids = torch.randint(vocab, (batch, 1))
            s = median_seconds(lambda: (m(ids, cache, context)[:, -1] @ m.embed.T).float().numpy(),
                               measured=5 if big else 20)
            out["decode_tokens_per_s"][str(batch)] = batch / s
        ids = torch.randint(vocab, (8, context))
        s = median_seconds(lambda: (m(ids)[:, -1] @ m.embed.T).numpy(), warmup_s=0, warmup=1, measured=3)
        out["prefill_tokens_per_s"] = 8 * context / s
    seq = torch.randint(vocab, (a.rows, a.prompt_length + a.completion_length))

    def train():
        hiddens = m(seq)[:, a.prompt_length - 1: -1]                              # [B, C, H] predicting completions
        logp = torch.log_softmax(hiddens @ m.embed.T, -1).gather(-1, seq[:, a.prompt_length:, None])
        (-logp.mean()).backward()
        m.zero_grad(set_to_none=False)

    s = median_seconds(train, warmup_s=0, warmup=1, measured=3)
    out["train_tokens_per_s"] = a.rows * (a.prompt_length + a.completion_length) / s
    print(json.dumps(out))


if __name__ == "__main__":
    main()
