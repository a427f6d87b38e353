#!/usr/bin/env python3
"""Regenerates every oracle in tests/oracles/*.json from scikit-learn and numpy themselves
(versions pinned in tests/oracles/requirements.txt): rng_streams.json (numpy RandomState
streams), mc_*.json + index.json (make_classification datasets; the index flag says whether
the first documented OpenBLAS rounding model, `documented_model_reproduces` below, gives every np.dot bit for bit
here), trace_base_*.json (the same call replayed step by step), blog70_seed0_summary.json,
cv_*.json and grid_*.json (cross_val_score / GridSearchCV with RandomForestClassifier),
tables/*.csv (tables shipped in the scikit-learn wheel, as CSV) and tables/*.json (sklearn's
forest and cross_val_score on each CSV as read back).

  python3 tests/oracles/generate.py           # rewrite tests/oracles/*.json
  python3 tests/oracles/generate.py --check   # regenerate into a temp dir and compare;
                                              # exit 1 if a file differs or is missing
  options: --jobs N (worker processes, default: CPU count), --only GLOB (e.g. 'mc_*', 'tables/*')

Runs from anywhere: the first run creates ${CARGO_TARGET_DIR:-target}/oracle-venv (relative to
the repository root, rebuilt when requirements.txt changes) and re-executes itself inside it.
Output is byte-identical except the volatile fields `sklearn_seconds_n_jobs_1` (wall-clock) and
meta.python/meta.machine: --check compares parsed values without them (floats by repr, i.e.
bit for bit), and a rewrite leaves a file alone when only those differ.

New sklearn/numpy version: bump the pins in requirements.txt (and the dependency pins under
them), run this script without --check, run `cargo test`, review `git diff tests/oracles`.
X's last bits come from numpy's bundled OpenBLAS kernels for the CPU: regenerate on the kind of
machine that made the oracles (x86_64 with AVX-512, OpenBLAS SkylakeX kernels).
"""
import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
FLOAT_FORMAT = ("JSON numbers are Python repr() of float64 (round-trip exact); "
                "*_bits are big-endian hex of the IEEE-754 f64")
VOLATILE_KEYS = {"sklearn_seconds_n_jobs_1"}
VOLATILE_META = {"python", "machine"}


# ---------------------------------------------------------------------------------------------
# venv bootstrap (standard library only)
# ---------------------------------------------------------------------------------------------
def venv_dir():
    target = os.environ.get("CARGO_TARGET_DIR") or "target"
    if not os.path.isabs(target):
        target = os.path.join(REPO, target)
    return os.path.join(target, "oracle-venv")


def ensure_venv():
    vdir = venv_dir()
    py = os.path.join(vdir, "bin", "python")
    stamp_path = os.path.join(vdir, "oracle-requirements.sha256")
    with open(REQUIREMENTS, "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    if os.path.exists(py) and os.path.exists(stamp_path):
        with open(stamp_path) as f:
            if f.read().strip() == want:
                return py
    if os.path.exists(vdir):
        if not os.path.exists(os.path.join(vdir, "pyvenv.cfg")):
            sys.exit(f"{vdir} exists and is not a venv; move it away")
        print(f"requirements changed: rebuilding {vdir}", file=sys.stderr)
        shutil.rmtree(vdir)
    print(f"creating {vdir} ({os.path.basename(REQUIREMENTS)})", file=sys.stderr)
    subprocess.check_call([sys.executable, "-m", "venv", vdir])
    subprocess.check_call([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "--no-input", "-r", REQUIREMENTS])
    with open(stamp_path, "w") as f:
        f.write(want + "\n")
    return py


def reexec_in_venv():
    vdir = venv_dir()
    if os.path.realpath(sys.prefix) == os.path.realpath(vdir):
        return
    if os.environ.get("CORESWEEP_ORACLE_VENV_EXEC"):
        sys.exit(f"re-executed but not running inside {vdir} (sys.prefix={sys.prefix})")
    py = ensure_venv()
    os.environ["CORESWEEP_ORACLE_VENV_EXEC"] = "1"
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


def pinned_versions():
    pins = {}
    with open(REQUIREMENTS) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if "==" in line:
                name, version = line.split("==", 1)
                pins[name.strip().lower()] = version.strip()
    return pins


# ---------------------------------------------------------------------------------------------
# helpers (run inside the venv)
# ---------------------------------------------------------------------------------------------
def bits(v):
    import struct
    return struct.pack(">d", float(v)).hex()


def bits_matrix(a):
    return [[bits(v) for v in row] for row in a]


def meta():
    import platform
    import numpy as np
    import sklearn
    return {"numpy": np.__version__, "sklearn": sklearn.__version__,
            "python": platform.python_version(), "machine": platform.machine(),
            "float_format": FLOAT_FORMAT}


def dump_indented(doc):
    return json.dumps(doc, indent=1)


def dump_compact(doc):
    return json.dumps(doc)


def rng_state(rs):
    """pos, has_gauss, cached_gaussian of a RandomState and the raw word it would draw next."""
    import numpy as np
    _, _key, pos, has_gauss, cached = rs.get_state(legacy=True)
    probe = np.random.RandomState()
    probe.set_state(rs.get_state(legacy=True))
    nxt = int(probe._bit_generator.random_raw())
    return {"pos": int(pos), "has_gauss": int(has_gauss), "cached_gaussian": float(cached),
            "next_raw_uint32": nxt}


# ---------------------------------------------------------------------------------------------
# rng_streams.json
# ---------------------------------------------------------------------------------------------
def make_rng_streams():
    import numpy as np
    from sklearn.utils.random import sample_without_replacement

    RS = np.random.RandomState
    seeds = []
    for seed in (0, 42, 1):
        _, key, pos, has_gauss, cached = RS(seed).get_state(legacy=True)
        raw = RS(seed)._bit_generator.random_raw(1300)
        rs = RS(seed)
        normals = rs.standard_normal(10)
        rs = RS(seed)
        scalar_normals = [float(rs.standard_normal()) for _ in range(11)]
        rs = RS(seed)
        rs.standard_normal()
        after1 = rs.get_state(legacy=True)
        rs = RS(seed)
        interleave = [float(rs.standard_normal()), float(rs.random_sample()),
                      float(rs.standard_normal())]
        rs = RS(seed)
        randint_scalar = [int(rs.randint(0, 7)) for _ in range(10)]
        rs = RS(seed)
        randint_32768 = [int(rs.randint(32768)) for _ in range(10)]
        rs = RS(seed)
        randint1 = rs.randint(1, size=5).tolist()
        then_raw = int(rs._bit_generator.random_raw())
        shuffled10 = np.arange(10)
        RS(seed).shuffle(shuffled10)
        shuffled100 = np.arange(100)
        RS(seed).shuffle(shuffled100)
        random10 = RS(seed).random_sample(10)
        uniform10 = RS(seed).uniform(size=10)
        seeds.append({
            "seed": seed,
            "state_after_seed": {"key": key.tolist(), "pos": int(pos),
                                 "has_gauss": int(has_gauss), "cached_gaussian": float(cached)},
            "raw_uint32_first_20": raw[:20].tolist(),
            "raw_uint32_620_to_640": raw[620:640].tolist(),
            "raw_uint32_1240_to_1260": raw[1240:1260].tolist(),
            "random_sample_10": random10.tolist(),
            "random_sample_10_bits": [bits(v) for v in random10],
            "uniform_size10_equals_random_sample_10":
                [bits(v) for v in uniform10] == [bits(v) for v in random10],
            "standard_normal_10": normals.tolist(),
            "standard_normal_10_bits": [bits(v) for v in normals],
            "standard_normal_scalar_11": scalar_normals,
            "after_1_standard_normal": {"pos": int(after1[2]), "has_gauss": int(after1[3]),
                                        "cached_gaussian": float(after1[4]),
                                        "cached_gaussian_bits": bits(after1[4])},
            "interleave_normal_uniform_normal": interleave,
            "randint_0_7_size10": RS(seed).randint(0, 7, size=10).tolist(),
            "randint_0_7_scalar_10": randint_scalar,
            "randint_2_size20": RS(seed).randint(2, size=20).tolist(),
            "randint_32768_scalar_10": randint_32768,
            "randint_1_size5_then_raw": {"randint1": randint1, "next_raw_uint32": then_raw},
            "shuffle_arange10": shuffled10.tolist(),
            "permutation_10": RS(seed).permutation(10).tolist(),
            "shuffle_arange100": shuffled100.tolist(),
            "sample_without_replacement": {
                name: sample_without_replacement(n, k, random_state=RS(seed)).tolist()
                for name, n, k in (("8_choose_3_permutation_branch", 8, 3),
                                   ("32768_choose_4_tracking_branch", 32768, 4),
                                   ("100_choose_99_reservoir_branch", 100, 99),
                                   ("4_choose_4_reservoir_no_draws", 4, 4))},
        })
    return {"rng_streams.json": dump_indented({"meta": meta(), "seeds": seeds})}


# ---------------------------------------------------------------------------------------------
# make_classification: cases, a step-by-step replay, and the documented BLAS model
# ---------------------------------------------------------------------------------------------
SEEDS = (0, 42)
BASE = {"n_samples": 20, "n_features": 6, "n_informative": 3, "n_redundant": 1,
        "n_repeated": 1, "n_classes": 3, "n_clusters_per_class": 1}
DEFAULTS = {"flip_y": 0.01, "class_sep": 1.0, "hypercube": True, "shift": 0.0, "scale": 1.0,
            "shuffle": True, "weights": None}


def _shape(ns, nf, ni, nred, nrep, ncls, cpc):
    return {"n_samples": ns, "n_features": nf, "n_informative": ni, "n_redundant": nred,
            "n_repeated": nrep, "n_classes": ncls, "n_clusters_per_class": cpc}


# (name, overrides of BASE, keyword arguments beyond the seven counts), in index.json's order
CASES = [
    ("base", {}, {}),
    ("noshuffle", {}, {"shuffle": False}),
    ("nohypercube", {}, {"hypercube": False}),
    ("weights_2cls", {"n_classes": 2}, {"weights": [0.2, 0.8]}),
    ("weights_2cls_short", {"n_classes": 2}, {"weights": [0.3]}),
    ("flip0", {}, {"flip_y": 0.0}),
    ("flip_half", {}, {"flip_y": 0.5}),
    ("shift_scale_none", {}, {"shift": None, "scale": None}),
    ("shift_scale_none_noshuffle", {}, {"shift": None, "scale": None, "shuffle": False}),
    ("class_sep_2", {}, {"class_sep": 2.0}),
    ("clusters2_cls2", {"n_classes": 2, "n_clusters_per_class": 2}, {}),
    ("odd_gauss_count", {"n_samples": 7, "n_redundant": 0, "n_repeated": 0}, {}),
    ("sklearn_defaults_n30", _shape(30, 20, 2, 2, 0, 2, 2), {}),
    ("blog_like_n25", _shape(25, 20, 15, 5, 0, 2, 2), {}),
    ("informative_32", _shape(12, 34, 32, 1, 1, 2, 1), {}),
    ("one_class", {"n_classes": 1, "n_clusters_per_class": 2}, {}),
    ("single_row_clusters_inf8", _shape(3, 10, 8, 2, 0, 2, 2), {}),  # 1-row clusters: dgemv_n
    ("informative_20", _shape(40, 24, 20, 2, 0, 2, 1), {}),  # > 16 output columns in dgemm
    ("empty_cluster", {"n_samples": 2}, {}),  # 3 clusters, 2 samples: A drawn for an empty one
]


def replay_make_classification(n_samples, n_features, n_informative, n_redundant, n_repeated,
                               n_classes, n_clusters_per_class, weights=None, flip_y=0.01,
                               class_sep=1.0, hypercube=True, shift=0.0, scale=1.0,
                               shuffle=True, random_state=0):
    """make_classification replayed call by call on a numpy RandomState, keeping every
    intermediate array and every np.dot (inputs and output). Checked against sklearn's output
    by the callers: a new sklearn that changes the algorithm fails loudly here."""
    import numpy as np
    from sklearn.utils.random import sample_without_replacement

    g = np.random.RandomState(random_state)
    if weights is None:
        w = [1.0 / n_classes] * n_classes
    elif len(weights) == n_classes - 1:
        w = list(weights) + [1.0 - sum(weights)]
    else:
        w = list(weights)
    n_random = n_features - n_informative - n_redundant - n_repeated
    n_clusters = n_classes * n_clusters_per_class
    per_cluster = [int(n_samples * w[k % n_classes] / n_clusters_per_class)
                   for k in range(n_clusters)]
    for i in range(n_samples - sum(per_cluster)):
        per_cluster[i % n_clusters] += 1
    X = np.zeros((n_samples, n_features))
    y = np.zeros(n_samples, dtype=int)
    t = {"n_samples_per_cluster": list(per_cluster)}

    def hypercube_bits(samples, dims):
        if dims > 30:
            left = g.randint(2, size=(samples, dims - 30))
            ids, right = hypercube_bits(samples, 30)
            return ids, np.hstack([left, right])
        ids = sample_without_replacement(2 ** dims, samples, random_state=g)
        rows = [[(int(v) >> (dims - 1 - d)) & 1 for d in range(dims)] for v in ids]
        return ids, np.array(rows, dtype=np.uint8).reshape(samples, dims)

    ids, vertex_bits = hypercube_bits(n_clusters, n_informative)
    t["hypercube_vertex_ids"] = ids.tolist()
    centroids = vertex_bits.astype(float)
    centroids *= 2 * class_sep
    centroids -= class_sep
    if not hypercube:
        centroids *= g.uniform(size=(n_clusters, 1))
        centroids *= g.uniform(size=(1, n_informative))
    t["centroids"] = centroids.tolist()

    X[:, :n_informative] = g.standard_normal(size=(n_samples, n_informative))
    t["X_informative_raw_normals"] = X[:, :n_informative].tolist()
    products = []
    t["A"] = []
    stop = 0
    for k in range(n_clusters):
        start, stop = stop, stop + per_cluster[k]
        y[start:stop] = k % n_classes
        A = 2 * g.uniform(size=(n_informative, n_informative)) - 1
        t["A"].append(A.tolist())
        view = X[start:stop, :n_informative]
        before = view.copy()
        view[...] = np.dot(view, A)
        products.append((before, A, view.copy()))
        view += centroids[k]
    t["X_informative_after_clusters"] = X[:, :n_informative].tolist()
    t["B"] = []
    if n_redundant > 0:
        B = 2 * g.uniform(size=(n_informative, n_redundant)) - 1
        t["B"] = B.tolist()
        before = X[:, :n_informative].copy()
        X[:, n_informative:n_informative + n_redundant] = np.dot(X[:, :n_informative], B)
        products.append((before, B, X[:, n_informative:n_informative + n_redundant].copy()))
    t["X_redundant"] = X[:, n_informative:n_informative + n_redundant].tolist()
    n = n_informative + n_redundant
    t["repeat_uniforms"], t["repeat_indices"] = [], []
    if n_repeated > 0:
        u = g.uniform(size=n_repeated)
        idx = ((n - 1) * u + 0.5).astype(np.intp)
        X[:, n:n + n_repeated] = X[:, idx]
        t["repeat_uniforms"], t["repeat_indices"] = u.tolist(), idx.tolist()
    if n_random > 0:
        X[:, -n_random:] = g.standard_normal(size=(n_samples, n_random))
    t["X_random"] = X[:, n_features - n_random:].tolist()
    flip_u = g.uniform(size=n_samples)
    mask = flip_u < flip_y
    new_labels = g.randint(n_classes, size=int(mask.sum()))
    y[mask] = new_labels
    t["flip_uniforms"] = flip_u.tolist()
    t["flip_mask_indices"] = np.flatnonzero(mask).tolist()
    t["flip_new_labels"] = new_labels.tolist()
    if shift is None:
        shift = (2 * g.uniform(size=n_features) - 1) * class_sep
    X += shift
    if scale is None:
        scale = 1 + 100 * g.uniform(size=n_features)
    X *= scale
    t["X_before_shuffle"] = X.tolist()
    t["y_before_shuffle"] = y.tolist()
    rows = np.arange(n_samples)
    cols = np.arange(n_features)
    if shuffle:
        g.shuffle(rows)
        X, y = X[rows], y[rows]
        g.shuffle(cols)
        X[:, :] = X[:, cols]
    t["row_permutation"] = rows.tolist()
    t["col_permutation"] = cols.tolist()
    t["X_final"] = X.tolist()
    t["y_final"] = y.tolist()
    return X, y, g, t, products


def _fma(a, b, c):
    """fused multiply-add, rounded once (exact rational arithmetic)."""
    from fractions import Fraction
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def _fma_chain(row, col):
    acc = 0.0
    for a, b in zip(row, col):
        acc = _fma(a, b, acc)
    return acc


def _gemv_t(rows, v):
    """M @ v (one output column, >= 2 rows) as OpenBLAS's dgemv_t kernels (the documented model)."""
    m, k = len(rows), len(v)
    nb = k - k % 4
    groups = m // 4
    out = []
    for j, row in enumerate(rows):
        acc = 0.0
        if nb:
            if j < 4 * groups:  # 4x4 kernel: four FMA lanes, lane l <- indices = l (mod 4)
                lanes = [0.0] * 4
                for i in range(0, nb, 4):
                    for lane in range(4):
                        lanes[lane] = _fma(row[i + lane], v[i + lane], lanes[lane])
                part = (lanes[0] + lanes[2]) + (lanes[1] + lanes[3])
            elif (m % 4) & 2 and j < 4 * groups + 2:  # 4x2 kernel: even/odd, no FMA
                even = odd = 0.0
                for i in range(0, nb, 2):
                    even = even + row[i] * v[i]
                    odd = odd + row[i + 1] * v[i + 1]
                part = even + odd
            else:  # 4x1 kernel: two 2-lane accumulators, no FMA
                a0 = a1 = b0 = b1 = 0.0
                for i in range(0, nb, 4):
                    a0 = a0 + row[i] * v[i]
                    a1 = a1 + row[i + 1] * v[i + 1]
                    b0 = b0 + row[i + 2] * v[i + 2]
                    b1 = b1 + row[i + 3] * v[i + 3]
                part = (a0 + b0) + (a1 + b1)
            acc = 0.0 + part
        tail = k - nb
        if tail == 1:
            acc = _fma(row[nb], v[nb], acc)
        elif tail >= 2:
            s = _fma(row[nb], v[nb], row[nb + 1] * v[nb + 1])
            if tail == 3:
                s = _fma(row[nb + 2], v[nb + 2], s)
            acc = acc + s
        out.append(acc)
    return out


def documented_model_reproduces(products):
    """True when the documented OpenBLAS model (see `_gemv_t`) gives every np.dot of the call
    bit for bit: a sequential FMA chain per entry, except (>= 2 rows) @ (1 column) -> dgemv_t."""
    for left, right, got in products:
        m, n = left.shape[0], right.shape[1]
        if m == 0:
            continue
        lrows = left.tolist()
        rcols = right.T.tolist()
        if n == 1 and m >= 2:
            want = [[v] for v in _gemv_t(lrows, rcols[0])]
        else:
            want = [[_fma_chain(r, c) for c in rcols] for r in lrows]
        if bits_matrix(want) != bits_matrix(got.tolist()):
            return False
    return True


def run_case(counts, extra, seed):
    """sklearn's make_classification and the replay; fails unless they agree exactly."""
    import numpy as np
    from sklearn.datasets import make_classification

    rs = np.random.RandomState(seed)
    bunch = make_classification(**counts, **extra, random_state=rs, return_X_y=False)
    X, y, g, trace, products = replay_make_classification(**counts, **extra, random_state=seed)
    same = (X.shape == bunch.X.shape and bits_matrix(X) == bits_matrix(bunch.X)
            and y.tolist() == bunch.y.tolist() and rng_state(g) == rng_state(rs)
            and g.get_state(legacy=True)[1].tolist() == rs.get_state(legacy=True)[1].tolist())
    return bunch, rs, trace, products, same


def make_datasets():
    import numpy as np

    out = {}
    entries = []
    for name, overrides, extra in CASES:
        counts = dict(BASE, **overrides)
        for seed in SEEDS:
            full = f"{name}_seed{seed}"
            bunch, rs, _trace, products, same = run_case(counts, extra, seed)
            if not same:
                raise SystemExit(f"{full}: the step-by-step replay no longer matches sklearn's "
                                 "make_classification; update replay_make_classification()")
            X = bunch.X
            shift, scale = bunch.parameters["shift"], bunch.parameters["scale"]
            doc = {
                "name": full,
                "params": dict(counts, **extra, random_state=seed),
                "effective_defaults": dict(DEFAULTS, **extra),
                "shape": list(X.shape),
                "X": X.tolist(),
                "X_bits": bits_matrix(X),
                "y": bunch.y.tolist(),
                "feature_info": list(bunch.feature_info),
                "shift_used": shift.tolist() if isinstance(shift, np.ndarray) else shift,
                "scale_used": scale.tolist() if isinstance(scale, np.ndarray) else scale,
                "rng_state_after": rng_state(rs),
            }
            fname = f"mc_{full}.json"
            out[fname] = dump_indented(doc)
            entries.append({"file": fname, "name": full, "shape": list(X.shape),
                            "x_bit_exact_with_documented_blas_model":
                                documented_model_reproduces(products)})

    for seed in SEEDS:
        _bunch, _rs, trace, _products, same = run_case(BASE, {}, seed)
        doc = {"meta": meta(), "params": dict(BASE, random_state=seed)}
        doc.update(trace)
        doc["matches_sklearn"] = same
        out[f"trace_base_seed{seed}.json"] = dump_indented(doc)

    m = meta()
    made_with = f"scikit-learn {m['sklearn']}, numpy {m['numpy']}"
    index = {
        "meta": m,
        "base_params": dict(BASE),
        "seeds": list(SEEDS),
        "datasets": entries,
        "model_selection": {
            "made_with": made_with,
            "data": "make_classification(n_samples=1000, n_features=20, n_informative=15, "
                    "n_redundant=5, random_state=S) for cv_seq02/grid_seq03; "
                    "(2000, 70, 65, 5, random_state=S) for cv_default5",
            "files": {
                "cv_seq02_seed{S}.json": "cross_val_score(RandomForestClassifier(n_estimators=100,"
                    " random_state=S), X, y, scoring='accuracy', cv=RepeatedStratifiedKFold("
                    "n_splits=10, n_repeats=3, random_state=S)); test_folds in split order",
                "grid_seq03_seed{S}.json": "GridSearchCV(RandomForestClassifier(n_estimators=100,"
                    " random_state=S), {'max_features': [1,2,3,4,5]}, cv=the same "
                    "RepeatedStratifiedKFold, scoring='accuracy'); cv_results_ and the refit's "
                    "node count",
                "cv_default5_seed{S}.json": "cross_val_score(RandomForestClassifier(n_estimators=50,"
                    " random_state=S), X, y, cv=5) = StratifiedKFold(5), no shuffle",
            },
            "seeds": list(SEEDS),
        },
    }
    out["index.json"] = dump_indented(index)
    return out


def make_blog70():
    import numpy as np
    import sklearn
    from sklearn.datasets import make_classification

    params = {"n_samples": 10000, "n_features": 70, "n_informative": 65, "n_redundant": 5,
              "random_state": 0}
    X, y = make_classification(**params, return_X_y=True)
    # which entries to list: 2000 (row, column) pairs drawn with replacement, rows then columns
    sampler = np.random.RandomState(12345)
    rows = sampler.randint(0, X.shape[0], size=2000)
    cols = sampler.randint(0, X.shape[1], size=2000)
    doc = {
        "params": params,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "y": "".join(str(int(v)) for v in y),
        "col_sums": X.sum(axis=0).tolist(),
        "samples": [[int(r), int(c), float(X[r, c])] for r, c in zip(rows, cols)],
        "sha256_X_le_f64": hashlib.sha256(
            np.ascontiguousarray(X, dtype="<f8").tobytes()).hexdigest(),
    }
    return {"blog70_seed0_summary.json": dump_compact(doc)}


# ---------------------------------------------------------------------------------------------
# model selection: cross_val_score / GridSearchCV with RandomForestClassifier
# ---------------------------------------------------------------------------------------------
def _data(n_samples, n_features, n_informative, n_redundant, seed):
    from sklearn.datasets import make_classification
    dataset = {"n_samples": n_samples, "n_features": n_features, "n_informative": n_informative,
               "n_redundant": n_redundant, "random_state": seed}
    X, y = make_classification(**dataset)
    return dataset, X, y


def make_cv_seq02(seed):
    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import RepeatedStratifiedKFold, cross_val_score

    dataset, X, y = _data(1000, 20, 15, 5, seed)
    cv = RepeatedStratifiedKFold(n_splits=10, n_repeats=3, random_state=seed)
    folds = [test.tolist() for _train, test in cv.split(X, y)]
    forest = RandomForestClassifier(n_estimators=100, random_state=seed)
    started = time.time()
    scores = cross_val_score(forest, X, y, scoring="accuracy", cv=cv, n_jobs=1)
    seconds = time.time() - started
    doc = {"sklearn": sklearn.__version__, "case": "cross_val_score", "dataset": dataset,
           "forest": {"n_estimators": 100, "random_state": seed},
           "cv": {"kind": "RepeatedStratifiedKFold", "n_splits": 10, "n_repeats": 3,
                  "random_state": seed},
           "test_folds": folds, "scores": scores.tolist(), "mean": float(scores.mean()),
           "sklearn_seconds_n_jobs_1": seconds}
    return {f"cv_seq02_seed{seed}.json": dump_compact(doc)}


def make_cv_default5(seed):
    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    dataset, X, y = _data(2000, 70, 65, 5, seed)
    folds = [test.tolist() for _train, test in StratifiedKFold(n_splits=5).split(X, y)]
    forest = RandomForestClassifier(n_estimators=50, random_state=seed)
    scores = cross_val_score(forest, X, y, cv=5, n_jobs=1)
    doc = {"sklearn": sklearn.__version__, "case": "cross_val_score", "dataset": dataset,
           "forest": {"n_estimators": 50, "random_state": seed},
           "cv": {"kind": "StratifiedKFold", "n_splits": 5, "shuffle": False},
           "test_folds": folds, "scores": scores.tolist()}
    return {f"cv_default5_seed{seed}.json": dump_compact(doc)}


def make_grid_seq03(seed):
    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import GridSearchCV, RepeatedStratifiedKFold

    dataset, X, y = _data(1000, 20, 15, 5, seed)
    cv = RepeatedStratifiedKFold(n_splits=10, n_repeats=3, random_state=seed)
    grid = {"max_features": [1, 2, 3, 4, 5]}
    search = GridSearchCV(RandomForestClassifier(n_estimators=100, random_state=seed), grid,
                          cv=cv, scoring="accuracy", n_jobs=1)
    started = time.time()
    search.fit(X, y)
    seconds = time.time() - started
    res = search.cv_results_
    n_splits = cv.get_n_splits()
    doc = {"sklearn": sklearn.__version__, "case": "GridSearchCV", "dataset": dataset,
           "forest": {"n_estimators": 100, "random_state": seed}, "param_grid": grid,
           "cv": {"kind": "RepeatedStratifiedKFold", "n_splits": 10, "n_repeats": 3,
                  "random_state": seed},
           "mean_test_score": res["mean_test_score"].tolist(),
           "std_test_score": res["std_test_score"].tolist(),
           "rank_test_score": res["rank_test_score"].tolist(),
           "split_test_scores": [[float(res[f"split{s}_test_score"][p]) for s in range(n_splits)]
                                 for p in range(len(grid["max_features"]))],
           "best_params": {k: int(v) for k, v in search.best_params_.items()},
           "best_score": float(search.best_score_),
           "refit_total_nodes": int(sum(t.tree_.node_count
                                        for t in search.best_estimator_.estimators_)),
           "sklearn_seconds_n_jobs_1": seconds}
    return {f"grid_seq03_seed{seed}.json": dump_compact(doc)}


# ---------------------------------------------------------------------------------------------
# tables: datasets shipped in the scikit-learn wheel, written to CSV, and sklearn's forest on them
# ---------------------------------------------------------------------------------------------
# name -> (loader, whether the target column holds the class names rather than numbers)
TABLES = {"breast_cancer": ("load_breast_cancer", True), "wine": ("load_wine", True),
          "digits": ("load_digits", False)}
TABLE_TREES = 20


def read_table_back(text):
    """The table as a user's pandas would see it, without pandas: features as float64
    (np.loadtxt parses like float(), correctly rounded) and labels as numbers when every one
    is a number, else as text (pandas' int/float vs object column)."""
    import io
    import numpy as np
    header = text.split("\n", 1)[0].split(",")
    x = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1,
                   usecols=range(len(header) - 1), dtype=np.float64)
    labels = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1, usecols=[len(header) - 1],
                        dtype=str)
    try:
        y = labels.astype(np.float64)
    except ValueError:
        y = labels
    return header, x, y


def make_table(name):
    import numpy as np
    import sklearn
    import sklearn.datasets
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    loader, named_classes = TABLES[name]
    bunch = getattr(sklearn.datasets, loader)()
    labels = bunch.target_names[bunch.target] if named_classes else bunch.target
    lines = [",".join(list(bunch.feature_names) + ["target"])]
    lines += [",".join([repr(float(v)) for v in row] + [str(label)])
              for row, label in zip(bunch.data, labels)]
    text = "\n".join(lines) + "\n"
    header, X, y = read_table_back(text)
    assert np.array_equal(X, bunch.data), f"{name}: the CSV does not round-trip X"
    forest = RandomForestClassifier(n_estimators=TABLE_TREES, random_state=0, oob_score=True)
    forest.fit(X, y)
    folds = [test.tolist() for _train, test in StratifiedKFold(n_splits=5).split(X, y)]
    scores = cross_val_score(RandomForestClassifier(n_estimators=TABLE_TREES, random_state=0),
                             X, y, cv=5, n_jobs=1)
    doc = {"sklearn": sklearn.__version__, "case": "table", "loader": f"sklearn.datasets.{loader}",
           "csv": f"tables/{name}.csv",
           "csv_sha256": hashlib.sha256(text.encode()).hexdigest(),
           "n_rows": int(X.shape[0]), "n_features": int(X.shape[1]), "target": header[-1],
           "classes": [c.item() for c in forest.classes_],
           "forest": {"n_estimators": TABLE_TREES, "random_state": 0, "oob_score": True},
           "node_counts": [int(e.tree_.node_count) for e in forest.estimators_],
           "oob_score": float(forest.oob_score_),
           "cv": {"kind": "StratifiedKFold", "n_splits": 5, "shuffle": False},
           "cv_test_folds": folds, "cv_scores": scores.tolist()}
    return {f"tables/{name}.csv": text, f"tables/{name}.json": dump_compact(doc)}


# (files made, function, arguments), the slowest first so that the workers finish together
TASKS = ([([f"grid_seq03_seed{s}.json"], make_grid_seq03, (s,)) for s in SEEDS]
         + [([f"cv_seq02_seed{s}.json"], make_cv_seq02, (s,)) for s in SEEDS]
         + [([f"cv_default5_seed{s}.json"], make_cv_default5, (s,)) for s in SEEDS]
         + [(["blog70_seed0_summary.json"], make_blog70, ()),
            ([f"mc_{name}_seed{s}.json" for name, _o, _e in CASES for s in SEEDS]
             + [f"trace_base_seed{s}.json" for s in SEEDS] + ["index.json"], make_datasets, ()),
            (["rng_streams.json"], make_rng_streams, ())]
         + [([f"tables/{name}.csv", f"tables/{name}.json"], make_table, (name,))
            for name in TABLES])


def _run(task):
    _names, fn, args = task
    started = time.time()
    return fn(*args), time.time() - started


# ---------------------------------------------------------------------------------------------
# comparison
# ---------------------------------------------------------------------------------------------
def differences(a, b, path="", limit=5):
    """Paths where two parsed JSON values differ (floats by repr, so bit for bit), ignoring the
    volatile fields."""
    found = []

    def walk(x, y, p):
        if len(found) >= limit:
            return
        if type(x) is not type(y):
            found.append(f"{p or '/'}: {type(x).__name__} vs {type(y).__name__}")
        elif isinstance(x, dict):
            for k in list(x) + [k for k in y if k not in x]:
                if k in VOLATILE_KEYS or (p == "/meta" and k in VOLATILE_META):
                    continue
                if k not in x or k not in y:
                    found.append(f"{p}/{k}: only in {'new' if k in x else 'committed'}")
                else:
                    walk(x[k], y[k], f"{p}/{k}")
            if list(x) != list(y):
                found.append(f"{p or '/'}: key order")
        elif isinstance(x, list):
            if len(x) != len(y):
                found.append(f"{p or '/'}: length {len(x)} vs {len(y)}")
            for i, (u, v) in enumerate(zip(x, y)):
                walk(u, v, f"{p}/{i}")
        elif repr(x) != repr(y):
            found.append(f"{p or '/'}: {x!r} vs {y!r}")

    walk(a, b, path)
    return found


def compare(name, new_text, old_text):
    """('bytes' | 'values' | 'differs', details); a file that is not JSON by bytes"""
    if new_text == old_text:
        return "bytes", []
    if not name.endswith(".json"):
        return "differs", ["the bytes differ"]
    diffs = differences(json.loads(new_text), json.loads(old_text))
    return ("differs", diffs) if diffs else ("values", [])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temp dir and compare with tests/oracles")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", metavar="GLOB", help="only the tasks making files like GLOB")
    opts = parser.parse_args()
    reexec_in_venv()

    import numpy as np
    import sklearn
    pins = pinned_versions()
    for pkg, have in (("numpy", np.__version__), ("scikit-learn", sklearn.__version__)):
        if pins.get(pkg) != have:
            sys.exit(f"{pkg} {have} installed but requirements.txt pins {pins.get(pkg)}")

    tasks = [t for t in TASKS
             if not opts.only or any(fnmatch.fnmatch(n, opts.only) for n in t[0])]
    started = time.time()
    produced = {}
    if opts.jobs > 1 and len(tasks) > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(min(opts.jobs, len(tasks))) as pool:
            results = pool.map(_run, tasks, chunksize=1)
    else:
        results = [_run(t) for t in tasks]
    for (names, _fn, _args), (files, seconds) in zip(tasks, results):
        assert sorted(files) == sorted(names), (sorted(files), sorted(names))
        print(f"  made {names[0]}" + (f" and {len(names) - 1} more" if len(names) > 1 else "")
              + f" in {seconds:.1f} s", flush=True)
        produced.update(files)
    if opts.only:
        produced = {k: v for k, v in produced.items() if fnmatch.fnmatch(k, opts.only)}

    committed = sorted([p for p in os.listdir(HERE) if p.endswith(".json")]
                       + [f"tables/{p}" for p in os.listdir(os.path.join(HERE, "tables"))])
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(produced):
            text = produced[name]
            path = os.path.join(HERE, name)
            old = open(path).read() if os.path.exists(path) else None
            if opts.check:
                os.makedirs(os.path.dirname(os.path.join(tmp, name)), exist_ok=True)
                with open(os.path.join(tmp, name), "w") as f:
                    f.write(text)
            if old is None:
                status, details = "missing", []
            else:
                status, details = compare(name, text, old)
            if opts.check:
                label = {"bytes": "identical (bytes)",
                         "values": "identical (values; only volatile fields differ)",
                         "differs": "DIFFERS", "missing": "MISSING from tests/oracles"}[status]
                bad += status in ("differs", "missing")
            elif status in ("bytes", "values"):
                label = "unchanged" + (" (kept; only volatile fields differ)"
                                       if status == "values" else "")
            else:
                with open(path, "w") as f:
                    f.write(text)
                label = "written (new)" if old is None else "written (changed)"
            print(f"{name}: {label}")
            for d in details:
                print(f"    {d}")
    if not opts.only:
        for name in committed:
            if name not in produced:
                print(f"{name}: not made by this script")
                bad += opts.check
    print(f"{len(produced)} files, {bad} differing, {time.time() - started:.0f} s"
          + ("" if opts.check else " (tests/oracles updated)"))
    return 1 if (opts.check and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
