import asyncio
import os

from .evaluation import EvaluationUtils
from .graph_loader import GraphLoader
from .providers import create_llm_instance
from .workflow import WORKFLOW_TEMPLATE


class Optimizer:
    def __init__(
        self, dataset: str, opt_llm_config: dict, exec_llm_config: dict, optimized_path: str, validation_rounds: int = 5
    ):
        self.optimize_llm = create_llm_instance(opt_llm_config)
        self.dataset = dataset
        self.execute_llm_config = exec_llm_config
        self.graph = None
        self.round = 1
        self.validation_rounds = validation_rounds
        self.root_path = f"{optimized_path}/{dataset}"
        self.graph_utils = GraphLoader(self.root_path)
        self.evaluation_utils = EvaluationUtils(self.root_path)

    def optimize(self):
        loop = asyncio.new_event_loop()
        return loop.run_until_complete(self._optimize_graph())

    async def _optimize_graph(self) -> float:
        graph_path = f"{self.root_path}/workflows"
        directory = self.graph_utils.create_round_directory(graph_path, self.round)
        if self.round > 1:
            # The model writes this round's workflow; it is imported below by its module name.
            graph = await self.optimize_llm.aask(f"Improve this workflow for {self.dataset}")
            with open(os.path.join(directory, "graph.py"), "w", encoding="utf-8") as file:
                file.write(WORKFLOW_TEMPLATE.format(graph=graph))
        self.graph = self.graph_utils.load_graph(self.round, graph_path)
        return await self.evaluation_utils.evaluate_graph(self, directory, self.validation_rounds)

    def score_round(self, prediction: str):
        scorer = self.graph_utils.load_scorer(self.round, f"{self.root_path}/workflows")()
        # ok: VNX-LLM-002
        exec(scorer(prediction))

    def report_round(self, prediction: str):
        reporter = self.graph_utils.load_reporter(self.round, f"{self.root_path}/workflows")()
        # ok: VNX-LLM-002
        exec(reporter(prediction))
