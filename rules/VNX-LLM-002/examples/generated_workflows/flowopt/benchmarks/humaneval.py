import asyncio
from typing import Callable

from ..sanitize import sanitize
from .base import BaseBenchmark


class HumanEvalBenchmark(BaseBenchmark):
    def check_solution(self, solution: str, test: str, entry_point: str):
        solution = sanitize(code=solution, entrypoint=entry_point)
        global_dict = {}
        try:
            # ruleid: VNX-LLM-002
            exec(solution, global_dict)
            # ok: VNX-LLM-002
            exec(test, global_dict)
            global_dict["check"](global_dict[entry_point])
            return self.PASS
        except Exception:
            return self.FAIL

    async def _generate_output(self, graph, prompt, entry_point):
        return await asyncio.wait_for(graph(prompt, entry_point), timeout=60)

    async def evaluate_problem(self, data: dict, graph: Callable) -> float:
        prediction, cost = await self._generate_output(graph, data["prompt"], data["entry_point"])
        return 1.0 if self.check_solution(prediction, data["test"], data["entry_point"]) == self.PASS else 0.0
