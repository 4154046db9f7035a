"""A pipeline runs its steps in order; what a step outputs is the next step's input."""
from typing import Any, List, Optional

from .context import PipelineContext


class StepOutput:
    def __init__(self, output: Any = None, success: bool = False, message: str = None):
        self.output = output
        self.success = success
        self.message = message


class BaseStep:
    def __init__(self, skip_if=None, on_execution=None):
        self.skip_if = skip_if
        self.on_execution = on_execution

    def execute(self, input: Any, **kwargs) -> StepOutput:
        raise NotImplementedError("execute method is not implemented.")


class Pipeline:
    _context: PipelineContext
    _steps: List[BaseStep]

    def __init__(self, context: PipelineContext, steps: Optional[List] = None, logger=None):
        self._context = context
        self._steps = steps or []
        self._logger = logger

    def run(self, data: Any = None) -> Any:
        for index, step in enumerate(self._steps):
            if step.skip_if is not None and step.skip_if(self._context):
                continue
            step_output = step.execute(data, logger=self._logger, context=self._context)
            if isinstance(step_output, StepOutput):
                data = step_output.output
            else:
                data = step_output
            if step.on_execution is not None:
                step.on_execution(data)
        return data

    def __call__(self, data: Any = None) -> Any:
        return self.run(data)
