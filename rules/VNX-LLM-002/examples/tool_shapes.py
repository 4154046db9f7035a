# Tools of a framework the models have no rows for (or the project's own): recognised by their shape — a
# decorator whose name says tool, a class named like a tool with the method a framework calls, functions
# passed as `tools=`. The finding says so, and its confidence is medium.
import subprocess
from abc import ABC, abstractmethod

from newagents import Agent
from openai import OpenAI

TOOL_REGISTRY: dict = {}


def register_tool(name: str):
    def wrap(fn):
        TOOL_REGISTRY[name] = fn
        return fn

    return wrap


@register_tool("shell")
def shell(command: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


class BaseTool(ABC):
    name: str = ""

    @abstractmethod
    def execute(self, **kwargs) -> str: ...


class PythonTool(BaseTool):
    name = "python"

    def execute(self, code: str) -> str:
        scope: dict = {}
        # ruleid: VNX-LLM-002
        exec(code, scope)
        return str(scope.get("result"))

    def prepare(self, code: str) -> str:
        # Not the method a framework calls with the model's arguments.
        # ok: VNX-LLM-002
        exec(code)
        return "ready"


def evaluate(expression: str) -> str:
    # ruleid: VNX-LLM-002
    return str(eval(expression))


assistant = Agent(model=OpenAI(), tools=[evaluate])


# Near misses: a registry that is not about tools, a class not named like one.
HANDLERS: dict = {}


def register(name: str):
    def wrap(fn):
        HANDLERS[name] = fn
        return fn

    return wrap


@register("migrate")
def migrate(command: str) -> str:
    # ok: VNX-LLM-002
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


class Toolbox:
    def run(self, command: str) -> str:
        # ok: VNX-LLM-002
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


# A function whose signature becomes the tool schema the model sees.
def function_to_schema(fn) -> dict:
    return {"type": "function", "function": {"name": fn.__name__, "description": fn.__doc__}}


def run_sql_shell(statement: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.check_output(f"sqlite3 app.db '{statement}'", shell=True, text=True)


TOOL_SCHEMAS = [function_to_schema(run_sql_shell)]
