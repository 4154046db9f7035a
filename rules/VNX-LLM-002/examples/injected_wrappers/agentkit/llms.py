"""The project's model wrappers: one class per provider, picked by a factory at run time."""
import anthropic
import openai


class BaseLlm:
    def chat_completion(self, messages: list) -> dict:
        raise NotImplementedError


class OpenAi(BaseLlm):
    def __init__(self, api_key: str, model: str = "gpt-4o"):
        self.client = openai.OpenAI(api_key=api_key)
        self.model = model

    def chat_completion(self, messages: list) -> dict:
        response = self.client.chat.completions.create(model=self.model, messages=messages)
        return {"content": response.choices[0].message.content}


class Claude(BaseLlm):
    def __init__(self, api_key: str):
        self.client = anthropic.Anthropic(api_key=api_key)

    def chat_completion(self, messages: list) -> dict:
        message = self.client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        return {"content": message.content[0].text}


class CannedLlm(BaseLlm):
    """For dry runs: a fixed answer, no model."""

    def chat_completion(self, messages: list) -> dict:
        return {"content": "[]"}


def get_model(provider: str, api_key: str) -> BaseLlm:
    if provider == "anthropic":
        return Claude(api_key)
    return OpenAi(api_key)
