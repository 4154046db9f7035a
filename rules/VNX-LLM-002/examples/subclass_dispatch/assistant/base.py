"""A base class that runs generated code; which model answers is up to each subclass."""


class AssistantBase:
    def submit_prompt(self, prompt: str) -> str:
        raise NotImplementedError

    def generate_plotly_code(self, question: str) -> str:
        return self.submit_prompt(f"Write plotly code for: {question}")

    def get_plotly_figure(self, question: str):
        plotly_code = self.generate_plotly_code(question)
        namespace: dict = {}
        # ruleid: VNX-LLM-002
        exec(plotly_code, globals(), namespace)
        return namespace.get("fig")

    def describe(self) -> str:
        # ok: VNX-LLM-002
        return eval("type(self).__name__")
