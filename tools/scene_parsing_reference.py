#!/usr/bin/python3
"""Reference runs of `mqn pretrain-swin`'s task in torch: how fast do a tiny Swin and a small CNN learn
which category each cell of a generated scene shows?

Data: scenes dumped by tools/diag/DumpScenes.java (the generator pretrain-swin uses, seed 1000003):
  java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/DumpScenes.java /tmp/ref 12000 96 pretrain
  java -cp "target/mqn4j.jar:$(cat target/classpath.txt)" tools/diag/DumpScenes.java /tmp/ref 300 96 pretrain-val
Run:  /usr/bin/python3 tools/scene_parsing_reference.py ARCH STEPS [LOSS] [DIR]
  ARCH  swin (torchvision SwinTransformer as conf/mqn_tiny.yaml: patch 4, embed 32, depths 1,1,1,1, window 6),
        convstem (the same with two stride-2 3x3 convolutions as the stem), d2 (depths 2,2,2,2),
        cnn (3x3 conv + BatchNorm + ReLU, the same four strides and widths)
  LOSS  plain (pretrain-swin's: soft cross-entropy over background + classes per cell) or cond (product vs
        background, then the class among products, weighted by the product share)
Prints every 200 steps, per stage, the accuracy of the category / colour of held-out product cells (largest
product-class logit, cells at least half covered by one product), as pretrain-swin does.
One thread, batch 16, AdamW 1e-3, weight decay 0.05, 300 warm-up steps, linear decay to 0.
"""
import sys, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torchvision.models.swin_transformer import SwinTransformer

torch.set_num_threads(1)
torch.manual_seed(0)
arch = sys.argv[1]
steps = int(sys.argv[2])
mode = sys.argv[3] if len(sys.argv) > 3 else "plain"
root = sys.argv[4] if len(sys.argv) > 4 else "/tmp/ref"
S, N, NV = 96, 12000, 300


def load(split, n, c):
    return np.fromfile(f"{root}/{split}-{c}.u8", np.uint8)


img = load("pretrain", N, "img").reshape(N, S, S, 3)
cat = load("pretrain", N, "cat").reshape(N, S, S)
col = load("pretrain", N, "col").reshape(N, S, S)
vimg = load("pretrain-val", NV, "img").reshape(NV, S, S, 3)
vcat = load("pretrain-val", NV, "cat").reshape(NV, S, S)
vcol = load("pretrain-val", NV, "col").reshape(NV, S, S)
KC = 9
KO = int(max(col.max(), vcol.max())) + 1
mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
DIMS = [32, 64, 128, 256]


def prep(x):
    return (torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255 - mean) / std


class ToNHWC(nn.Module):
    def forward(self, x):
        return x.permute(0, 2, 3, 1)


class ToNCHW(nn.Module):
    def forward(self, x):
        return x.permute(0, 3, 1, 2)


class Swin(nn.Module):
    def __init__(self):
        super().__init__()
        depths = [2, 2, 2, 2] if arch == "d2" else [1, 1, 1, 1]
        self.swin = SwinTransformer([4, 4], 32, depths, [1, 2, 4, 8], [6, 6], stochastic_depth_prob=0.0)
        if arch == "convstem":
            self.swin.features[0] = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), ToNHWC(), nn.LayerNorm(16), nn.GELU(), ToNCHW(),
                                                  nn.Conv2d(16, 32, 3, 2, 1), ToNHWC(), nn.LayerNorm(32))
        self.norms = nn.ModuleList([nn.LayerNorm(d) for d in DIMS])
        self.hc = nn.ModuleList([nn.Linear(d, KC) for d in DIMS])
        self.ho = nn.ModuleList([nn.Linear(d, KO) for d in DIMS])

    def forward(self, x):
        outs = []
        for i, m in enumerate(self.swin.features):
            x = m(x)
            if i % 2 == 1:
                outs.append(x)
        return [(self.hc[k](self.norms[k](o)), self.ho[k](self.norms[k](o))) for k, o in enumerate(outs)]


def cbr(i, o, st):
    return nn.Sequential(nn.Conv2d(i, o, 3, st, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.st = nn.ModuleList([nn.Sequential(cbr(3, 32, 2), cbr(32, 32, 2), cbr(32, 32, 1)),
                                 nn.Sequential(cbr(32, 64, 2), cbr(64, 64, 1)),
                                 nn.Sequential(cbr(64, 128, 2), cbr(128, 128, 1)),
                                 nn.Sequential(cbr(128, 256, 2), cbr(256, 256, 1))])
        self.hc = nn.ModuleList([nn.Linear(d, KC) for d in DIMS])
        self.ho = nn.ModuleList([nn.Linear(d, KO) for d in DIMS])

    def forward(self, x):
        res = []
        for k, m in enumerate(self.st):
            x = m(x)
            o = x.permute(0, 2, 3, 1)
            res.append((self.hc[k](o), self.ho[k](o)))
        return res


def shares(lab, k, stride):
    oh = F.one_hot(torch.from_numpy(lab).long(), k).permute(0, 3, 1, 2).float()
    return F.avg_pool2d(oh, stride).permute(0, 2, 3, 1)  # B,h,w,K


def loss_fn(outs, c, o):
    total = 0
    for k, (zc, zo) in enumerate(outs):
        st = 4 << k
        if mode == "cond":
            for z, lab, kk in ((zc, c, KC), (zo, o, KO)):
                y = shares(lab, kk, st)
                pp = y[..., 1:].sum(-1)
                yy = y[..., 1:] / pp.clamp_min(1e-6).unsqueeze(-1)
                ce = -(yy * F.log_softmax(z[..., 1:], -1)).sum(-1)
                total = total + (ce * pp).sum() / pp.sum().clamp_min(1e-6)
            total = total + F.binary_cross_entropy_with_logits(torch.logsumexp(zc[..., 1:], -1) - zc[..., 0],
                                                               shares(c, KC, st)[..., 1:].sum(-1))
        else:
            total = total - (shares(c, KC, st) * F.log_softmax(zc, -1)).sum(-1).mean() \
                    - (shares(o, KO, st) * F.log_softmax(zo, -1)).sum(-1).mean()
    return total / 4


def accuracy(z, y):
    lab = y.argmax(-1)
    ok = (lab > 0) & (y.max(-1).values >= 0.5)
    return ((z[..., 1:].argmax(-1) + 1 == lab) & ok).sum().item() / max(1, ok.sum().item())


def evaluate(net):
    net.eval()
    with torch.no_grad():
        outs = net(prep(vimg))
    net.train()
    return "  ".join("%d: %.1f/%.1f" % (k + 1, 100 * accuracy(zc, shares(vcat, KC, 4 << k)),
                                        100 * accuracy(zo, shares(vcol, KO, 4 << k))) for k, (zc, zo) in enumerate(outs))


net = CNN() if arch == "cnn" else Swin()
opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.05)
rng = np.random.default_rng(0)
t0, run = time.time(), 0.0
for t in range(steps):
    for g in opt.param_groups:
        g["lr"] = 1e-3 * ((t + 1) / 300 if t < 300 else 1 - t / steps)
    idx = rng.integers(0, N, 16)
    loss = loss_fn(net(prep(img[idx])), cat[idx], col[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    run += loss.item()
    if (t + 1) % 200 == 0:
        print(arch, mode, "step", t + 1, "loss %.4f" % (run / 200), "%.0fs" % (time.time() - t0),
              "category/colour by stage:", evaluate(net), flush=True)
        run = 0.0
