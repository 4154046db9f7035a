# A training script in a project whose requirements.txt admits only torch >= 2.6, where torch.load
# defaults to weights_only=True: a bare torch.load uses the restricted unpickler and is not reported.
import torch


def resume(model, optimizer, path):
    # ok: VNX-LLM-007
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"]


def resume_full_pickle(model, path):
    # Opting out of the default is reported on every version.
    # ruleid: VNX-LLM-007
    state = torch.load(path, map_location="cpu", weights_only=False)
    model.load_state_dict(state["model"])


def load_scripted(path):
    # torch.jit.load has no weights_only mode: the pin does not change it.
    # ruleid: VNX-LLM-007
    return torch.jit.load(path)
