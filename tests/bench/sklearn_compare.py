# SPDX-License-Identifier: MIT
#
# sklearn_compare.py: scikit-learn's RandomForestClassifier against the
# dnshunt forest on the same feature tables, as written by
#   dnshunt train --dump-features DIR
# (DIR/train.tsv: label, features; DIR/test.tsv: label, dnshunt's score,
# features). Same trees, depth, leaf size and features tried per split
# (ceil(sqrt(features))) as dnshunt's defaults.
# Prints accuracy at 0.5, AUC, fit time and scoring time per name.
# Usage: python3 sklearn_compare.py DIR TREES DEPTH MIN_LEAF
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score


def load(path, with_score):
    data = np.loadtxt(path, delimiter="\t", skiprows=1, dtype=np.float64)
    y = data[:, 0].astype(int)
    if with_score:
        return y, data[:, 1], data[:, 2:].astype(np.float32)
    return y, None, data[:, 1:].astype(np.float32)


def main():
    d, trees, depth, leaf = sys.argv[1], int(sys.argv[2]), \
        int(sys.argv[3]), int(sys.argv[4])
    ytr, _, xtr = load(d + "/train.tsv", False)
    yte, ours, xte = load(d + "/test.tsv", True)
    mtry = int(np.ceil(np.sqrt(xtr.shape[1])))
    rf = RandomForestClassifier(n_estimators=trees, max_depth=depth,
                                min_samples_leaf=leaf, max_features=mtry,
                                n_jobs=2, random_state=1)
    t0 = time.perf_counter()
    rf.fit(xtr, ytr)
    fit = time.perf_counter() - t0
    rf.set_params(n_jobs=1)
    batch = None
    for _ in range(3):                  # the best of three, as for ours
        t0 = time.perf_counter()
        theirs = rf.predict_proba(xte)[:, 1]
        t = time.perf_counter() - t0
        batch = t if batch is None or t < batch else batch
    k = min(2000, len(xte))
    t0 = time.perf_counter()
    for i in range(k):
        rf.predict_proba(xte[i:i + 1])
    single = time.perf_counter() - t0
    print("rows: %d train, %d test (%d DGA)" % (len(ytr), len(yte),
                                                 int(yte.sum())))
    for name, s in (("dnshunt", ours), ("scikit-learn", theirs)):
        acc = float(((s > 0.5).astype(int) == yte).mean())
        print("%-13s accuracy %.4f  AUC %.5f" % (name, acc,
                                                  roc_auc_score(yte, s)))
    print("scikit-learn  fit %.2f s on 2 cores" % fit)
    print("scikit-learn  predict_proba, batched (best of 3): %.3f us/name"
          % (batch * 1e6 / len(xte)))
    print("scikit-learn  predict_proba, one name a call: %.1f us/name"
          % (single * 1e6 / k))


main()
