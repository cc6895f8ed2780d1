#!/usr/bin/env python3
"""A straightforward single-threaded numpy/OpenCV version of mmtune's mix + match data path, written
for comparison with `mmtune bench mix` on the same machine at the same time (see README, "Mix and
match"). Same algorithm, plainly written: foreground pixel lists with np.nonzero, a coverage mask
for de-duplication, np.pad for the zero padding, cv2.resize, and the reference's quadratic scan
for the class-wise graph.

De-duplication follows the reference implementation's patchDeDup (create_patch.py): a candidate is
skipped when the covered part of its window exceeds 0.6 x the FIRST candidate's area (side squared).
`--dedup-rule own-area` compares with each candidate's own in-image area instead (mmtune's option).
It prints the mean patch side, to compare with `mmtune mix DATASET --images N` under either rule.

usage: python3 src/bench/python/reference_mix.py DATASET_FOLDER [LIST_FILE] [--dedup-rule reference|own-area]
       (LIST_FILE default: train.txt, CamVid layout)
needs: numpy and OpenCV's Python bindings (Debian: python3-numpy python3-opencv)
"""
import os
import random
import sys
import time

import cv2
import numpy as np

VOID = 11
K, FACTOR, MIN_S, MAX_S, OUT, DEDUP, PER_BATCH = 10, 5, 64, 256, 128, 0.6, 40


def decode(root, pairs):
    out = []
    for img, lab in pairs:
        rgb = cv2.cvtColor(cv2.imread(os.path.join(root, img), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        labels = cv2.imread(os.path.join(root, lab), cv2.IMREAD_UNCHANGED)
        out.append((rgb, labels))
    return out


def sample(rgb, labels, rng, rule):
    h, w = labels.shape
    ys, xs = np.nonzero(labels != VOID)
    if len(xs) == 0:
        return []
    cands = []
    for _ in range(K * FACTOR):
        i = rng.randrange(len(xs))
        cands.append((int(xs[i]), int(ys[i]), 2 * rng.randint(MIN_S // 2, MAX_S // 2)))
    covered = np.zeros((h, w), bool)
    kept, rejected = [], []
    first_area = cands[0][2] * cands[0][2]
    for cx, cy, s in cands:
        if len(kept) == K:
            break
        x0, y0 = max(0, cx - s // 2), max(0, cy - s // 2)
        x1, y1 = min(w, cx - s // 2 + s), min(h, cy - s // 2 + s)
        area = first_area if rule == "reference" else (x1 - x0) * (y1 - y0)
        if covered[y0:y1, x0:x1].sum() > DEDUP * area:
            rejected.append((cx, cy, s))
            continue
        covered[y0:y1, x0:x1] = True
        kept.append((cx, cy, s))
    kept += rejected[:K - len(kept)]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    patches = []
    for cx, cy, s in kept:
        x0, y0 = cx - s // 2, cy - s // 2
        pad = np.pad(gray, s, mode="constant")
        crop = pad[y0 + s:y0 + 2 * s, x0 + s:x0 + 2 * s]
        window = labels[max(0, y0):y0 + s, max(0, x0):x0 + s]
        label = int(labels[cy, cx])
        purity = float((window == label).mean())
        patches.append((label, purity, cv2.resize(crop, (OUT, OUT)), s))
    return patches


def graph(labels, rng):
    n = len(labels)
    order = list(range(n))
    rng.shuffle(order)
    pos, neg = [-1] * n, [-1] * n
    for k, v in enumerate(order):
        same = [u for u in order[:k] if labels[u] == labels[v]]
        other = [u for u in order[:k] if labels[u] != labels[v]]
        if same:
            pos[v] = rng.choice(same)
        if other:
            neg[v] = rng.choice(other)
    for v in range(n):
        if pos[v] < 0:
            same = [u for u in range(n) if labels[u] == labels[v] and u != v]
            pos[v] = rng.choice(same) if same else v
        if neg[v] < 0:
            other = [u for u in range(n) if labels[u] != labels[v]]
            neg[v] = rng.choice(other) if other else -1
    return pos, neg


def main():
    args = sys.argv[1:]
    rule = "reference"
    if "--dedup-rule" in args:
        i = args.index("--dedup-rule")
        rule = args[i + 1] if i + 1 < len(args) else ""
        del args[i:i + 2]
    if rule not in ("reference", "own-area") or not args:
        sys.exit("usage: reference_mix.py DATASET_FOLDER [LIST_FILE] [--dedup-rule reference|own-area]")
    root = args[0]
    lst = args[1] if len(args) > 1 else "train.txt"
    pairs = [line.split() for line in open(os.path.join(root, lst)) if line.strip()]
    t0 = time.perf_counter()
    images = decode(root, pairs)
    t1 = time.perf_counter()
    rng = random.Random(0)
    nodes = 0
    sides = 0
    for b in range(0, len(images), PER_BATCH):
        labels = []
        for rgb, lab in images[b:b + PER_BATCH]:
            patches = sample(rgb, lab, rng, rule)
            labels += [p[0] for p in patches]
            sides += sum(p[3] for p in patches)
        graph(labels, rng)
        nodes += len(labels)
    t2 = time.perf_counter()
    print(f"images {len(images)}, patches {nodes}, dedup rule {rule}")
    print(f"meanSide {sides / max(1, nodes):.1f}")
    print(f"decodeSeconds {t1 - t0:.3f}")
    print(f"sampleCropGraphSeconds {t2 - t1:.3f}")
    print(f"endToEndSeconds {t2 - t0:.3f}")


if __name__ == "__main__":
    main()
