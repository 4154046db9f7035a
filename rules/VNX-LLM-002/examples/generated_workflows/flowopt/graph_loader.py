import importlib
import os


class GraphLoader:
    def __init__(self, root_path: str):
        self.root_path = root_path

    def create_round_directory(self, graph_path: str, round_number: int) -> str:
        directory = os.path.join(graph_path, f"round_{round_number}")
        os.makedirs(directory, exist_ok=True)
        return directory

    def load_graph(self, round_number: int, workflows_path: str):
        workflows_path = workflows_path.replace("\\", ".").replace("/", ".")
        graph_module_name = f"{workflows_path}.round_{round_number}.graph"
        graph_module = __import__(graph_module_name, fromlist=[""])
        return getattr(graph_module, "Workflow")

    def load_scorer(self, round_number: int, workflows_path: str):
        module = importlib.import_module(f"{workflows_path.replace('/', '.')}.round_{round_number}.scoring")
        return module.Scorer

    def load_reporter(self, round_number: int, workflows_path: str):
        module = importlib.import_module(f"{workflows_path.replace('/', '.')}.round_{round_number}.report")
        # No class of this name in the project: nothing is known of what it returns.
        return getattr(module, "Reporter")
