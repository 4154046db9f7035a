from openai import AsyncOpenAI

PROVIDERS = {}


def register_provider(name):
    def decorator(cls):
        PROVIDERS[name] = cls
        return cls

    return decorator


@register_provider("openai")
class OpenAILLM:
    def __init__(self, config: dict):
        self.client = AsyncOpenAI(api_key=config.get("api_key"))
        self.model = config.get("model", "gpt-4o")

    async def aask(self, prompt: str) -> str:
        response = await self.client.chat.completions.create(
            model=self.model, messages=[{"role": "user", "content": prompt}]
        )
        return response.choices[0].message.content


def create_llm_instance(config: dict):
    return PROVIDERS[config["api_type"]](config)
