from .base_llm import BaseLLM
from .provider_registry import LLM_REGISTRY


def LLM(provider: str = "openai") -> BaseLLM:
    """The configured provider, looked up in a registry filled at import time: only the annotation says
    what it returns."""
    return LLM_REGISTRY.get_provider(provider)()
