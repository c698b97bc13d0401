"""One epoch of batches (batch 256) from the in-memory pipeline against torchvision's DataLoader with ToTensor.

Both produce the same thing: float32 image batches in [0, 1] with their labels, shuffled. The loop body only
touches each batch, so the times are the cost of the pipeline itself.
Usage: python benchmarks/data_pipeline.py [--data ../shared/data]
"""
import time
import torch
from fastcore.script import call_parse
from torchvision import transforms
from torchvision.datasets import MNIST
from selective_amnesia.model import batches, load_mnist

def epoch_in_memory(d, bs):
    g = torch.Generator().manual_seed(0)
    tot = 0.
    for i in batches(len(d.x_train), bs, generator=g):
        xb, yb = d.x_train[i], d.y_train[i]
        tot += xb[0, 0].item()
    return tot

def epoch_dataloader(root, bs):
    dl = torch.utils.data.DataLoader(MNIST(root, train=True, download=False, transform=transforms.ToTensor()),
                                     batch_size=bs, shuffle=True)
    tot = 0.
    for xb, yb in dl:
        tot += xb[0, 0, 0, 0].item()
    return tot

def _time(f, *args):
    t = time.perf_counter()
    f(*args)
    return time.perf_counter() - t

@call_parse
def main(data:str='../shared/data', bs:int=256, repeats:int=3):
    t = time.perf_counter()
    d = load_mnist(data)
    load = time.perf_counter() - t
    mem = min(_time(epoch_in_memory, d, bs) for _ in range(repeats))
    dl = min(_time(epoch_dataloader, data, bs) for _ in range(repeats))
    print(f'one-time load of MNIST into memory: {load:.2f} s')
    print(f'one epoch, batch {bs}: in-memory {mem*1000:.1f} ms, DataLoader+ToTensor {dl*1000:.0f} ms, '
          f'ratio {dl/mem:.0f}x')
