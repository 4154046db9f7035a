"""Actions declare their model as a pydantic field built by a factory; solvers as dataclass fields."""
from dataclasses import dataclass
from typing import List, Union

from pydantic import BaseModel, ConfigDict, Field

from .base_llm import BaseLLM
from .llm import LLM


class Action(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str = ""
    retries: int = 3
    backend: BaseLLM = Field(default_factory=LLM, exclude=True)

    async def run(self, question: str) -> None:
        code = await self.backend.aask(f"Python code that answers: {question}")
        # ruleid: VNX-LLM-002
        exec(code)

    def attempts(self) -> int:
        # A plain field: nothing of the model's in it.
        # ok: VNX-LLM-002
        return eval(str(self.retries))


@dataclass
class Solver:
    engine: "BaseLLM"
    depth: int = 2

    async def solve(self, problem: str):
        answer = await self.engine.aask(problem)
        # ruleid: VNX-LLM-002
        return eval(answer)


class Formatter:
    def render(self, text: str) -> str:
        return text.strip()


class Report(BaseModel):
    formatter: Formatter = Field(default_factory=Formatter)

    def total(self) -> int:
        # Typed as a class of the project that calls no model.
        body = self.formatter.render("1 + 1")
        # ok: VNX-LLM-002
        return eval(body)


async def review(engine: "BaseLLM", text: str) -> None:
    verdict = await engine.aask(f"Fix this code: {text}")
    # ruleid: VNX-LLM-002
    exec(verdict)


async def grade(engine: Union[None, BaseLLM], answer: str) -> float:
    score = await engine.aask(f"Score 0-1 as a Python expression: {answer}")
    # ruleid: VNX-LLM-002
    return eval(score)


async def plan(goal: str, registry) -> None:
    planner: BaseLLM = registry.lookup("planner")
    steps = await planner.aask(goal)
    # ruleid: VNX-LLM-002
    exec(steps)


class Message(BaseModel):
    role: str = "user"
    content: str = ""


def run_messages(messages: List[Message]) -> None:
    for message in messages:
        # ruleid: VNX-LLM-002
        exec(message.content)


class Coder(Action):
    async def code_and_run(self, task: str) -> None:
        reply = await self.backend.aask(task)
        run_messages([Message(role="assistant", content=reply)])
