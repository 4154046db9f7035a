"""Zhipu GLM through its SDK: a client class whose generator streams the answer chunk by chunk."""
import os

from zhipuai import ZhipuAI


class GlmChat:
    def __init__(self):
        self.client = ZhipuAI(api_key=os.environ["ZHIPUAI_API_KEY"])

    def stream(self, inputs: str, model: str):
        response = self.client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": inputs}], stream=True
        )
        text = ""
        for chunk in response:
            text += chunk.choices[0].delta.content
            yield chunk.choices[0].delta.content, text


def predict_no_ui(inputs: str, llm_kwargs: dict, observe_window: list = []) -> str:
    answer = ""
    for _, answer in GlmChat().stream(inputs, llm_kwargs["llm_model"]):
        if observe_window:
            observe_window[0] = answer
    return answer


def count_tokens(text: str) -> int:
    return len(text) // 2
