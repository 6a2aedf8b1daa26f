#!/usr/bin/env python3
"""Greenlight's PyTorch engine: one process per worker slot, speaking JSON lines on stdin/stdout (PROTOCOL.md).

Runs an Open-Sora-v1.1-shaped text-to-video pipeline - T5-style text encoder, STDiT-style spatial-temporal
denoiser with classifier-free guidance and a DDIM sampler, SD-style KL-f8 VAE decoder per frame - with random
weights (benchmark mode) or, when --checkpoint names a directory with a state dict, real weights. `--size tiny`
makes every part small enough for a CPU test; `--size opensora` has Open-Sora v1.1's shapes (for a GPU).
Frames are written raw (uint8 RGB) for the Java side to mux.
"""
import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {
    # text: vocab, width, layers, heads, tokens; dit: width, depth, heads; vae: base channels
    "tiny": dict(vocab=512, text_dim=32, text_layers=2, text_heads=4, text_tokens=32,
                 dit_dim=32, dit_depth=1, dit_heads=4, vae_ch=8),
    # Open-Sora v1.1: T5 v1.1 XXL (d 4096, 24 layers, 64 heads, 200 tokens), STDiT2-XL/2 (d 1152, 28 blocks,
    # 16 heads), SD KL-f8 decoder (base 128 channels)
    "opensora": dict(vocab=32128, text_dim=4096, text_layers=24, text_heads=64, text_tokens=200,
                     dit_dim=1152, dit_depth=28, dit_heads=16, vae_ch=128),
}


def attention(q, k, v, heads):
    b, n, d = q.shape
    m = k.shape[1]
    q = q.view(b, n, heads, d // heads).transpose(1, 2)
    k = k.view(b, m, heads, d // heads).transpose(1, 2)
    v = v.view(b, m, heads, d // heads).transpose(1, 2)
    if hasattr(F, "scaled_dot_product_attention"):
        o = F.scaled_dot_product_attention(q, k, v)
    else:  # PyTorch < 2.0
        w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // heads), dim=-1)
        o = w @ v
    return o.transpose(1, 2).reshape(b, n, d)


class Attn(nn.Module):
    def __init__(self, dim, heads, cross=False):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, context=None):
        h = self.norm(x)
        c = h if context is None else context
        k, v = self.kv(c).chunk(2, dim=-1)
        return x + self.o(attention(self.q(h), k, v, self.heads))


class MLP(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.up = nn.Linear(dim, 4 * dim)
        self.down = nn.Linear(4 * dim, dim)

    def forward(self, x):
        return x + self.down(F.gelu(self.up(self.norm(x))))


class TextEncoder(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.tokens = s["text_tokens"]
        self.vocab = s["vocab"]
        self.embed = nn.Embedding(s["vocab"], s["text_dim"])
        self.layers = nn.ModuleList([nn.ModuleList([Attn(s["text_dim"], s["text_heads"]), MLP(s["text_dim"])])
                                     for _ in range(s["text_layers"])])
        self.norm = nn.LayerNorm(s["text_dim"])

    def tokenize(self, prompt, device):
        ids = list(prompt.encode("utf-8"))[: self.tokens] or [0]
        ids = [i % self.vocab for i in ids] + [0] * (self.tokens - len(ids))  # padded to the fixed length, as T5
        return torch.tensor([ids], device=device)

    def forward(self, ids):
        x = self.embed(ids)
        for attn, mlp in self.layers:
            x = mlp(attn(x))
        return self.norm(x)


class STDiT(nn.Module):
    """Spatial attention within each frame, temporal attention across frames, cross-attention to the text."""

    def __init__(self, s):
        super().__init__()
        d = s["dit_dim"]
        self.dim = d
        self.patch_in = nn.Linear(4 * 2 * 2, d)
        self.text_proj = nn.Linear(s["text_dim"], d)
        self.time = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))
        self.blocks = nn.ModuleList([nn.ModuleList([Attn(d, s["dit_heads"]), Attn(d, s["dit_heads"]),
                                                    Attn(d, s["dit_heads"], cross=True), MLP(d)])
                                     for _ in range(s["dit_depth"])])
        self.norm = nn.LayerNorm(d)
        self.patch_out = nn.Linear(d, 4 * 2 * 2)

    def forward(self, x, t, text):
        b, f, c, h, w = x.shape  # latent: batch, frames, 4, H/8, W/8 (padded to even)
        p = x.reshape(b, f, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4, 6).reshape(b, f, (h // 2) * (w // 2), c * 4)
        tokens = self.patch_in(p)
        half = self.dim // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half, device=x.device) / half)
        temb = torch.cat([torch.sin(t * freqs), torch.cos(t * freqs)]).to(tokens.dtype)
        tokens = tokens + self.time(temb)
        ctx = self.text_proj(text)
        s = tokens.shape[2]
        for spatial, temporal, cross, mlp in self.blocks:
            tokens = spatial(tokens.reshape(b * f, s, -1)).reshape(b, f, s, -1)
            tt = temporal(tokens.permute(0, 2, 1, 3).reshape(b * s, f, -1))
            tokens = tt.reshape(b, s, f, -1).permute(0, 2, 1, 3)
            tokens = cross(tokens.reshape(b, f * s, -1), ctx.expand(b, -1, -1)).reshape(b, f, s, -1)
            tokens = mlp(tokens)
        out = self.patch_out(self.norm(tokens))
        return out.reshape(b, f, h // 2, w // 2, c, 2, 2).permute(0, 1, 4, 2, 5, 3, 6).reshape(b, f, c, h, w)


class VAEDecoder(nn.Module):
    """KL-f8-style decoder: 4 latent channels to RGB, three x2 upsamplings."""

    def __init__(self, s):
        super().__init__()
        ch = s["vae_ch"]
        chans = [4 * ch // 4 * 4, ch * 4, ch * 2, ch]
        self.inp = nn.Conv2d(4, chans[1], 3, padding=1)
        self.ups = nn.ModuleList([nn.Conv2d(chans[i], chans[i + 1], 3, padding=1) for i in range(1, 3)] +
                                 [nn.Conv2d(chans[3], chans[3], 3, padding=1)])
        self.out = nn.Conv2d(chans[3], 3, 3, padding=1)

    def forward(self, z):
        x = F.silu(self.inp(z))
        for conv in self.ups:
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
            x = F.silu(conv(x))
        return torch.sigmoid(self.out(x))


class Protocol:
    def __init__(self, inp, out, energy_log=None):
        self.inp = inp
        self.out = out
        self.energy_log = energy_log
        self.phase = None

    def send(self, **msg):
        self.out.write(json.dumps(msg) + "\n")
        self.out.flush()

    def receive(self):
        line = self.inp.readline()
        if not line:
            raise EOFError("host closed stdin")
        return json.loads(line)

    def mark(self, job_id, phase):
        """With --energy-log: notes the GPU's energy counter (pynvml) as a phase starts ("end" after the last)."""
        if self.energy_log is not None:
            self.energy_log.mark(job_id, phase)
        if phase == "end":
            self.phase = None

    def boundary(self, job_id, phase, step=0, steps=0):
        """Reports a boundary and waits for the host: True to go on, False when the job was cancelled."""
        if phase != self.phase:
            self.phase = phase
            self.mark(job_id, phase)
        self.send(type="boundary", job_id=job_id, phase=phase, step=step, steps=steps)
        reply = self.receive()
        return reply.get("type") == "continue"


# The counter poller of --energy-log, a separate process so that the engine's GIL never delays it.
COUNTER_POLLER = r"""
import json, os, sys, time
import pynvml
pynvml.nvmlInit()
handle = pynvml.nvmlDeviceGetHandleByIndex(int(sys.argv[2]))
parent, last = os.getppid(), None
with open(sys.argv[1], "a", buffering=1) as out:
    while os.getppid() == parent:
        before = time.time()
        mj = pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)
        if mj != last:
            out.write(json.dumps([before, mj, round(1000 * (time.time() - before), 3)]) + "\n")
            last = mj
        time.sleep(0.001)
"""


class EnergyLog:
    """The GPU's total-energy counter read through pynvml, an independent reading to check the Java NVML sensor's
    attribution against (docs/benchmarks.md). One JSON line per phase start and at the end of a job in FILE (job_id,
    phase, unix time, mJ read at that moment); and, since the counter moves in steps, a separate process polls it
    every millisecond and appends each step to FILE.steps ([unix time of the read that first saw it, mJ, that
    read's duration in ms]). Without pynvml or a GPU, `mj`
    is null, only the times are logged and there are no steps."""

    def __init__(self, path, device_index):
        self.file = open(path, "a", buffering=1)
        self.handle = None
        try:
            import pynvml
            pynvml.nvmlInit()
            self.handle = pynvml.nvmlDeviceGetHandleByIndex(device_index)
            self.read = lambda: pynvml.nvmlDeviceGetTotalEnergyConsumption(self.handle)
            subprocess.Popen([sys.executable, "-c", COUNTER_POLLER, path + ".steps", str(device_index)])
        except Exception as e:  # no pynvml, no driver: times only
            print(f"energy log without pynvml: {type(e).__name__}: {e}", file=sys.stderr)

    def mark(self, job_id, phase):
        now = time.time()
        mj = self.read() if self.handle is not None else None
        self.file.write(json.dumps(dict(job_id=job_id, phase=phase, t=now, mj=mj)) + "\n")


def ddim_alphas(steps, device):
    betas = torch.linspace(1e-4, 0.02, 1000, device=device, dtype=torch.float64)
    alpha_bar = torch.cumprod(1 - betas, dim=0)
    ts = [int(round(999 * (1 - i / steps))) for i in range(steps)]
    return alpha_bar, ts


class Engine:
    def __init__(self, size, device, checkpoint, dtype):
        s = SIZES[size]
        torch.manual_seed(20261126)
        self.device = torch.device(device)
        self.dtype = dtype
        # PyTorch 2 can create the modules on the GPU directly (random init of T5-XXL's 4.8 B parameters on
        # the CPU takes minutes); PyTorch 1.13 (Debian, CPU tests) builds them where it can.
        on_device = self.device if self.device.type != "cpu" and hasattr(torch.device, "__enter__") else contextlib.nullcontext()
        with on_device:
            self.text = TextEncoder(s).to(self.device, dtype).eval()
            self.dit = STDiT(s).to(self.device, dtype).eval()
            self.vae = VAEDecoder(s).to(self.device, dtype).eval()
        if checkpoint:
            state = torch.load(os.path.join(checkpoint, "greenlight.pt"), map_location=self.device)
            self.text.load_state_dict(state["text"])
            self.dit.load_state_dict(state["dit"])
            self.vae.load_state_dict(state["vae"])

    def sync(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize()

    @torch.no_grad()
    def run(self, req, proto):
        job = req["job_id"]
        frames, steps = req["frames"], req["steps"]
        lh, lw = math.ceil(req["height"] / 8), math.ceil(req["width"] / 8)
        ph, pw = lh + lh % 2, lw + lw % 2  # padded to whole 2x2 patches
        timings = {}
        t0 = time.time()
        if not proto.boundary(job, "encode"):
            return None
        cond = self.text(self.text.tokenize(req["prompt"], self.device))
        uncond = self.text(self.text.tokenize("", self.device))
        text = torch.cat([cond, uncond])  # classifier-free guidance: one batch of two
        self.sync()
        timings["encode"] = time.time() - t0
        g = torch.Generator(device="cpu").manual_seed(int(req.get("seed") or 0))
        x = torch.randn((1, frames, 4, ph, pw), generator=g).to(self.device, self.dtype)
        alpha_bar, ts = ddim_alphas(steps, self.device)
        t1 = time.time()
        for i, t in enumerate(ts):
            if not proto.boundary(job, "denoise", i + 1, steps):
                return None
            eps = self.dit(torch.cat([x, x]), torch.tensor(float(t), device=self.device), text)
            e_cond, e_uncond = eps.chunk(2)
            eps = e_uncond + req.get("guidance", 4.0) * (e_cond - e_uncond)
            a = alpha_bar[t]
            a_prev = alpha_bar[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0, dtype=torch.float64)
            x0 = ((x.double() - (1 - a).sqrt() * eps.double()) / a.sqrt()).clamp(-3, 3)
            x = (a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps.double()).to(self.dtype)
        self.sync()
        timings["denoise"] = time.time() - t1
        t2 = time.time()
        if not proto.boundary(job, "decode"):
            return None
        out_path = os.path.join(req["output_dir"], "frames.rgb")
        os.makedirs(req["output_dir"], exist_ok=True)
        with open(out_path, "wb") as out:
            for start in range(0, frames, 4):  # micro-batches of 4 frames, as Open-Sora's decoder
                rgb = self.vae(x[0, start:start + 4].to(self.dtype))
                rgb = rgb[:, :, : req["height"], : req["width"]]
                out.write((rgb.float().clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1).contiguous().cpu().numpy().tobytes())
        self.sync()
        timings["decode"] = time.time() - t2
        proto.mark(job, "end")
        return dict(frames_file=out_path, seconds=timings)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=sorted(SIZES), default="tiny")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--checkpoint", default="")
    ap.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    ap.add_argument("--energy-log", default="", help="append pynvml energy readings at phase boundaries (a check)")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    gpu = torch.device(args.device)
    # NVML counts GPUs in PCI bus order and ignores CUDA_VISIBLE_DEVICES, which the host sets to this slot's GPU
    visible = [v.strip() for v in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if v.strip()]
    nvml_index = int(visible[gpu.index or 0]) if visible and all(v.isdigit() for v in visible) else (gpu.index or 0)
    energy_log = EnergyLog(args.energy_log, nvml_index) if args.energy_log else None
    proto = Protocol(sys.stdin, sys.stdout, energy_log)
    engine = Engine(args.size, args.device, args.checkpoint, getattr(torch, args.dtype))
    proto.send(type="ready", engine="torch", size=args.size, device=args.device, torch=torch.__version__,
               checkpoint=bool(args.checkpoint))
    while True:
        try:
            msg = proto.receive()
        except EOFError:
            return
        if msg.get("type") == "shutdown":
            return
        if msg.get("type") != "run":
            proto.send(type="error", message="expected run or shutdown, got " + str(msg.get("type")))
            continue
        try:
            result = engine.run(msg, proto)
        except Exception as e:  # the host retries the job; this process stays usable
            proto.send(type="error", job_id=msg.get("job_id"), message=f"{type(e).__name__}: {e}")
            continue
        if result is None:
            proto.send(type="cancelled", job_id=msg["job_id"])
        else:
            proto.send(type="done", job_id=msg["job_id"], **result)


if __name__ == "__main__":
    main()
