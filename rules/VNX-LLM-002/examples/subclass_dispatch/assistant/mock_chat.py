from .base import AssistantBase


class MockChat(AssistantBase):
    """Test double: canned answers, no model."""

    def submit_prompt(self, prompt: str) -> str:
        return "fig = None"
