# A smoke test of the benchmark harness: a workflow object that replays reference solutions, no model.
from .workflow import Workflow


class CannedWorkflow:
    def __init__(self, solutions: dict):
        self.solutions = solutions

    async def __call__(self, problem: str, entry_point: str):
        return self.solutions[entry_point], 0.0


async def smoke_test(graph, problem: str, entry_point: str):
    solution, _ = await graph(problem, entry_point)
    # ok: VNX-LLM-002
    exec(solution, {})


async def run_smoke_tests(solutions: dict):
    await smoke_test(CannedWorkflow(solutions), "def add(a, b):", "add")


async def template_smoke_test(llm_config: dict):
    # The template itself, built directly: its `__call__` raises, nothing the model wrote runs here.
    graph = Workflow(name="smoke", llm_config=llm_config, dataset="HumanEval")
    solution, _ = await graph("def add(a, b):", "add")
    # ok: VNX-LLM-002
    exec(solution, {})
