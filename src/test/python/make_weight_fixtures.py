#!/usr/bin/python3
"""Writes the weight-import test fixtures into src/test/resources/weights/ (committed; CI needs no Python).

Run from the project folder with Debian's Python (python3-torch, python3-numpy, python3-opencv):

    /usr/bin/python3 src/test/python/make_weight_fixtures.py

Networks (small, seeded) under torchvision's names:
  * alexnet_*: mmtune's AlexNet-BN layout at width divisor 16 (gray first convolution, no conv biases),
    as features.N (conv 0, bn 1, relu 2, pool 3, conv 4, ...); weights rounded to bfloat16 precision so the
    float16, bfloat16, float32 and float64 files hold the same values.
      alexnet.pth                 plain state dict (torch.save zip)
      alexnet_wrapped.pth         {"state_dict": ..., "epoch": 3, "arch": "alexnet"}
      alexnet_module.pth          {"model": {"module.features.0.weight": ...}} (DataParallel names), float16
      alexnet_bf16.safetensors    bfloat16, written by hand (the safetensors package is not needed)
      alexnet_f64.npz             float64 arrays
      alexnet_expected.json       torch's pool5 embedding of image.png
  * vgg16_bn.pth: torchvision vgg16_bn at mmtune's width divisor 16 (4, 8, 16, 32, 32 channels) with conv
    biases and a 3-channel first convolution; vgg16_bn_expected.json holds torch's embedding of image.png
    given as gray in all three channels with ImageNet normalisation ("torch"), and the same with the first
    convolution's padding filled with mmtune's mean gray ("grayPad").
  * vgg16.safetensors: torchvision vgg16 (no batch norm) at divisor 16, 3-channel first convolution;
    vgg16_expected.json likewise.
Refusals: malicious.pth (its pickle calls os.system to create mmtune_pickle_ran.marker), truncated.pth,
not_weights.pth (text), tv_alexnet.pth (torchvision's AlexNet layout: does not fit mmtune's).
"""
import io
import json
import os
import struct
import sys
import zipfile

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(ROOT, "src", "test", "resources", "weights")
DIVISOR = 16


def width(full, divisor=DIVISOR):
    """nn.NetSpec.width: divided, at least 4, above 8 rounded up to a multiple of 8."""
    c = max(4, full // divisor)
    return c if c <= 8 else (c + 7) // 8 * 8


def alexnet_bn(divisor=DIVISOR):
    """mmtune's AlexNet-BN backbone (up to conv5) plus pool5, torchvision-style Sequential."""
    w = [width(c, divisor) for c in (96, 256, 384, 384, 256)]
    layers = [nn.Conv2d(1, w[0], 11, 4, 0, bias=False), nn.BatchNorm2d(w[0]), nn.ReLU(), nn.MaxPool2d(3, 2),
              nn.Conv2d(w[0], w[1], 5, 1, 2, bias=False), nn.BatchNorm2d(w[1]), nn.ReLU(), nn.MaxPool2d(3, 2)]
    cin = w[1]
    for c in w[2:]:
        layers += [nn.Conv2d(cin, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
        cin = c
    layers.append(nn.MaxPool2d(3, 2))  # pool5 (mmtune's embedding head)
    return nn.Sequential(*layers)


VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


def vgg16(batch_norm, divisor=DIVISOR, in_channels=3):
    """torchvision.models.vgg.make_layers(cfg 'D') at mmtune's reduced width; the last 'M' is pool5."""
    layers, cin = [], in_channels
    for v in VGG16:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
            continue
        c = width(v, divisor)
        layers.append(nn.Conv2d(cin, c, 3, padding=1))
        if batch_norm:
            layers += [nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
        else:
            layers.append(nn.ReLU(inplace=True))
        cin = c
    return nn.Sequential(*layers)


class Holder(nn.Module):
    """Gives the Sequential torchvision's 'features.' prefix."""

    def __init__(self, features):
        super().__init__()
        self.features = features


def randomise(model, gen, bf16=False):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan = m.in_channels * m.kernel_size[0] * m.kernel_size[1]
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.2)
            elif isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.3)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) * 1.5 + 0.3)
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
                m.num_batches_tracked.fill_(100)
        if bf16:
            for t in list(model.parameters()) + [b for n, b in model.named_buffers() if "num_batches" not in n]:
                r = t.to(torch.bfloat16).to(torch.float32)
                r[r.abs() < 1e-4] = 0  # exact in float16 as well
                t.copy_(r)
    model.eval()


def l2(x):
    v = x.reshape(-1).double()
    return (v / (v.norm() + 0.0)).float() if v.norm() > 0 else v.float()


def embedding(features, x):
    with torch.no_grad():
        y = features(x)
    return list(y.shape[1:]), l2(y)


def save_expected(name, entries):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(entries, f)


def gray_image():
    """The committed test image: a sample-data image reduced to 160x120 (PNG, lossless)."""
    dst = os.path.join(OUT, "image.png")
    if not os.path.exists(dst):
        src = cv2.imread(os.path.join(ROOT, "sample-data", "train", "images", sorted(
            os.listdir(os.path.join(ROOT, "sample-data", "train", "images")))[0]), cv2.IMREAD_COLOR)
        cv2.imwrite(dst, cv2.resize(src, (160, 120), interpolation=cv2.INTER_AREA))
    bgr = cv2.imread(dst, cv2.IMREAD_COLOR).astype(np.int64)
    b, g, r = bgr[..., 0], bgr[..., 1], bgr[..., 2]
    return ((299 * r + 587 * g + 114 * b + 500) // 1000).astype(np.float64)  # mmtune's BT.601 rounding


def mmtune_input(gray):
    return torch.tensor(((gray / 255.0 - 0.45) / 0.25)[None, None], dtype=torch.float32)


IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def imagenet_input(gray):
    x = np.stack([(gray / 255.0 - m) / s for m, s in zip(IMAGENET_MEAN, IMAGENET_STD)])
    return torch.tensor(x[None], dtype=torch.float32)


def gray_pad_embedding(features, gray):
    """The 3-channel network with its first padding filled with mmtune's mean gray (0.45) in every channel."""
    first = features[0]
    p = first.padding[0]
    x = imagenet_input(gray)
    fill = [(0.45 - m) / s for m, s in zip(IMAGENET_MEAN, IMAGENET_STD)]
    padded = torch.stack([F.pad(x[0, c], (p, p, p, p), value=fill[c]) for c in range(3)])[None]
    with torch.no_grad():
        y = F.conv2d(padded, first.weight, first.bias, first.stride, 0)
        for m in list(features)[1:]:
            y = m(y)
    return l2(y)


def state_dict_of(features):
    return {k: v for k, v in Holder(features).state_dict().items()}


def write_safetensors(path, tensors, dtype):
    """safetensors by hand: 8-byte little-endian header length, JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    codes = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16", torch.float64: "F64"}
    for name, t in tensors.items():
        if "num_batches_tracked" in name:
            t = t.to(torch.int64)
            code, raw = "I64", t.numpy().tobytes()
        else:
            t = t.to(dtype).contiguous()
            code = codes[dtype]
            raw = (t.view(torch.int16).numpy().tobytes() if dtype == torch.bfloat16 else t.numpy().tobytes())
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


class RunsACommand:
    def __reduce__(self):
        return (os.system, ("touch mmtune_pickle_ran.marker",))


def main():
    os.makedirs(OUT, exist_ok=True)
    gray = gray_image()
    gen = torch.Generator().manual_seed(20260101)

    # AlexNet-BN, mmtune layout, gray input
    alex = alexnet_bn()
    randomise(alex, gen, bf16=True)
    shape, emb = embedding(alex, mmtune_input(gray))
    save_expected("alexnet_expected.json", {"backbone": "alexnet", "widthDivisor": DIVISOR, "shape": shape,
                                            "embedding": emb.tolist()})
    sd = state_dict_of(alex[:-1])
    torch.save(sd, os.path.join(OUT, "alexnet.pth"))
    torch.save({"state_dict": sd, "epoch": 3, "arch": "alexnet"}, os.path.join(OUT, "alexnet_wrapped.pth"))
    torch.save({"model": {"module." + k: (v.half() if v.is_floating_point() else v) for k, v in sd.items()}},
               os.path.join(OUT, "alexnet_module.pth"))
    write_safetensors(os.path.join(OUT, "alexnet_bf16.safetensors"), sd, torch.bfloat16)
    np.savez(os.path.join(OUT, "alexnet_f64.npz"),
             **{k: v.double().numpy() for k, v in sd.items() if v.is_floating_point()})

    # vgg16_bn at divisor 16 with conv biases and a 3-channel first convolution
    vbn = vgg16(batch_norm=True)
    randomise(vbn, gen)
    shape, emb = embedding(vbn, imagenet_input(gray))
    save_expected("vgg16_bn_expected.json", {"backbone": "vgg16", "widthDivisor": DIVISOR, "shape": shape,
                                             "torch": emb.tolist(),
                                             "grayPad": gray_pad_embedding(vbn, gray).tolist()})
    torch.save(state_dict_of(vbn), os.path.join(OUT, "vgg16_bn.pth"))

    # vgg16 without batch norm, safetensors
    v = vgg16(batch_norm=False)
    randomise(v, gen)
    shape, emb = embedding(v, imagenet_input(gray))
    save_expected("vgg16_expected.json", {"backbone": "vgg16", "widthDivisor": DIVISOR, "shape": shape,
                                          "torch": emb.tolist(), "grayPad": gray_pad_embedding(v, gray).tolist()})
    write_safetensors(os.path.join(OUT, "vgg16.safetensors"), state_dict_of(v), torch.float32)

    # refusals
    torch.save({"features.0.weight": torch.zeros(2, 1, 3, 3), "payload": RunsACommand()},
               os.path.join(OUT, "malicious.pth"))
    with open(os.path.join(OUT, "alexnet.pth"), "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "truncated.pth"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(OUT, "not_weights.pth"), "w") as f:
        f.write("These are not weights.\n")
    tv = nn.Sequential(nn.Conv2d(3, 4, 11, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2), nn.Conv2d(4, 12, 5, padding=2),
                       nn.ReLU(), nn.MaxPool2d(3, 2), nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(),
                       nn.Conv2d(24, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(3, 2))
    torch.save(state_dict_of(tv), os.path.join(OUT, "tv_alexnet.pth"))
    for n in sorted(os.listdir(OUT)):
        print("%8d  %s" % (os.path.getsize(os.path.join(OUT, n)), n))


if __name__ == "__main__":
    sys.exit(main())
