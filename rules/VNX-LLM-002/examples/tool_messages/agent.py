import io
import subprocess

from langroid.agent.chat_agent import ChatAgent

from .tools import PandasEvalTool, QueryPlanTool
from .vector_store import VectorStore


class TableChatAgent(ChatAgent):
    def __init__(self, config, df):
        super().__init__(config)
        self.df = df
        self.vecdb = VectorStore()
        self.enable_message(PandasEvalTool)
        self.enable_message(QueryPlanTool)

    def pandas_eval(self, msg: PandasEvalTool) -> str:
        exprn = msg.expression
        local_vars = {"df": self.df}
        out = io.StringIO()
        # ruleid: VNX-LLM-002
        result = eval(exprn, {}, local_vars)
        return f"{out.getvalue()}{result}"

    def query_plan(self, msg) -> str:
        # Dispatched by name: the method is called `query_plan`, the request of QueryPlanTool.
        plan = msg.plan
        return self.vecdb.compute_from_docs([], plan)

    def summary(self, text: str) -> str:
        # An ordinary method, not a tool's handler.
        # ok: VNX-LLM-002
        return subprocess.run(text, shell=True, capture_output=True, text=True).stdout
