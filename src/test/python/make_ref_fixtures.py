#!/usr/bin/python3
"""Makes the alexnet-ref weight-import fixtures in src/test/resources/weights/.

A small model of the reference implementation's AlexNet geometry (Alexnet/colorize/deploy.prototxt of
XiaohangZhan/mix-and-match: conv1 pad 5, BN without affine, LRN, grouped conv2/4/5, ceil-mode pooling) at
mmtune's width divisor 16, written twice:

  ref16.prototxt + ref16.caffemodel  Caffe, built with the reference's own caffe.proto (compiled by protoc),
                                     with the deploy prototxt's mean/gray preprocessing layers in front and
                                     BatchNorm statistics stored times a moving-average factor, as Caffe does;
  ref16.onnx                         ONNX (opset 11), initializers named as a PyTorch state dict.

The expected output is the L2-normalised pool5 of a real image (a sample-data image, gray, 96x128, written
as ref-input.png), computed by PyTorch in float64 on mmtune's input normalisation (g/255 - 0.45) / 0.25:
ref16-pool5.txt, one value a line. OpenCV's dnn forward of both files is checked against it here.

CI never runs this; run it by hand with Debian's python (python3-torch, python3-onnx, python3-protobuf,
python3-opencv) and protoc:

  /usr/bin/python3 src/test/python/make_ref_fixtures.py --caffe-proto <mix-and-match>/caffe/src/caffe/proto/caffe.proto
"""
import argparse
import importlib
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from google.protobuf import text_format
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
OUT = os.path.join(ROOT, 'src', 'test', 'resources', 'weights')
IMAGE = os.path.join(ROOT, 'sample-data', 'train', 'images', 's0003.jpg')
H, W = 96, 128
SCALE_FACTOR = 999.6  # Caffe's BatchNorm blob 2 after many iterations at moving_average_fraction 0.999


def grouped_width(full, divisor):
    """NetSpec.groupedWidth: width(), rounded up to even, above 16 to a multiple of 16."""
    c = max(4, full // divisor)
    c = c if c <= 8 else (c + 7) // 8 * 8
    return c + (c & 1) if c <= 16 else (c + 15) // 16 * 16


# (name, out channels at full width, kernel, stride, pad, groups, LRN + pool after it)
LAYERS = [('conv1', 96, 11, 4, 5, 1, True), ('conv2', 256, 5, 1, 2, 2, True), ('conv3', 384, 3, 1, 1, 1, False),
          ('conv4', 384, 3, 1, 1, 2, False), ('conv5', 256, 3, 1, 1, 2, False)]


class RefAlexNet(nn.Module):
    """The reference AlexNet up to pool5, parameter names as in Caffe (conv1, batch_conv1, ...)."""

    def __init__(self, divisor):
        super().__init__()
        cin = 1
        self.spec = []
        for name, full, k, s, p, g, lrn in LAYERS:
            c = grouped_width(full, divisor)
            setattr(self, name, nn.Conv2d(cin, c, k, s, p, groups=g, bias=True))
            setattr(self, 'batch_' + name, nn.BatchNorm2d(c, eps=1e-5, affine=False))
            self.spec.append((name, lrn))
            cin = c

    def forward(self, x):
        for name, lrn in self.spec:
            x = F.relu(getattr(self, 'batch_' + name)(getattr(self, name)(x)))
            if lrn:
                x = F.local_response_norm(x, 5, alpha=1e-4, beta=0.75, k=1.0)
                x = F.max_pool2d(x, 3, 2, ceil_mode=True)
        return F.max_pool2d(x, 3, 2, ceil_mode=True)


def embedding(pool5):
    v = pool5.reshape(pool5.shape[0], -1)
    return v / torch.sqrt((v * v).sum(1, keepdim=True) + 1e-12)


def make_model(x):
    """Random weights; BN statistics from this image, variance shrunk so that activations reach ~30 and LRN
    (alpha 1e-4) changes the output measurably."""
    torch.manual_seed(20180201)
    net = RefAlexNet(16).double()
    with torch.no_grad():
        h = x
        for name, lrn in net.spec:
            conv = getattr(net, name)
            nn.init.kaiming_normal_(conv.weight)
            conv.bias.uniform_(-0.1, 0.1)
            y = conv(h)
            bn = getattr(net, 'batch_' + name)
            bn.running_mean.copy_(y.mean((0, 2, 3)) + 0.05 * torch.randn(y.shape[1], dtype=y.dtype))
            bn.running_var.copy_(y.var((0, 2, 3)) * torch.empty(y.shape[1], dtype=y.dtype).uniform_(1e-3, 2e-3))
            h = F.relu(bn.eval()(y))
            if lrn:
                h = F.max_pool2d(F.local_response_norm(h, 5, alpha=1e-4, beta=0.75, k=1.0), 3, 2, ceil_mode=True)
    return net.eval()


def image():
    bgr = cv2.imread(IMAGE, cv2.IMREAD_COLOR)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    gray = cv2.resize(gray, (W, H), interpolation=cv2.INTER_AREA)
    cv2.imwrite(os.path.join(OUT, 'ref-input.png'), gray)
    back = cv2.imread(os.path.join(OUT, 'ref-input.png'), cv2.IMREAD_UNCHANGED)
    assert back.shape == (H, W) and (back == gray).all()
    return gray


def caffe_pb(proto):
    tmp = tempfile.mkdtemp()
    subprocess.run(['protoc', '--proto_path=' + os.path.dirname(os.path.abspath(proto)), '--python_out=' + tmp,
                    os.path.abspath(proto)], check=True)
    sys.path.insert(0, tmp)
    return importlib.import_module('caffe_pb2')


def blob(pb, layer, array):
    b = layer.blobs.add()
    b.shape.dim.extend(array.shape)
    b.data.extend(array.astype(np.float32).ravel().tolist())


def write_caffe(pb, net):
    deploy = pb.NetParameter()
    deploy.name = 'Alexnet'
    deploy.input.append('data')
    deploy.input_dim.extend([1, 3, H, W])

    def layer(name, type_, bottom, top):
        l = deploy.layer.add()
        l.name, l.type = name, type_
        l.bottom.extend(bottom if isinstance(bottom, list) else [bottom])
        l.top.extend(top if isinstance(top, list) else [top])
        return l

    # the reference deploy's preprocessing: (x/255 - 0.4488), mean of B, G, R
    l = layer('take_mean', 'Power', 'data', 'data_m')
    l.power_param.shift, l.power_param.scale = -0.4488, 0.00392156862745098
    l = layer('slicer', 'Slice', 'data_m', ['blue', 'green', 'red'])
    l.slice_param.axis = 1
    l.slice_param.slice_point.extend([1, 2])
    l = layer('bgr_sum', 'Eltwise', ['blue', 'green', 'red'], 'data_gray')
    l.eltwise_param.operation = pb.EltwiseParameter.SUM
    l.eltwise_param.coeff.extend([0.33333, 0.33333, 0.33333])
    bottom = 'data_gray'
    for name, full, k, s, p, g, lrn in LAYERS:
        conv = getattr(net, name)
        l = layer(name, 'Convolution', bottom, name)
        cp = l.convolution_param
        cp.num_output, cp.group = conv.out_channels, g
        cp.kernel_size, cp.pad = k, p  # this fork's caffe.proto: single values, not BVLC's repeated fields
        if s != 1:
            cp.stride = s
        layer('batch_' + name, 'BatchNorm', name, name)
        layer('relu' + name[-1], 'ReLU', name, name)
        bottom = name
        if lrn:
            l = layer('norm' + name[-1], 'LRN', bottom, 'norm' + name[-1])
            l.lrn_param.local_size, l.lrn_param.alpha, l.lrn_param.beta = 5, 1e-4, 0.75
            bottom = 'norm' + name[-1]
            l = layer('pool' + name[-1], 'Pooling', bottom, 'pool' + name[-1])
            l.pooling_param.pool = pb.PoolingParameter.MAX
            l.pooling_param.kernel_size, l.pooling_param.stride = 3, 2
            bottom = 'pool' + name[-1]
    l = layer('pool5', 'Pooling', bottom, 'pool5')
    l.pooling_param.pool = pb.PoolingParameter.MAX
    l.pooling_param.kernel_size, l.pooling_param.stride = 3, 2
    with open(os.path.join(OUT, 'ref16.prototxt'), 'w') as f:
        f.write(text_format.MessageToString(deploy))

    model = pb.NetParameter()
    model.CopyFrom(deploy)
    del model.input[:]
    del model.input_dim[:]
    for l in model.layer:
        if l.type == 'Convolution':
            conv = getattr(net, l.name)
            blob(pb, l, conv.weight.detach().numpy())
            blob(pb, l, conv.bias.detach().numpy())
        elif l.type == 'BatchNorm':
            bn = getattr(net, l.name)
            blob(pb, l, bn.running_mean.numpy() * SCALE_FACTOR)
            blob(pb, l, bn.running_var.numpy() * SCALE_FACTOR)
            blob(pb, l, np.array([SCALE_FACTOR]))
    with open(os.path.join(OUT, 'ref16.caffemodel'), 'wb') as f:
        f.write(model.SerializeToString())


def write_onnx(net):
    inits, nodes = [], []

    def init(name, array):
        inits.append(numpy_helper.from_array(array.astype(np.float32), name))
        return name

    x = 'input'
    for name, full, k, s, p, g, lrn in LAYERS:
        conv = getattr(net, name)
        bn = getattr(net, 'batch_' + name)
        c = conv.out_channels
        nodes.append(helper.make_node('Conv', [x, init(name + '.weight', conv.weight.detach().numpy()),
                                               init(name + '.bias', conv.bias.detach().numpy())], [name],
                                      name='/' + name + '/Conv', kernel_shape=[k, k], strides=[s, s],
                                      pads=[p, p, p, p], group=g))
        nodes.append(helper.make_node('BatchNormalization',
                                      [name, init('batch_' + name + '.weight', np.ones(c)),
                                       init('batch_' + name + '.bias', np.zeros(c)),
                                       init('batch_' + name + '.running_mean', bn.running_mean.numpy()),
                                       init('batch_' + name + '.running_var', bn.running_var.numpy())],
                                      ['bn_' + name], name='/batch_' + name + '/BatchNormalization', epsilon=1e-5))
        nodes.append(helper.make_node('Relu', ['bn_' + name], ['relu_' + name], name='/relu_' + name + '/Relu'))
        x = 'relu_' + name
        if lrn:
            nodes.append(helper.make_node('LRN', [x], ['norm_' + name], name='/norm_' + name + '/LRN', size=5,
                                          alpha=1e-4, beta=0.75, bias=1.0))
            nodes.append(helper.make_node('MaxPool', ['norm_' + name], ['pool_' + name],
                                          name='/pool_' + name + '/MaxPool', kernel_shape=[3, 3], strides=[2, 2],
                                          ceil_mode=1))
            x = 'pool_' + name
    nodes.append(helper.make_node('MaxPool', [x], ['pool5'], name='/pool5/MaxPool', kernel_shape=[3, 3],
                                  strides=[2, 2], ceil_mode=1))
    graph = helper.make_graph(nodes, 'alexnet-ref', [helper.make_tensor_value_info('input', TensorProto.FLOAT,
                                                                                   [1, 1, H, W])],
                              [helper.make_tensor_value_info('pool5', TensorProto.FLOAT, [1, None, None, None])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 11)], producer_name='make_ref_fixtures')
    model.ir_version = 6
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, 'ref16.onnx'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--caffe-proto', required=True, help="the reference's caffe/src/caffe/proto/caffe.proto")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    gray = image()
    x = torch.from_numpy((gray.astype(np.float64) / 255.0 - 0.45) / 0.25).reshape(1, 1, H, W)
    net = make_model(x)
    with torch.no_grad():
        pool5 = net(x)
        emb = embedding(pool5)[0].numpy()
    print('pool5', tuple(pool5.shape), 'embedding', emb.shape)
    with open(os.path.join(OUT, 'ref16-pool5.txt'), 'w') as f:
        f.write('\n'.join('%.9g' % v for v in emb) + '\n')

    write_caffe(caffe_pb(args.caffe_proto), net)
    write_onnx(net)

    # cross-check with OpenCV's own forward of both files
    cnet = cv2.dnn.readNetFromCaffe(os.path.join(OUT, 'ref16.prototxt'), os.path.join(OUT, 'ref16.caffemodel'))
    xin = x.numpy().astype(np.float64)
    # three equal channels whose (v/255 - 0.4488) * 0.99999 is the normalised gray
    v = (xin / 0.99999 + 0.4488) * 255.0
    cnet.setInput(np.repeat(v, 3, axis=1).astype(np.float32))
    c_emb = embedding(torch.from_numpy(cnet.forward('pool5').astype(np.float64)))[0].numpy()
    onet = cv2.dnn.readNetFromONNX(os.path.join(OUT, 'ref16.onnx'))
    onet.setInput(xin.astype(np.float32))
    o_emb = embedding(torch.from_numpy(onet.forward().astype(np.float64)))[0].numpy()
    print('max |caffe(opencv) - torch| = %.3g' % np.abs(c_emb - emb).max())
    print('max |onnx(opencv) - torch| = %.3g' % np.abs(o_emb - emb).max())
    assert np.abs(c_emb - emb).max() < 1e-5 and np.abs(o_emb - emb).max() < 1e-5
    # the fixture must exercise LRN: without it the embedding moves by far more than the test's 1e-4
    lrn = F.local_response_norm
    F.local_response_norm = lambda t, *a, **k: t
    with torch.no_grad():
        moved = np.abs(embedding(net(x))[0].numpy() - emb).max()
    F.local_response_norm = lrn
    print('max |without LRN - with| = %.3g' % moved)
    assert moved > 1e-2
    for f in sorted(os.listdir(OUT)):
        print('%-22s %7d bytes' % (f, os.path.getsize(os.path.join(OUT, f))))


if __name__ == '__main__':
    main()
