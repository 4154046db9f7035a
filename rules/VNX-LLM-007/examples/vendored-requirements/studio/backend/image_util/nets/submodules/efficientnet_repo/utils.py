# A repository copied into the application's package (it has an __init__.py, so it is imported as part of
# studio): its setup.py and requirements.txt describe the upstream project, not what studio installs. Its
# code runs with studio's torch (>= 2.7).
import torch


def load_checkpoint(model, checkpoint_path):
    # ok: VNX-LLM-007
    state_dict = torch.load(checkpoint_path, map_location="cpu")
    model.load_state_dict(state_dict)
    return model
