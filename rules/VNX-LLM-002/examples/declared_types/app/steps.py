"""A field typed with a base class that many steps override: which one runs is not said by the type."""
import subprocess

from .base_llm import BaseLLM
from .llm import LLM


class Step:
    def run(self, text: str) -> str:
        return text.strip()


class RunShell(Step):
    def run(self, text: str) -> str:
        # Reached from `Workflow.act` only if `todo: Step` were taken to be every one of its 9 overrides.
        # ok: VNX-LLM-002
        return subprocess.run(text, shell=True, capture_output=True, text=True).stdout


class Summarise(Step):
    def run(self, text: str) -> str:
        return f"summarise: {text}"


class Translate(Step):
    def run(self, text: str) -> str:
        return f"translate: {text}"


class Classify(Step):
    def run(self, text: str) -> str:
        return f"classify: {text}"


class Extract(Step):
    def run(self, text: str) -> str:
        return f"extract: {text}"


class Rank(Step):
    def run(self, text: str) -> str:
        return f"rank: {text}"


class Title(Step):
    def run(self, text: str) -> str:
        return f"title: {text}"


class Tag(Step):
    def run(self, text: str) -> str:
        return f"tag: {text}"


class Score(Step):
    def run(self, text: str) -> str:
        return f"score: {text}"


class Workflow:
    todo: Step
    backend: BaseLLM

    def __init__(self, todo: Step):
        self.todo = todo
        self.backend = LLM()

    async def act(self, goal: str) -> str:
        reply = await self.backend.aask(goal)
        return self.todo.run(reply)
