# The application's own code: pyproject.toml at the top of the project admits only torch >= 2.7, where
# torch.load defaults to weights_only=True. The copy of another project's requirements.txt vendored under
# studio/backend/image_util (torch>=1.2.0) does not govern this file.
from pathlib import Path

import torch


class CheckpointProbe:
    def __init__(self, model_path: Path):
        self.model_path = model_path

    def read_state_dict(self):
        # ok: VNX-LLM-007
        checkpoint = torch.load(self.model_path, map_location="cpu")
        return checkpoint.get("state_dict", checkpoint)

    def read_full_pickle(self):
        # Opting out of the restricted unpickler is reported whatever the pins say.
        # ruleid: VNX-LLM-007
        return torch.load(self.model_path, map_location="cpu", weights_only=False)
