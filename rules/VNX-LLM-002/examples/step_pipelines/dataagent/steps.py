import ast
from typing import Any

from .context import PipelineContext
from .pipeline import BaseStep, StepOutput


class PromptGeneration(BaseStep):
    def execute(self, input: Any, **kwargs) -> StepOutput:
        return StepOutput(f"Answer with Python code using `dfs`: {input}", True)


class CodeGenerator(BaseStep):
    def execute(self, input: Any, **kwargs) -> StepOutput:
        context: PipelineContext = kwargs.get("context")
        code = context.config.llm.generate_code(input, context)
        context.add("last_code_generated", code)
        return StepOutput(code, True, "Code generated")


class CodeCleaning(BaseStep):
    def execute(self, input: Any, **kwargs) -> StepOutput:
        tree = ast.parse(input)
        return StepOutput(ast.unparse(tree), True, "Code cleaned")


class CodeExecution(BaseStep):
    def execute(self, input: Any, **kwargs) -> StepOutput:
        context: PipelineContext = kwargs.get("context")
        environment = {"dfs": context.dfs}
        # The code the generation pipeline returned, handed to this pipeline by `ChatPipeline.run`.
        # ruleid: VNX-LLM-002
        exec(input, environment)
        return StepOutput(environment.get("result"), True, "Code executed")


class ChartRendering(BaseStep):
    def execute(self, input: Any, **kwargs) -> StepOutput:
        namespace = {"result": input}
        # The generated code, carried from step to step of one pipeline (`AnalysisAgent`).
        # ruleid: VNX-LLM-002
        exec(input, namespace)
        return StepOutput(namespace["result"], True)


class WarmupExecution(BaseStep):
    """Only in the warm-up pipeline, which runs a fixed snippet and no model."""

    def execute(self, input: Any, **kwargs) -> StepOutput:
        # ok: VNX-LLM-002
        exec(input, {})
        return StepOutput(None, True)


class ResultFormatting(BaseStep):
    def __init__(self, template: str = "'{}'.format(result)", **kwargs):
        super().__init__(**kwargs)
        self.template = template

    def execute(self, input: Any, **kwargs) -> StepOutput:
        # In the generation pipeline, but it evaluates its own template, not the carried value.
        # ok: VNX-LLM-002
        formatted = eval(self.template, {"result": None})
        return StepOutput(formatted, True)
