import asyncio
import json
from abc import ABC, abstractmethod
from typing import Callable, List

from ..providers import create_llm_instance


class BaseBenchmark(ABC):
    PASS = "PASS"
    FAIL = "FAIL"

    def __init__(self, name: str, file_path: str, log_path: str):
        self.name = name
        self.file_path = file_path
        self.log_path = log_path

    async def judge(self, judge_config: dict, expected: str, prediction: str) -> bool:
        verdict = await create_llm_instance(judge_config).aask(f"Same answer? {expected} / {prediction}")
        return verdict.strip().lower().startswith("yes")

    def load_data(self) -> List[dict]:
        with open(self.file_path, encoding="utf-8") as file:
            return [json.loads(line) for line in file]

    @abstractmethod
    async def evaluate_problem(self, problem: dict, graph: Callable):
        pass

    async def evaluate_all_problems(self, data: List[dict], graph: Callable, max_concurrent_tasks: int = 50):
        semaphore = asyncio.Semaphore(max_concurrent_tasks)

        async def sem_evaluate(problem):
            async with semaphore:
                return await self.evaluate_problem(problem, graph)

        return await asyncio.gather(*[sem_evaluate(problem) for problem in data])

    async def run_evaluation(self, graph: Callable) -> float:
        results = await self.evaluate_all_problems(self.load_data(), graph)
        return sum(score for score in results) / max(len(results), 1)
