from typing import Any, Optional, Union

from dataagent.config import Config


class PipelineContext:
    """Handed to every step through its keyword arguments."""

    def __init__(self, dfs: list, config: Optional[Union[Config, dict]] = None):
        if isinstance(config, dict):
            config = Config(**config)
        self.dfs = dfs
        self.config = config
        self.intermediate_values: dict = {}

    def add(self, key: str, value: Any):
        self.intermediate_values[key] = value

    def get(self, key: str, default: Any = ""):
        return self.intermediate_values.get(key, default)
