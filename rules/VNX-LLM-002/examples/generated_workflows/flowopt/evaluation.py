from .evaluator import Evaluator


class EvaluationUtils:
    def __init__(self, root_path: str):
        self.root_path = root_path

    async def evaluate_graph(self, optimizer, directory: str, validation_n: int) -> float:
        evaluator = Evaluator(eval_path=directory)
        total = 0.0
        for _ in range(validation_n):
            score = await evaluator.graph_evaluate(
                optimizer.dataset,
                optimizer.graph,
                {"dataset": optimizer.dataset, "llm_config": optimizer.execute_llm_config},
                directory,
            )
            total += score
        return total / validation_n
