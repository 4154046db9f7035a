"""The model wrappers. The context is imported for annotations only: `context` imports `config`, which
imports this module, so the three form an import cycle (Python never runs the import)."""
from typing import TYPE_CHECKING

import openai

if TYPE_CHECKING:
    from .context import PipelineContext


class LLM:
    def call(self, prompt: str, context: "PipelineContext" = None) -> str:
        raise NotImplementedError

    def generate_code(self, prompt: str, context: "PipelineContext") -> str:
        reply = self.call(prompt, context)
        return reply.split("```python")[-1].split("```")[0]


class OpenAI(LLM):
    def __init__(self, api_key: str = None):
        self.client = openai.OpenAI(api_key=api_key)

    def call(self, prompt: str, context: "PipelineContext" = None) -> str:
        response = self.client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
        )
        return response.choices[0].message.content
