#!/usr/bin/env python3
"""PyTorch peer of `mmtune bench train`: the same two training steps, plainly written in PyTorch, so the two
can be timed side by side on the same machine at the same moment.

  M&M step: AlexNet-BN (Caffe geometry, channels divided by D, counts above 8 rounded up to a multiple of 8,
            convolutions without bias, each followed by BatchNorm and ReLU), pool5, rows L2-normalised,
            triplet loss (1/2N) sum max(0, m + |a-p|^2 - |a-n|^2) with m = 2.1, on B x 1 x 128^2 patches.
  FCN step: the same backbone + 3x3 and 1x1 conv-BN-ReLU (1024/D channels) + 1x1 classifier, bilinear
            upsampling to the input, pixel cross-entropy ignoring void (255), on N x 1 x 256^2 crops.
  Both: SGD with momentum 0.9, weight decay 5e-4, learning rate 0.01; the same number of intra-op threads.

usage: /usr/bin/python3 src/bench/python/peer_train.py [--threads T] [--width-divisor D] [--batch B]
                                                       [--fcn-batch N] [--classes C] [--serve | --iterations I]
  --serve: after building and warming up, print "ready", then answer each line "mm" or "fcn" on stdin with
           the wall-clock and process CPU milliseconds of one such step (used by `mmtune bench train` to interleave its own steps with
           these); otherwise time I steps of each and print the medians as JSON.
needs: PyTorch (Debian: python3-torch)
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def width(full, divisor):
    c = max(4, full // divisor)
    return c if c <= 8 else (c + 7) // 8 * 8


def conv_bn_relu(cin, cout, k, s, p):
    return [nn.Conv2d(cin, cout, k, s, p, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


def backbone(d):
    c1, c2, c3, c4, c5 = width(96, d), width(256, d), width(384, d), width(384, d), width(256, d)
    return nn.Sequential(*conv_bn_relu(1, c1, 11, 4, 0), nn.MaxPool2d(3, 2),
                         *conv_bn_relu(c1, c2, 5, 1, 2), nn.MaxPool2d(3, 2),
                         *conv_bn_relu(c2, c3, 3, 1, 1), *conv_bn_relu(c3, c4, 3, 1, 1),
                         *conv_bn_relu(c4, c5, 3, 1, 1)), c5


class Embedding(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.backbone, _ = backbone(d)
        self.pool = nn.MaxPool2d(3, 2)

    def forward(self, x):
        e = self.pool(self.backbone(x)).flatten(1)
        return e / (e.square().sum(1, keepdim=True) + 1e-12).sqrt()


class Fcn(nn.Module):
    def __init__(self, d, classes):
        super().__init__()
        self.backbone, c5 = backbone(d)
        w = width(1024, d)
        self.head = nn.Sequential(*conv_bn_relu(c5, w, 3, 1, 1), *conv_bn_relu(w, w, 1, 1, 0), nn.Conv2d(w, classes, 1))

    def forward(self, x):
        return F.interpolate(self.head(self.backbone(x)), size=x.shape[2:], mode="bilinear", align_corners=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--width-divisor", type=int, default=4)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--fcn-batch", type=int, default=4)
    ap.add_argument("--classes", type=int, default=11)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--serve", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    g = torch.Generator().manual_seed(2)

    emb, fcn = Embedding(a.width_divisor), Fcn(a.width_divisor, a.classes)
    opt_e = torch.optim.SGD(emb.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    opt_f = torch.optim.SGD(fcn.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x_mm = torch.randn(a.batch, 1, 128, 128, generator=g)
    idx = torch.randint(0, a.batch, (a.batch, 3), generator=g)
    x_fcn = torch.randn(a.fcn_batch, 1, 256, 256, generator=g)
    y_fcn = torch.randint(0, a.classes, (a.fcn_batch, 256, 256), generator=g)
    y_fcn[:, :, :24] = 255  # void, as at image borders

    def mm_step():
        t0, c0 = time.perf_counter(), time.process_time()
        e = emb(x_mm)
        ea, ep, en = e[idx[:, 0]], e[idx[:, 1]], e[idx[:, 2]]
        hinge = (2.1 + (ea - ep).square().sum(1) - (ea - en).square().sum(1)).clamp(min=0)
        loss = hinge.sum() / (2 * len(idx))
        loss.item()
        opt_e.zero_grad(set_to_none=False)
        loss.backward()
        opt_e.step()
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000

    def fcn_step():
        t0, c0 = time.perf_counter(), time.process_time()
        out = fcn(x_fcn)
        loss = F.cross_entropy(out, y_fcn, ignore_index=255)
        loss.item()
        opt_f.zero_grad(set_to_none=False)
        loss.backward()
        opt_f.step()
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000

    emb.train()
    fcn.train()
    for _ in range(3):
        mm_step()
        fcn_step()
    if a.serve:
        print("ready torch " + torch.__version__, flush=True)
        for line in sys.stdin:
            cmd = line.strip()
            if cmd == "mm":
                print("%.3f %.3f" % mm_step(), flush=True)
            elif cmd == "fcn":
                print("%.3f %.3f" % fcn_step(), flush=True)
            elif cmd in ("", "quit"):
                break
        return
    mm = [mm_step() for _ in range(a.iterations)]
    fc = [fcn_step() for _ in range(a.iterations)]
    print(json.dumps({"torch": torch.__version__, "threads": a.threads,
                      "mmStepMs": statistics.median(w for w, _ in mm), "fcnStepMs": statistics.median(w for w, _ in fc),
                      "mmStepCpuMs": statistics.mean(c for _, c in mm), "fcnStepCpuMs": statistics.mean(c for _, c in fc)}))


if __name__ == "__main__":
    main()
