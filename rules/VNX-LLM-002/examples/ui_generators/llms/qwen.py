"""Qwen through Alibaba's DashScope SDK."""
from dashscope import Generation


def predict_no_ui(inputs: str, llm_kwargs: dict, observe_window: list = []) -> str:
    responses = Generation.call(
        model=llm_kwargs["llm_model"], messages=[{"role": "user", "content": inputs}], result_format="message"
    )
    return responses.output.choices[0].message.content


def boilerplate() -> str:
    # A fixed template, not the model's: shown to the user before the model fills it in.
    return "class TerminalFunction:\n    def run(self, path):\n        return path\n"
