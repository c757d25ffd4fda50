"""Exports torchvision networks (random init, nothing downloaded) to ONNX at several opsets.

A held-out exporter for the bridge's tests: Debian's python3-torch / python3-torchvision write the
files, the bridge must read, fine-tune, export and serve them.
usage: python3 export_torchvision.py OUT_DIR SIZE OPSET...
"""
import sys

import torch
import torchvision

out_dir, size, opsets = sys.argv[1], int(sys.argv[2]), [int(o) for o in sys.argv[3:]]
torch.manual_seed(0)


class Segmenter(torch.nn.Module):
    """LRASPP returns a dict; export its 'out' tensor."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)["out"]


nets = {
    "resnet18": torchvision.models.resnet18(num_classes=10),
    "mobilenet_v2": torchvision.models.mobilenet_v2(num_classes=10),
    "mobilenet_v3_small": torchvision.models.mobilenet_v3_small(num_classes=10),
    "lraspp_mobilenet_v3_large": Segmenter(
        torchvision.models.segmentation.lraspp_mobilenet_v3_large(
            num_classes=3, weights_backbone=None)),
}
for name, net in nets.items():
    net.eval()
    # BatchNorm statistics that are not the identity, so folding and running stats matter
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    x = torch.randn(1, 3, size, size)
    for opset in opsets:
        path = f"{out_dir}/{name}-opset{opset}.onnx"
        torch.onnx.export(net, x, path, opset_version=opset, input_names=["input"],
                          output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                          do_constant_folding=True)
        print(path, flush=True)
