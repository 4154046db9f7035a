# A plugin that is its own project, with its own pyproject.toml pinning torch 2.1.2, where torch.load
# unpickles arbitrary objects by default: its nearest manifest governs it, not the application's.
import torch


def load_upscaler(weights_path):
    # ruleid: VNX-LLM-007
    return torch.load(weights_path, map_location="cpu")
