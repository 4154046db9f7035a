from typing import Dict, Literal

from .benchmarks.base import BaseBenchmark
from .benchmarks.humaneval import HumanEvalBenchmark
from .benchmarks.math import MathBenchmark

DatasetType = Literal["HumanEval", "MATH"]


class Evaluator:
    def __init__(self, eval_path: str):
        self.eval_path = eval_path
        self.dataset_configs: Dict[DatasetType, BaseBenchmark] = {
            "HumanEval": HumanEvalBenchmark,
            "MATH": MathBenchmark,
        }

    async def graph_evaluate(self, dataset: DatasetType, graph, params: dict, path: str) -> float:
        benchmark_class = self.dataset_configs[dataset]
        benchmark = benchmark_class(name=dataset, file_path=f"data/{dataset.lower()}.jsonl", log_path=path)
        configured_graph = await self._configure_graph(dataset, graph, params)
        return await benchmark.run_evaluation(configured_graph)

    async def _configure_graph(self, dataset, graph, params: dict):
        return graph(name=dataset, llm_config=params.get("llm_config", {}), dataset=params.get("dataset"))
