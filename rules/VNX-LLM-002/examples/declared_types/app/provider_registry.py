from .openai_llm import OpenAILLM


class LLMProviderRegistry:
    def __init__(self):
        self.providers = {}

    def register(self, key: str, provider_cls) -> None:
        self.providers[key] = provider_cls

    def get_provider(self, key: str):
        return self.providers[key]


LLM_REGISTRY = LLMProviderRegistry()
LLM_REGISTRY.register("openai", OpenAILLM)
