# The template every generated round's `graph.py` is written after: the optimizer asks the model for a new
# `Workflow` class each round and loads it by its module name.
from .providers import create_llm_instance

WORKFLOW_TEMPLATE = """from flowopt.providers import create_llm_instance

{graph}
"""


class Workflow:
    def __init__(self, name: str, llm_config: dict, dataset: str) -> None:
        self.name = name
        self.dataset = dataset
        self.llm = create_llm_instance(llm_config)

    async def __call__(self, problem: str, entry_point: str):
        """Implementation of the workflow (written by the optimizer)."""
        raise NotImplementedError("This method should be implemented by the subclass")


class Scorer:
    """Scores a prediction; each round's module may bring its own."""

    def __call__(self, prediction: str) -> str:
        raise NotImplementedError
