# An embedding store that exchanges .npy/.npz files with workers and users. Object arrays (allow_pickle=True)
# are unpickled on load; plain numeric arrays are not.
import io
import json

import numpy
import numpy as np
import requests
from fastapi import FastAPI, UploadFile

api = FastAPI()
WORKER = "https://embeddings-worker.internal.example.com"


def fetch_shard(shard_id):
    response = requests.get(f"{WORKER}/shards/{shard_id}.npy", timeout=30)
    # ruleid: VNX-DESER-003
    return np.load(io.BytesIO(response.content), allow_pickle=True)


def fetch_numeric_shard(shard_id):
    response = requests.get(f"{WORKER}/shards/{shard_id}.npy", timeout=30)
    # ok: VNX-DESER-003
    return np.load(io.BytesIO(response.content))


def fetch_numeric_shard_explicit(shard_id):
    response = requests.get(f"{WORKER}/shards/{shard_id}.npy", timeout=30)
    # ok: VNX-DESER-003
    return np.load(io.BytesIO(response.content), allow_pickle=False)


@api.post("/embeddings")
async def upload_embeddings(file: UploadFile):
    # ruleid: VNX-DESER-003
    archive = numpy.load(file.file, allow_pickle=True)
    return {"arrays": list(archive.keys())}


@api.post("/embeddings/numeric")
async def upload_numeric_embeddings(file: UploadFile):
    # ok: VNX-DESER-003
    archive = numpy.load(file.file)
    return {"arrays": list(archive.keys())}


def load_metadata(path):
    # Object arrays holding dicts of metadata: the usual reason allow_pickle=True appears.
    # ruleid: VNX-DESER-003
    return np.load(path, allow_pickle=True).item()


def load_vectors(path):
    # ok: VNX-DESER-003
    return np.load(path, mmap_mode="r")


def load_bundled_vocabulary():
    # ruleid: VNX-DESER-003
    return np.load("assets/vocabulary.npy", allow_pickle=True)


def save_metadata(path, metadata):
    # ok: VNX-DESER-003
    np.save(path, np.array(metadata, dtype=object), allow_pickle=True)
    with open(f"{path}.json", "w") as handle:
        json.dump(metadata, handle)


def load_metadata_as_json(path):
    with open(f"{path}.json") as handle:
        # ok: VNX-DESER-003
        return json.load(handle)
