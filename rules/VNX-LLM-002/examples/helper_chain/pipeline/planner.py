# Model output travels through a module that neither calls a model nor runs anything itself.
from anthropic import Anthropic

from . import steps

client = Anthropic()


def plan_and_run(goal: str) -> None:
    message = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": f"Python code that achieves: {goal}"}],
    )
    steps.run_step(message.content[0].text)
