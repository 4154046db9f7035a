# A feature-cache service: it fetches pickled feature vectors from a peer, accepts uploads over HTTP and
# a raw socket, and keeps a signed on-disk cache. Sources are the network, a parameter or a constant path.
import hashlib
import hmac
import io
import json
import logging
import os
import pickle
import pickle as pkl
import socket
from pickle import loads as unpickle

import requests
from flask import Flask, request

app = Flask(__name__)
PEER = "https://features.internal.example.com"
CACHE_KEY = os.environ["FEATURE_CACHE_KEY"].encode()
logger = logging.getLogger(__name__)
ALLOWED_CLASSES = {("collections", "OrderedDict"), ("builtins", "dict"), ("builtins", "list")}


def fetch_from_peer(user_id):
    response = requests.get(f"{PEER}/features/{user_id}", timeout=5)
    response.raise_for_status()
    # ruleid: VNX-DESER-001
    return pickle.loads(response.content)


def fetch_with_alias(user_id):
    blob = requests.get(f"{PEER}/features/{user_id}", timeout=5).content
    # ruleid: VNX-DESER-001
    return pkl.loads(blob)


def fetch_with_imported_name(user_id):
    raw = requests.post(f"{PEER}/batch", json={"ids": [user_id]}, timeout=5).content
    # ruleid: VNX-DESER-001
    return unpickle(raw)


@app.route("/features", methods=["PUT"])
def upload_features():
    # ruleid: VNX-DESER-001
    features = pickle.loads(request.data)
    return {"stored": len(features)}


@app.route("/features/file", methods=["POST"])
def upload_feature_file():
    upload = request.files["features"]
    # ruleid: VNX-DESER-001
    features = pickle.load(upload.stream)
    return {"stored": len(features)}


def serve_socket(port=9009):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("0.0.0.0", port))
    server.listen()
    conn, _ = server.accept()
    chunks = []
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
    # ruleid: VNX-DESER-001
    return pickle.loads(b"".join(chunks))


def load_snapshot(path):
    # A parameter: whoever calls this decides which file is unpickled.
    with open(path, "rb") as handle:
        # ruleid: VNX-DESER-001
        return pickle.load(handle)


def load_bundled_defaults():
    with open("data/default_features.pkl", "rb") as handle:
        # ruleid: VNX-DESER-001
        return pickle.load(handle)


def sign(payload):
    return hmac.new(CACHE_KEY, payload, hashlib.sha256).hexdigest()


def store_signed(path, features):
    # ok: VNX-DESER-001
    payload = pickle.dumps(features)
    with open(path, "wb") as handle:
        handle.write(sign(payload).encode() + b"\n" + payload)


def load_signed(path):
    with open(path, "rb") as handle:
        signature, payload = handle.read().split(b"\n", 1)
    if not hmac.compare_digest(signature.decode(), sign(payload)):
        raise ValueError("feature cache signature mismatch")
    # ok: VNX-DESER-001
    return pickle.loads(payload)


def load_signed_lenient(path):
    with open(path, "rb") as handle:
        signature, payload = handle.read().split(b"\n", 1)
    if not hmac.compare_digest(signature.decode(), sign(payload)):
        # Fails open: a bad signature is logged and the payload is unpickled anyway.
        logger.warning("feature cache signature mismatch for %s", path)
    # ruleid: VNX-DESER-001
    return pickle.loads(payload)


def fetch_signed_from_peer(user_id):
    response = requests.get(f"{PEER}/signed/{user_id}", timeout=5)
    signature = response.headers["X-Signature"]
    if not hmac.compare_digest(signature, sign(response.content)):
        raise PermissionError("peer payload is not signed with our key")
    # ok: VNX-DESER-001
    return pickle.loads(response.content)


class FeatureUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in ALLOWED_CLASSES:
            raise pickle.UnpicklingError(f"global {module}.{name} is forbidden")
        return super().find_class(module, name)


def fetch_restricted(user_id):
    blob = requests.get(f"{PEER}/features/{user_id}", timeout=5).content
    # ok: VNX-DESER-001
    return FeatureUnpickler(io.BytesIO(blob)).load()


def fetch_unrestricted(user_id):
    blob = requests.get(f"{PEER}/features/{user_id}", timeout=5).content
    # ruleid: VNX-DESER-001
    return pickle.Unpickler(io.BytesIO(blob)).load()


def fetch_as_json(user_id):
    response = requests.get(f"{PEER}/features/{user_id}.json", timeout=5)
    # ok: VNX-DESER-001
    return json.loads(response.content)


def load(path):
    # The project's own loader, not pickle.load: it reads JSON.
    with open(path) as handle:
        return json.load(handle)


def load_user_settings(user_id):
    raw = requests.get(f"{PEER}/settings/{user_id}", timeout=5).text
    # ok: VNX-DESER-001
    return load(raw)
