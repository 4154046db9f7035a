"""The framework's model wrapper: every provider subclasses it and implements `acompletion_text`."""


class BaseLLM:
    async def aask(self, msg: str) -> str:
        return await self.acompletion_text([{"role": "user", "content": msg}])

    async def acompletion_text(self, messages: list) -> str:
        raise NotImplementedError
