"""The project's one place that talks to the model."""
from openai import OpenAI

_client = OpenAI()


def ask(prompt: str) -> str:
    response = _client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    return response.choices[0].message.content


def ask_json(prompt: str) -> dict:
    import json

    return json.loads(ask(prompt))


def model_name() -> str:
    return "gpt-4o"
