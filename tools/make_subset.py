"""Make the small MNIST subset bundled with the package, deterministically.

Takes the first 1,000 training and first 200 test images of each digit, in file order,
from a torchvision MNIST root, and writes them as a compressed NumPy archive.
Usage: python tools/make_subset.py ../shared/data selective_amnesia/assets/mnist_subset.npz
"""
import sys
import numpy as np
from torchvision.datasets import MNIST

def first_per_class(ds, k):
    y = ds.targets.numpy()
    idx = np.sort(np.concatenate([np.flatnonzero(y == c)[:k] for c in range(10)]))
    return ds.data.numpy()[idx], y[idx].astype(np.uint8)

if __name__ == '__main__':
    root, out = sys.argv[1:3]
    xtr, ytr = first_per_class(MNIST(root, train=True, download=False), 1000)
    xte, yte = first_per_class(MNIST(root, train=False, download=False), 200)
    np.savez_compressed(out, x_train=xtr, y_train=ytr, x_test=xte, y_test=yte)
    print(f'wrote {out}: {len(xtr)} train and {len(xte)} test images')
