from typing import Callable

from .base import BaseBenchmark


class MathBenchmark(BaseBenchmark):
    async def evaluate_problem(self, data: dict, graph: Callable) -> float:
        prediction, cost = await graph(data["problem"], "solve")
        return 1.0 if prediction.strip() == data["answer"] else 0.0
