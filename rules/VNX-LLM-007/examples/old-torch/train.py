# The same training script in a project pinned to torch 2.1.0, where torch.load defaults to
# weights_only=False: a bare torch.load unpickles arbitrary objects and is reported.
import torch


def resume(model, optimizer, path):
    # ruleid: VNX-LLM-007
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"]


def resume_weights_only(model, path):
    # weights_only=True is not reported by this rule; on torch < 2.6 it is still bypassable
    # (CVE-2025-32434), which VNX-DEP-001 reports on the requirements.txt pin.
    # ok: VNX-LLM-007
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
