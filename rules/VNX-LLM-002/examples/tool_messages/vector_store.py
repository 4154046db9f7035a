import pandas as pd


class VectorStore:
    def compute_from_docs(self, docs: list, calc: str) -> str:
        df = pd.DataFrame(docs)
        # ruleid: VNX-LLM-002
        return str(eval(calc, {}, {"df": df}))
