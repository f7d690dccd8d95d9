# @title dlmath set-up: run this cell first
# dlmath set-up cell. It imports Keras and NumPy, chooses the profile (quick or full), finds
# the data, and defines the helpers every chapter shares: gradient checks, kernel-free figures,
# expected-error checks and the run record. Every later cell needs it, so run it first.
# Canonical copy: tools/setup_cell.py; after editing it, run `make sync` to copy it into
# every chapter.
import datetime
import hashlib
import html
import importlib.metadata
import importlib.util
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

NOTEBOOK_START = time.perf_counter()


class DlmathError(RuntimeError):
    """A set-up problem, shown as one sentence rather than a traceback."""

    def _render_traceback_(self):  # IPython calls this to print the error
        return [f"DlmathError: {self}"]


# Colab has TensorFlow and Keras: install only what it lacks, never those two.
NEEDED = {"numpy": "numpy", "matplotlib": "matplotlib", "ipywidgets": "ipywidgets",
          "sklearn": "scikit-learn", "PIL": "pillow", "keras": None}
missing = [mod for mod in NEEDED if importlib.util.find_spec(mod) is None]
if missing and "google.colab" in sys.modules and all(NEEDED[m] for m in missing):
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    *(NEEDED[m] for m in missing)], check=True)
elif missing:
    raise DlmathError(f"the Python packages {', '.join(missing)} are missing; install "
                      "the book's stack with `pip install -r requirements.txt`.")



def import_keras_quietly():
    """Import Keras, dropping TensorFlow's C++ start-up notes about absent CUDA drivers."""
    import tempfile
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    noise = ("absl::InitializeLog", "cudart_stub", "cuInit", "cuda_platform", "cuda_dnn",
             "cuda_fft", "cuda_blas", "computation_placer", "TF-TRT")
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as log:
        os.dup2(log.fileno(), 2)  # C++ libraries write to file descriptor 2 directly
        try:
            import keras
            if keras.backend.backend() == "tensorflow":
                import tensorflow as tf
                tf.config.list_physical_devices("GPU")
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        log.seek(0)
        for line in log.read().decode(errors="replace").splitlines():
            if line.strip() and not any(word in line for word in noise):
                print(line, file=sys.stderr)
    return keras


keras = import_keras_quietly()
import IPython.display  # noqa: E402
import numpy as np  # noqa: E402

BACKEND = keras.backend.backend()


def backend_sees_gpu():
    """True when the active Keras backend can run on a GPU."""
    if BACKEND == "tensorflow":
        import tensorflow as tf
        return bool(tf.config.list_physical_devices("GPU"))
    if BACKEND == "jax":
        import jax
        return any(d.platform == "gpu" for d in jax.devices())
    if BACKEND == "torch":
        import torch
        return torch.cuda.is_available()
    return False


def choose_profile():
    """DLMATH_PROFILE: 'quick' or 'full'; unset means 'full' on a GPU, else 'quick'."""
    value = os.environ.get("DLMATH_PROFILE", "").strip()
    if not value:
        return "full" if GPU else "quick"
    if value not in ("quick", "full"):
        raise DlmathError(f"DLMATH_PROFILE is {value!r}, but the valid values are 'quick' "
                          "and 'full' (or leave it unset: 'full' on a GPU, else 'quick').")
    return value


# Every data file the book reads: the offline mirror's files (DLMATH_DATA, laid out like
# shared/data) and the official downloads, each with its sha256.
DATASETS = {
    "mnist": {
        "mirror": {"mnist.npz": "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"},
        "official": {"mnist.npz": (
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
            "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")},
    },
    "cifar10": {
        "copy": {"mirror": "JPEG copy, quality 75 (lossy pixels)",
                 "official": "official Python arrays"},
        "mirror": {"cifar10_jpeg_q75.tar.gz":
                   "4bbb247519ec113024735c0bd3116aacc044fbd2a8fe2c96a0428fca47bc12ec"},
        "official": {"cifar-10-python.tar.gz": (
            "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
            "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce")},
    },
    "imdb": {
        "mirror": {"aclImdb_v1_labeled.tar.gz":
                   "7310262ea3538a8656f2e694328066cee7bf5c728579084280e5fed530d79fd1"},
        "official": {"aclImdb_v1.tar.gz": (
            "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
            "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe")},
    },
    "sst": {
        "mirror": {
            "train.txt": "e2f3f41b0b1e6d4dddc0effe3bfc2d27ed8928079aa9a03d652311614fc5feb7",
            "dev.txt": "0e9336aed6e4730e19f58d00a77b3f0297efdb755f7b5e598c98a05e3f97ea40",
            "test.txt": "6e54806dee95cf80cd918e7dfb3f6770f6df24bf826f289a4d1f709e1c8f6761"},
        "official": {"trainDevTestTrees_PTB.zip": (
            "https://nlp.stanford.edu/sentiment/trainDevTestTrees_PTB.zip",
            "5c613a4f673fc74097d523a2c83f38e0cc462984d847b82c7aaf36b01cbbbfcc")},
    },
}
FIX = ("point DLMATH_DATA at an offline mirror laid out like shared/data (see its README), "
       "or unset it to download the official files")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keras_cache():
    """The folder where keras.utils.get_file keeps downloads."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return pathlib.Path(home) / "datasets"


def data_files(dataset):
    """Verified local paths of one data set's files, and where they came from.

    Returns (source, {file name: path}); source is 'mirror' or 'official'.
    Stops with one sentence if a folder or file is missing, a download fails or a
    checksum does not match. Never substitutes other data.
    """
    if dataset not in DATASETS:
        raise DlmathError(f"unknown data set {dataset!r}; the book knows {', '.join(DATASETS)}.")
    root = os.environ.get("DLMATH_DATA", "").strip()
    paths = {}
    if root:
        folder = pathlib.Path(root).expanduser() / dataset
        if not pathlib.Path(root).expanduser().is_dir():
            raise DlmathError(f"DLMATH_DATA is {root!r}, which is not a folder; {FIX}.")
        for name, expected in DATASETS[dataset]["mirror"].items():
            path = folder / name
            if not path.is_file():
                raise DlmathError(f"the offline mirror lacks {dataset}/{name} (looked for "
                                  f"{str(path)!r}); copy it from the mirror, or {FIX}.")
            actual = sha256_of(path)
            if actual != expected:
                raise DlmathError(f"{str(path)!r} is corrupt or not the expected file (sha256 "
                                  f"{actual[:12]}..., expected {expected[:12]}...); replace it "
                                  f"with the mirror's copy, or {FIX}.")
            paths[name] = path
        record_data(dataset, "mirror", paths)
        return "mirror", paths
    for name, (url, expected) in DATASETS[dataset]["official"].items():
        try:
            paths[name] = pathlib.Path(keras.utils.get_file(
                name, origin=url, file_hash=expected, hash_algorithm="sha256"))
        except Exception as err:  # network failure or checksum mismatch
            why = (str(err).strip().splitlines() or [""])[0][:200]
            raise DlmathError(f"downloading {url} into {str(keras_cache())!r} failed "
                              f"({type(err).__name__}: {why}); check the connection, or "
                              "set DLMATH_DATA to an offline mirror laid out like "
                              "shared/data.") from None
    record_data(dataset, "official", paths)
    return "official", paths


def autodiff_grad(f, x):
    """Gradient of a scalar function f (written with keras.ops) at x, by the backend's autodiff."""
    x = np.asarray(x, dtype="float64")
    if BACKEND == "tensorflow":
        import tensorflow as tf
        xv = tf.Variable(x)
        with tf.GradientTape() as tape:
            y = f(xv)
        return np.asarray(tape.gradient(y, xv))
    if BACKEND == "jax":
        import jax
        return np.asarray(jax.grad(f)(x))
    if BACKEND == "torch":
        import torch
        xv = torch.tensor(x, requires_grad=True)
        f(xv).backward()
        return xv.grad.numpy()
    raise DlmathError(f"no autodiff helper for the Keras backend {BACKEND!r}; use "
                      "tensorflow, jax or torch.")


def numeric_grad(f, x, h=1e-6):
    """Gradient of a scalar numpy function f at x by central finite differences."""
    x = np.asarray(x, dtype="float64")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def softmax(z):
    """Softmax over the last axis, shifted by the maximum so that exp never overflows."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def conv_params(c_in, c_out, k):
    """Parameters of a k x k convolution from c_in to c_out channels: weights and biases."""
    return c_out * (k * k * c_in + 1)


def percent(value, digits=1):
    """0.9876 -> '98.8%' (results tables)."""
    return f"{100 * value:.{digits}f}%"


def seconds(value):
    """A duration for the results tables: '42 s', or '2.5 s' under ten seconds."""
    return f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"


# Kernel-free figures: the web book has no kernel, so each live widget also gets a form whose
# frames are computed when the page is executed and shown by a few lines of JavaScript.
def kernel_free_figure(fig_id, title, xlabel, ylabel, controls, frames, xlim, ylim,
                       ylog=False, alt=""):
    """A figure for a page without a kernel: curves pre-computed for every combination of
    control values, and a few lines of JavaScript that draw the one selected.

    controls: list of (label, values); frames: {"i-j-...": [(name, xs, ys), ...]} with one
    index per control.
    """
    def clean(values, lim):  # finite, inside the axes, 4 significant digits
        v = np.nan_to_num(np.asarray(values, float), nan=lim[0], posinf=lim[1], neginf=lim[0])
        return [float(f"{u:.4g}") for u in np.clip(v, *lim)]

    spec = {"frames": {k: [[n, clean(x, xlim), clean(y, ylim)] for n, x, y in series]
                       for k, series in frames.items()},
            "xlim": xlim, "ylim": ylim, "ylog": ylog, "title": title,
            "xlabel": xlabel, "ylabel": ylabel, "values": [v for _, v in controls]}
    inputs = "".join(
        f'<label style="margin-right:1em">{html.escape(label)} '
        f'<input type="range" min="0" max="{len(values) - 1}" value="{len(values) // 2}" '
        f'data-control="{i}"> <b data-readout="{i}"></b></label>'
        for i, (label, values) in enumerate(controls))
    return IPython.display.HTML(f"""
<div id="{fig_id}" class="dlmath-figure">{inputs}
<svg viewBox="0 0 640 360" width="100%" style="max-width:640px" role="img"
 aria-label="{html.escape(alt)}"></svg></div>
<script>(function () {{
const spec = {json.dumps(spec)}, root = document.getElementById("{fig_id}");
const svg = root.querySelector("svg"), ctl = [...root.querySelectorAll("[data-control]")];
const W = 640, H = 360, L = 70, R = 110, T = 30, B = 50;
const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];
const lg = v => spec.ylog ? Math.log10(v) : v;
const X = x => L + (x - spec.xlim[0]) / (spec.xlim[1] - spec.xlim[0]) * (W - L - R);
const Y = y => H - B - (lg(y) - lg(spec.ylim[0])) / (lg(spec.ylim[1]) - lg(spec.ylim[0])) * (H - T - B);
const text = (x, y, s, a) => `<text x="${{x}}" y="${{y}}" font-size="12" text-anchor="${{a}}">${{s}}</text>`;
function ticks(lo, hi, log) {{
  if (log) {{ const out = [], step = Math.max(1, Math.round((Math.log10(hi) - Math.log10(lo)) / 6));
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.log10(hi); e += step) out.push(10 ** e); return out; }}
  const raw = (hi - lo) / 5, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * mag).find(m => m >= raw), out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(+t.toPrecision(6));
  return out;
}}
function draw() {{
  const idx = ctl.map(c => +c.value);
  idx.forEach((v, i) => root.querySelector(`[data-readout="${{i}}"]`).textContent = spec.values[i][v]);
  let g = `<rect x="${{L}}" y="${{T}}" width="${{W - L - R}}" height="${{H - T - B}}"
    fill="none" stroke="#888"/>`;
  for (const t of ticks(spec.xlim[0], spec.xlim[1], false))
    g += text(X(t), H - B + 16, t, "middle");
  for (const t of ticks(spec.ylim[0], spec.ylim[1], spec.ylog))
    g += `<line x1="${{L}}" x2="${{W - R}}" y1="${{Y(t)}}" y2="${{Y(t)}}" stroke="#ddd"/>` +
         text(L - 6, Y(t) + 4, spec.ylog ? "1e" + Math.round(Math.log10(t)) : t, "end");
  g += text((L + W - R) / 2, H - 12, spec.xlabel, "middle") + text((L + W - R) / 2, 18, spec.title, "middle");
  g += `<text transform="translate(16,${{(T + H - B) / 2}}) rotate(-90)" font-size="12"
    text-anchor="middle">${{spec.ylabel}}</text>`;
  (spec.frames[idx.join("-")] || []).forEach(([name, xs, ys], k) => {{
    const pts = xs.map((x, i) => X(x).toFixed(1) + "," + Y(ys[i]).toFixed(1)).join(" ");
    g += `<polyline fill="none" stroke="${{colors[k % 5]}}" stroke-width="2" points="${{pts}}"/>`;
    const yk = T + 14 + 16 * k;
    g += `<line x1="${{W - R + 8}}" x2="${{W - R + 24}}" y1="${{yk}}" y2="${{yk}}"
      stroke="${{colors[k % 5]}}" stroke-width="2"/>`
       + text(W - R + 28, T + 18 + 16 * k, name, "start");
  }});
  svg.innerHTML = g;
}}
ctl.forEach(c => c.addEventListener("input", draw));
draw();
}})();</script>""")


def kernel_free_choice(fig_id, controls, frames, legend="", alt=""):
    """Pre-rendered frames (SVG) for every combination of menu choices, and a few lines of
    JavaScript that show the one selected: a widget for a page without a kernel.

    controls: list of (label, option names); frames: {"i-j-...": svg} with one index per menu.
    """
    menus = "".join(
        f'<label style="margin-right:1em">{html.escape(label)} <select data-control="{i}">'
        + "".join(f'<option value="{k}">{html.escape(str(v))}</option>'
                  for k, v in enumerate(values)) + "</select></label>"
        for i, (label, values) in enumerate(controls))
    payload = json.dumps(frames).replace("</", "<\\/")  # no '</script>' inside the script
    return IPython.display.HTML(f"""
<div id="{fig_id}" class="dlmath-figure" role="group" aria-label="{html.escape(alt)}">{menus}
<div data-frame></div><div style="font-size:12px">{legend}</div></div>
<script>(function () {{
const frames = {payload}, root = document.getElementById("{fig_id}");
const ctl = [...root.querySelectorAll("[data-control]")], out = root.querySelector("[data-frame]");
function draw() {{ out.innerHTML = frames[ctl.map(c => c.value).join("-")] || ""; }}
ctl.forEach(c => c.addEventListener("change", draw));
draw();
}})();</script>""")


def expect_error(call, error, fragment):
    """Run call(), which must raise `error` with `fragment` in its message (a reproduced
    defect of the article); print the error in one line. Fails if nothing or another error is
    raised, so the notebook notices when a library stops raising."""
    try:
        call()
    except error as err:
        message = " ".join(str(err).split())
        if fragment not in message:
            raise AssertionError(f"{type(err).__name__} raised, but its message lacks "
                                 f"{fragment!r}: {message[:300]}") from None
        where = message.find(fragment)
        shown = message[max(0, where - 80):where + len(fragment) + 80]
        print(f"raises {type(err).__name__}, as expected: ...{shown}...")
        return err
    raise AssertionError(f"expected {error.__name__} ({fragment!r}), but nothing was raised")


# This run's record: the model chapters put their metrics, learning curves and training times
# here; `save_results` adds the run's facts and, when DLMATH_RESULTS names a folder, writes it
# to <folder>/<chapter>.json (`make results` does so for the reference run).
# metrics: numbers; curves: lists of numbers per epoch, nested in dicts; train_seconds: numbers;
# details: other facts of the run (choices made on validation data, sizes).
RESULTS = {"metrics": {}, "curves": {}, "train_seconds": {}, "details": {}, "data": {}}


def record_data(dataset, source, paths):
    """Note which copy of a data set this run read (called by data_files)."""
    copy = DATASETS[dataset].get("copy", {}).get(source, "")
    RESULTS["data"][dataset] = {"source": source, "copy": copy,
                                "files": sorted(pathlib.Path(p).name for p in paths.values())}


def device_name():
    """The accelerator this run used, or the CPU's model name and core count."""
    try:
        if GPU and BACKEND == "jax":
            import jax
            return jax.devices()[0].device_kind
        if GPU and BACKEND == "tensorflow":
            import tensorflow as tf
            gpu = tf.config.list_physical_devices("GPU")[0]
            return tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
        if GPU and BACKEND == "torch":
            import torch
            return torch.cuda.get_device_name(0)
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except Exception:  # no /proc (macOS, Windows) or an unexpected driver answer
        model = platform.processor() or platform.machine()
    return f"{model}, {os.cpu_count()} cores"


def git_commit():
    """DLMATH_GIT_COMMIT if set, else the commit of the book's checkout around us, else 'unknown'."""
    if os.environ.get("DLMATH_GIT_COMMIT"):
        return os.environ["DLMATH_GIT_COMMIT"]
    try:
        git = ["git", "-C", os.getcwd()]
        top = subprocess.run(git + ["rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
        if not pathlib.Path(top, "_toc.yml").is_file():  # some other repository
            return "unknown"
        commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return commit + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def save_results(chapter):
    """Complete this run's record (profile, device, versions, date, commit, wall time) and, if
    DLMATH_RESULTS is set, write it to DLMATH_RESULTS/<chapter>.json. Returns the record."""
    packages = ["keras", "numpy", "tensorflow", "jax", "jaxlib", "torch", "scikit-learn",
                "scipy", "matplotlib"]
    versions = {"python": platform.python_version()}
    for name in packages:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    record = {"schema": 1, "chapter": chapter, "profile": PROFILE,
              "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
              "device": device_name(), "gpu": GPU, "backend": BACKEND,
              "keras": keras.__version__, "versions": versions, "git_commit": git_commit(),
              "notebook_seconds": round(time.perf_counter() - NOTEBOOK_START, 1), **RESULTS}
    folder = os.environ.get("DLMATH_RESULTS", "").strip()
    if folder:
        path = pathlib.Path(folder).expanduser() / f"{chapter}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"this run: {PROFILE} profile on {record['device']}, Keras {keras.__version__} on "
          f"{BACKEND}; whole notebook {record['notebook_seconds']:.0f} s, training "
          f"{sum(RESULTS['train_seconds'].values()):.0f} s; record "
          + (f"saved as {chapter}.json in DLMATH_RESULTS" if folder else
             "not saved (set DLMATH_RESULTS to a folder to keep it)"))
    return record


def lookup(record, key):
    """record['a']['b'] for the key 'a.b'; None when a part is missing."""
    for part in key.split("."):
        if not isinstance(record, dict) or part not in record:
            return None
        record = record[part]
    return record


def compared_reference():
    """The stored reference record to compare this run with, or None: there is none yet, or
    this run is itself a reference run (`make results` sets DLMATH_REFERENCE_RUN)."""
    ref = globals().get("REFERENCE")
    return None if (REFERENCE_RUN or not ref) else ref


def reference_note(chapter):
    """One sentence: what this run is, and where and when the reference run ran."""
    ref = compared_reference()
    if REFERENCE_RUN:
        return (f"This is a reference run: `make results` keeps its record as "
                f"`results/{chapter}.json` and this notebook, with its outputs, as "
                f"`results/{chapter}.ipynb`.")
    if not ref:
        return (f"No reference run is stored yet (`results/{chapter}.json`), so only this "
                "run's numbers are shown.")
    return (f"Reference run: full profile on {ref['device']} ({ref['backend']}), "
            f"{ref['date'][:10]}, whole notebook {ref['notebook_seconds'] / 60:.0f} min, "
            f"commit `{ref['git_commit'][:10]}` (`results/{chapter}.json`).")


def results_table(chapter, rows):
    """Markdown: each row (label, key, fmt, goal, anchors) sets this run's value of a record key
    (e.g. 'metrics.test_accuracy', formatted by fmt) beside the stored reference run's, if any."""
    ref = compared_reference()
    head = ["", f"this run ({PROFILE} profile)"]
    if ref:
        head.append(f"reference run ({ref['device'].split(',')[0]}, {ref['date'][:10]})")
    lines = ["| " + " | ".join(head + ["goal", "anchors"]).strip() + " |",
             "|" + "---|" * (len(head) + 2)]
    for label, key, fmt, goal, anchors in rows:
        cells = [label, "—" if lookup(RESULTS, key) is None else fmt(lookup(RESULTS, key))]
        if ref:
            cells.append("" if lookup(ref, key) is None else fmt(lookup(ref, key)))
        lines.append("| " + " | ".join(cells + [goal, anchors]) + " |")
    quick = ("This run's numbers come from the **quick** profile (subsets, few epochs): they show "
             "that the code works, not what the model can do." if PROFILE == "quick" else
             "This run used the **full** profile: the whole recipe.")
    return "\n".join(lines) + f"\n\n{quick} {reference_note(chapter)}"


def plot_reference(ax, key, **style):
    """Draw the stored reference run's curve REFERENCE['curves'][key] on ax, dashed; False if
    there is none to compare with."""
    ref = compared_reference()
    values = lookup(ref, f"curves.{key}") if ref else None
    if values is None:
        return False
    ax.plot(range(1, len(values) + 1), values, **{"ls": "--", "label": "reference run", **style})
    return True


GPU = backend_sees_gpu()
PROFILE = choose_profile()
# `make results` sets this when it makes the reference run that the web book will show.
REFERENCE_RUN = os.environ.get("DLMATH_REFERENCE_RUN", "").strip() == "1"
# XLA compilation (jit_compile) takes longer than it saves in short CPU runs of TensorFlow;
# JAX always compiles, and on a GPU it pays off. Pass this to model.compile.
JIT_COMPILE = False if (BACKEND == "tensorflow" and not GPU) else "auto"
SEED = 1998
keras.utils.set_random_seed(SEED)
print(f"dlmath: profile {PROFILE!r}, Keras {keras.__version__} on {BACKEND}, "
      f"GPU {'yes' if GPU else 'no'}, data from "
      f"{os.environ.get('DLMATH_DATA') or 'official downloads'}")
