# dlmath set-up cell: the same in every chapter. Canonical copy: tools/setup_cell.py;
# after editing it, run `make sync` to copy it into every chapter.
import hashlib
import importlib.util
import os
import pathlib
import subprocess
import sys


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


GPU = backend_sees_gpu()
PROFILE = choose_profile()
# XLA compilation (jit_compile) takes longer than it saves in short CPU runs of TensorFlow;
# JAX always compiles, and on a GPU it pays off. Pass this to model.compile.
JIT_COMPILE = False if (BACKEND == "tensorflow" and not GPU) else "auto"
SEED = 1998
keras.utils.set_random_seed(SEED)
print(f"dlmath: profile {PROFILE!r}, Keras {keras.__version__} on {BACKEND}, "
      f"GPU {'yes' if GPU else 'no'}, data from "
      f"{os.environ.get('DLMATH_DATA') or 'official downloads'}")
