"""Normalises a step before handing it to the runner (no model, no execution here)."""
from .runner import execute


def run_step(step: str) -> None:
    cleaned = step.strip().removeprefix("```python").removesuffix("```")
    execute(cleaned)
