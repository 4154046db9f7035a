from openai import AsyncOpenAI

from .base_llm import BaseLLM


class OpenAILLM(BaseLLM):
    def __init__(self, api_key: str):
        self.aclient = AsyncOpenAI(api_key=api_key)

    async def acompletion_text(self, messages: list) -> str:
        rsp = await self.aclient.chat.completions.create(model="gpt-4o", messages=messages)
        return rsp.choices[0].message.content
