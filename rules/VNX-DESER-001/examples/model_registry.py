# A small model registry: it downloads artifacts that users publish, loads them with the library that wrote
# them, and serves predictions. Every loader below unpickles (or unmarshals) what it reads.
import marshal
import shelve
import tempfile

import cloudpickle
import dill
import joblib
import jsonpickle
import pandas as pd
import requests
import zmq
from fastapi import FastAPI, UploadFile
from picklescan.scanner import scan_file_path
from tensorflow import keras

api = FastAPI()
REGISTRY = "https://models.example.com"


def download(artifact_id):
    response = requests.get(f"{REGISTRY}/artifacts/{artifact_id}", timeout=30)
    response.raise_for_status()
    target = tempfile.NamedTemporaryFile(delete=False, suffix=".bin")
    target.write(response.content)
    target.close()
    return target.name


def load_sklearn_pipeline(path):
    # ruleid: VNX-DESER-001
    return joblib.load(path)


def load_published_pipeline(artifact_id):
    payload = requests.get(f"{REGISTRY}/artifacts/{artifact_id}", timeout=30).content
    with open("/tmp/pipeline.joblib", "wb") as handle:
        handle.write(payload)
    # A constant path is still reported (low): the bytes behind it came from the network.
    # ruleid: VNX-DESER-001
    return joblib.load("/tmp/pipeline.joblib")


def load_scanned_pipeline(path):
    result = scan_file_path(path)
    if result.infected_files or result.scan_err:
        raise ValueError(f"{path} failed the pickle scan")
    # ok: VNX-DESER-001
    return joblib.load(path)


def open_feature_store(path):
    # ruleid: VNX-DESER-001
    with shelve.open(path) as store:
        return dict(store)


def load_compiled_hook(artifact_id):
    code_bytes = requests.get(f"{REGISTRY}/hooks/{artifact_id}", timeout=30).content
    # ruleid: VNX-DESER-001
    return marshal.loads(code_bytes)


@api.post("/datasets")
async def upload_dataset(file: UploadFile):
    # ruleid: VNX-DESER-001
    frame = pd.read_pickle(file.file)
    return {"rows": len(frame)}


@api.post("/datasets/csv")
async def upload_csv(file: UploadFile):
    # ok: VNX-DESER-001
    frame = pd.read_csv(file.file)
    return {"rows": len(frame)}


def load_dill_function(artifact_id):
    blob = requests.get(f"{REGISTRY}/functions/{artifact_id}", timeout=30).content
    # ruleid: VNX-DESER-001
    return dill.loads(blob)


def load_cloudpickled_udf(artifact_id):
    blob = requests.get(f"{REGISTRY}/udfs/{artifact_id}", timeout=30).content
    # ruleid: VNX-DESER-001
    return cloudpickle.loads(blob)


def publish_udf(func):
    # ok: VNX-DESER-001
    blob = cloudpickle.dumps(func)
    requests.put(f"{REGISTRY}/udfs/{func.__name__}", data=blob, timeout=30)


@api.post("/configs")
async def upload_config(file: UploadFile):
    text = (await file.read()).decode()
    # ruleid: VNX-DESER-001
    return jsonpickle.decode(text)


def export_config(config):
    # ok: VNX-DESER-001
    return jsonpickle.encode(config, unpicklable=False)


def prediction_worker(endpoint="tcp://127.0.0.1:5555"):
    context = zmq.Context()
    socket = context.socket(zmq.PULL)
    socket.connect(endpoint)
    while True:
        # ruleid: VNX-DESER-001
        job = socket.recv_pyobj()
        yield job


def json_worker(endpoint="tcp://127.0.0.1:5556"):
    socket = zmq.Context.instance().socket(zmq.PULL)
    socket.connect(endpoint)
    while True:
        # ok: VNX-DESER-001
        yield socket.recv_json()


def load_keras_model(artifact_id):
    path = download(artifact_id)
    # ruleid: VNX-DESER-001
    return keras.models.load_model(path, safe_mode=False)


def load_keras_model_safely(artifact_id):
    path = download(artifact_id)
    # ok: VNX-DESER-001
    return keras.models.load_model(path)
