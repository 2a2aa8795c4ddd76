#!/usr/bin/env python3
"""The PyTorch column of `scripts/bench`: the same models and steps as `guidance-bench`, timed in Python PyTorch.

Prints one JSON line per measurement, in the shape `guidance-bench` prints (impl "pytorch"), so that
`guidance-bench summary` can compare them side by side.

  python3 scripts/bench_torch.py engine   [--steps N] [--warmup N] [--threads N]
  python3 scripts/bench_torch.py guidance [--steps N] [--warmup N] [--threads N]

engine: ms per training step (forward, cross-entropy, backward, Adam step) of
  mlp      784-1024-1024-1024-10 with ReLU, batch 128
  convnet  [64, 3, 32, 32] -> conv 3->32, 32->64, 64->64 (3x3, padding 1, ReLU), 2x max pool after the first two,
           Linear 64*8*8 -> 10
guidance: a deep FCN target (8 blocks Linear(256) -> BatchNorm -> ReLU, Linear head) on MNIST-1D-shaped batches
  ([256, 1, 40], 10 classes; random values: the content does not change the cost) guided by an untrained plain CNN
  (4 x [Conv1d 32, k3, no bias -> BatchNorm -> ReLU], 2x max pool after every second, global average pool, Linear),
  as our `fcn` depth 8 width 256 and `cnn` defaults. Cases:
  unguided             the target alone
  reference            the reference algorithm: the target runs twice per step (once for the task loss, once with
                       forward hooks for CKA), the frozen guide once with hooks (eval mode, no grad); loss = CE +
                       sum over mapped pairs of (1 - linear CKA); one backward. Linear CKA computed as the reference
                       code does: Gram matrices centred as H K H with H = I - 11^T/n, HSIC evaluated three times.
  reference-cheap-cka  the same two-pass algorithm with linear CKA from column-centred activations in the cheaper
                       of the Gram and feature forms (what our SimilarityMeasure does)
  single-pass          our algorithm in PyTorch: taps captured during the one task forward pass, cheap CKA
Taps follow method.md section 3 (outputs of Linear, Conv and adaptive pooling, last one dropped) and the pairs
section 4's rule (guide tap i -> target tap min(round(i * step), n_t - 1)).
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def environment():
    """The same fields as `guidance-bench`'s `environment` (EngineEnvironment): BLAS, kernels, threads, CPU."""
    config = torch.__config__.show()
    blas, version = "unknown", ""
    if "Math Kernel Library Version" in config:
        blas = "MKL"
        version = config.split("Math Kernel Library Version", 1)[1].split("-", 1)[0].strip()
    elif "BLAS_INFO=open" in config:
        blas = "OpenBLAS"
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            info = dict(line.split(":", 1) for line in f.read().split("\n\n")[0].splitlines() if ":" in line)
        info = {k.strip(): v.strip() for k, v in info.items()}
        cpu = f"{info.get('model name', 'unknown')} (family {info.get('cpu family', '?')}, model {info.get('model', '?')})"
    except OSError:
        pass
    out = {"blas": blas, "blas_version": version, "threads": torch.get_num_threads(), "cpu": cpu,
           "blas_core_reason": f"{blas} chooses its own kernels"}
    try:
        out["aten_capability"] = torch.backends.cpu.get_cpu_capability()
    except AttributeError:
        pass
    return out


def record(suite, case, samples_ms, threads, phases=None, note=None):
    out = {
        "suite": suite, "case": case, "impl": "pytorch", "threads": threads, "steps": len(samples_ms),
        "median_ms": statistics.median(samples_ms), "min_ms": min(samples_ms), "max_ms": max(samples_ms),
        "note": note or f"torch {torch.__version__}", "environment": environment(),
    }
    if phases:
        out["phases_ms"] = phases
    print(json.dumps(out, sort_keys=True), flush=True)


def timed_steps(step, steps, warmup):
    samples = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        step()
        ms = (time.perf_counter() - start) * 1000
        if i >= warmup:
            samples.append(ms)
    return samples


# ---------------------------------------------------------------- engine

def engine(args):
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                        nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
    convnet = nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(64 * 8 * 8, 10))
    device = torch.device(args.device)
    for name, model, shape in [("mlp", mlp, (128, 784)), ("convnet", convnet, (64, 3, 32, 32))]:
        model.to(device)
        x = torch.randn(*shape).to(device)
        y = torch.randint(0, 10, (shape[0],)).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            if device.type == "cuda":
                torch.cuda.synchronize(device)

        note = None if device.type == "cpu" else f"torch {torch.__version__}, device {device} ({torch.cuda.get_device_name(device)})"
        record("engine", name, timed_steps(step, args.steps, args.warmup), args.threads, note=note)


# ---------------------------------------------------------------- guidance

class DenseBlock(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out)
        self.norm = nn.BatchNorm1d(n_out)

    def forward(self, x):
        return F.relu(self.norm(self.linear(x)))


class FCN(nn.Module):
    def __init__(self, n_in=40, depth=8, width=256, classes=10):
        super().__init__()
        self.blocks = nn.ModuleList([DenseBlock(n_in if i == 0 else width, width) for i in range(depth)])
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        h = x.flatten(1)
        for block in self.blocks:
            h = block(h)
        return self.head(h)


class PlainCNN(nn.Module):
    def __init__(self, channels=32, depth=4, pool_every=2, classes=10):
        super().__init__()
        layers, previous = [], 1
        for i in range(depth):
            layers += [nn.Conv1d(previous, channels, 3, padding=1, bias=False), nn.BatchNorm1d(channels), nn.ReLU()]
            if (i + 1) % pool_every == 0:
                layers.append(nn.MaxPool1d(2))
            previous = channels
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.head = nn.Linear(channels, classes)

    def forward(self, x):
        return self.head(self.pool(self.features(x)).flatten(1))


TAPPED = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d)


class Taps:
    """Forward hooks that record tapped modules' outputs in execution order while `on`."""

    def __init__(self, model):
        self.on, self.outputs = False, []
        for module in model.modules():
            if isinstance(module, TAPPED):
                module.register_forward_hook(self.hook)

    def hook(self, module, inputs, output):
        if self.on:
            self.outputs.append(output)

    def capture(self, model, x):
        self.on, self.outputs = True, []
        try:
            logits = model(x)
        finally:
            self.on = False
        return logits, [o.reshape(o.shape[0], -1) for o in self.outputs[:-1]]  # drop the head


def pairs(n_guide, n_target):
    step = (n_target - 1) / (n_guide - 1) if n_guide > 1 else 1
    mapping = {}
    for i in range(n_guide):
        mapping[min(round(i * step), n_target - 1)] = i  # several guide taps on one target tap: the last counts
    return sorted((g, t) for t, g in mapping.items())


def cka_reference(x, y):
    """Linear CKA as the reference code computes it: H K H centring, three HSIC evaluations."""
    n = x.shape[0]

    def centre(k):
        h = torch.eye(n, dtype=k.dtype) - torch.ones(n, n, dtype=k.dtype) / n
        return h @ k @ h

    def hsic(a, b):
        return torch.sum(centre(a @ a.T) * centre(b @ b.T))

    return hsic(x, y) / (torch.sqrt(hsic(x, x)) * torch.sqrt(hsic(y, y)))


def cka_cheap(x, y, eps=1e-8):
    """Linear CKA from column-centred activations, Gram or feature form, whichever is cheaper."""
    n, p, q = x.shape[0], x.shape[1], y.shape[1]
    xc, yc = x - x.mean(0, keepdim=True), y - y.mean(0, keepdim=True)
    if n * (p + q) <= p * q + p * p + q * q:
        k, l = xc @ xc.T, yc @ yc.T
        a, b, c = (k * l).sum(), (k * k).sum(), (l * l).sum()
    else:
        a, b, c = (xc.T @ yc).square().sum(), (xc.T @ xc).square().sum(), (yc.T @ yc).square().sum()
    return a / torch.sqrt(b * c + eps)


def fused_adam_available():
    """Whether this PyTorch takes Adam(fused=True) for CPU parameters."""
    try:
        parameter = torch.nn.Parameter(torch.zeros(2))
        parameter.grad = torch.ones(2)
        torch.optim.Adam([parameter], lr=1e-3, fused=True).step()
        return True
    except (RuntimeError, TypeError, ValueError):
        return False


def guidance(args):
    torch.manual_seed(0)
    n_train, batch = 3600, 256
    data_x, data_y = torch.randn(n_train, 1, 40), torch.randint(0, 10, (n_train,))
    cases = ["unguided", "reference", "reference-cheap-cka", "single-pass"]
    # The same single-pass step with Adam(fused=True) (one kernel per parameter, PyTorch ≥ 2.4 on the CPU) beside the
    # default Adam (one op per update term), as our engine's Adam is one pass.
    if fused_adam_available():
        cases.append("single-pass-fused-adam")
    for case in cases:
        target, guide = FCN(), PlainCNN()
        guide.eval()
        for parameter in guide.parameters():
            parameter.requires_grad_(False)
        target_taps, guide_taps = Taps(target), Taps(guide)
        optimizer = torch.optim.Adam(target.parameters(), lr=1e-3, **({"fused": True} if case.endswith("fused-adam") else {}))
        measure = cka_reference if case == "reference" else cka_cheap
        order, position = torch.randperm(n_train), [0]
        mapping = None

        def step():
            nonlocal mapping
            if position[0] + batch > n_train:
                order.copy_(torch.randperm(n_train))
                position[0] = 0
            index = order[position[0]:position[0] + batch]
            position[0] += batch
            x, y = data_x[index], data_y[index]
            if case == "unguided":
                loss = F.cross_entropy(target(x), y)
            else:
                with torch.no_grad():
                    _, g = guide_taps.capture(guide, x)
                if case.startswith("single-pass"):
                    logits, t = target_taps.capture(target, x)
                else:
                    logits = target(x)                       # pass 1: the task loss
                    _, t = target_taps.capture(target, x)    # pass 2: activations for CKA
                if mapping is None:
                    mapping = pairs(len(g), len(t))
                guidance_loss = sum(1 - measure(t[ti], g[gi]) for gi, ti in mapping)
                loss = F.cross_entropy(logits, y) + guidance_loss
            loss.item()  # the loss value is read every step (logging / divergence check), as ours does
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()

        target.train()
        record("guidance", case, timed_steps(step, args.steps, args.warmup), args.threads)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("suite", choices=["engine", "guidance"])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--device", default="cpu", help="engine suite: cpu, cuda or cuda:N")
    args = parser.parse_args()
    if args.device != "cpu" and args.suite != "engine":
        parser.error("--device: only the engine suite runs on a GPU")
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        parser.error(f"--device {args.device}: this PyTorch sees no CUDA GPU")
    torch.set_num_threads(args.threads)
    {"engine": engine, "guidance": guidance}[args.suite](args)


if __name__ == "__main__":
    main()
