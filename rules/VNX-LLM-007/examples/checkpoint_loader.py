# A fine-tuning service: it resumes training from checkpoints, loads adapters that users upload and
# TorchScript models from a hub. No manifest is scanned with this file, so torch is unpinned and a bare
# torch.load (whose default became weights_only=True only in torch 2.6) is reported.
import io

import requests
import safetensors.torch
import torch
import torch as th
from fastapi import FastAPI, UploadFile

api = FastAPI()
HUB = "https://hub.example.com"


def resume(model, optimizer, path):
    # A checkpoint path the operator passes in: a model-file risk, graded low.
    # ruleid: VNX-LLM-007 (low)
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"]


def resume_weights_only(model, path):
    # ok: VNX-LLM-007
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)


def resume_full_pickle(model, path):
    # Explicitly opting out of the restricted unpickler is reported whatever the torch version.
    # ruleid: VNX-LLM-007
    state = th.load(path, weights_only=False)
    model.load_state_dict(state["model"])


def download_adapter(name):
    response = requests.get(f"{HUB}/adapters/{name}/adapter.pt", timeout=60)
    response.raise_for_status()
    # ruleid: VNX-LLM-007
    return torch.load(io.BytesIO(response.content))


def download_adapter_weights(name):
    response = requests.get(f"{HUB}/adapters/{name}/adapter.pt", timeout=60)
    # ok: VNX-LLM-007
    return torch.load(io.BytesIO(response.content), weights_only=True)


def download_adapter_safetensors(name):
    response = requests.get(f"{HUB}/adapters/{name}/adapter.safetensors", timeout=60)
    # ok: VNX-LLM-007
    return safetensors.torch.load(response.content)


@api.post("/adapters")
async def upload_adapter(file: UploadFile):
    # A multi-line call is reported on the line of its input argument.
    state = torch.load(
        # ruleid: VNX-LLM-007 (critical)
        file.file,
        map_location="cpu",
    )
    return {"tensors": len(state)}


def load_scripted(name):
    response = requests.get(f"{HUB}/scripted/{name}.pt", timeout=60)
    # TorchScript archives have no weights_only mode: reported on every torch version.
    # ruleid: VNX-LLM-007
    return torch.jit.load(io.BytesIO(response.content))


def load_bundled_tokenizer_state():
    # ruleid: VNX-LLM-007
    return torch.load("assets/tokenizer_state.pt")


def load_via_serialization_module(path):
    # torch.serialization.load is the function torch.load re-exports.
    # ruleid: VNX-LLM-007
    return torch.serialization.load(path)


def save_checkpoint(model, path):
    # ok: VNX-LLM-007
    torch.save(model.state_dict(), path)
    # ok: VNX-LLM-007
    safetensors.torch.save_file(model.state_dict(), f"{path}.safetensors")


def load(path):
    # The project's own loader (shadows nothing imported, but shares the name).
    return safetensors.torch.load_file(path)


def load_for_eval(path):
    # ok: VNX-LLM-007
    return load(path)
