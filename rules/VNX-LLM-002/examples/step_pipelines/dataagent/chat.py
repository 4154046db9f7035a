"""Two pipelines built from step lists, the way data-analysis agents chain code generation and execution."""
from .context import PipelineContext
from .pipeline import Pipeline
from .steps import (
    ChartRendering,
    CodeCleaning,
    CodeExecution,
    CodeGenerator,
    PromptGeneration,
    ResultFormatting,
    WarmupExecution,
)


class ChatPipeline:
    def __init__(self, context: PipelineContext, on_code_generation=None):
        self.context = context
        self.code_generation_pipeline = Pipeline(
            context=context,
            steps=[
                PromptGeneration(),
                CodeGenerator(on_execution=on_code_generation),
                CodeCleaning(),
                ResultFormatting(),
            ],
        )
        self.code_execution_pipeline = Pipeline(context=context, steps=[CodeExecution()])
        self.warmup_pipeline = Pipeline(context=context, steps=[WarmupExecution()])

    def warm_up(self):
        return self.warmup_pipeline.run("result = sum(len(df) for df in dfs)")

    def run(self, query: str):
        code = self.code_generation_pipeline.run(query)
        return self.code_execution_pipeline.run(code)


class AnalysisAgent:
    def __init__(self, context: PipelineContext):
        self.pipeline = Pipeline(context, [PromptGeneration(), CodeGenerator(), ChartRendering()])

    def chat(self, query: str):
        return self.pipeline(query)
