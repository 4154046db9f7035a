# Tools of the agent frameworks: the model calls them with arguments it chooses, so inside a tool each
# parameter is model output. Decorators, base classes and the calls that hand a function to an agent.
import json
import os
import subprocess

import dspy
from autogen import AssistantAgent, UserProxyAgent, register_function
from crewai.tools import BaseTool as CrewBaseTool
from langchain_core.tools import BaseTool, StructuredTool, Tool
from langgraph.prebuilt import create_react_agent
from llama_index.core.tools import FunctionTool
from openai import OpenAI
from pydantic_ai import Agent, RunContext
from qwen_agent.tools.base import BaseTool as QwenBaseTool
from qwen_agent.tools.base import register_tool
from semantic_kernel.functions import kernel_function
from smolagents import Tool as SmolTool
from smolagents import tool as smol_tool
from strands import tool as strands_tool

agent = Agent("openai:gpt-4o")


@agent.tool
def run_query(ctx: RunContext[str], query: str) -> str:
    # The framework's context is not the model's.
    # ok: VNX-LLM-002
    os.system(ctx.deps)
    # ruleid: VNX-LLM-002
    return subprocess.check_output(query, shell=True, text=True)


@agent.tool_plain
def evaluate(expression: str) -> str:
    # ruleid: VNX-LLM-002
    return str(eval(expression))


@agent.tool_plain
def kill(pid: int) -> str:
    # The framework validates an `int` against the schema: no command fits in it.
    # ok: VNX-LLM-002
    return subprocess.check_output(f"kill -9 {pid}", shell=True, text=True)


@smol_tool
def shell(command: str) -> str:
    """Runs a shell command.

    Args:
        command: the command line.
    """
    # ruleid: VNX-LLM-002
    return os.popen(command).read()


@strands_tool
def python_exec(code: str) -> str:
    scope: dict = {}
    # ruleid: VNX-LLM-002
    exec(code, scope)
    return str(scope.get("result"))


class MathPlugin:
    @kernel_function(name="calculate", description="Evaluates an arithmetic expression")
    def calculate(self, expression: str) -> str:
        # ruleid: VNX-LLM-002
        return str(eval(expression))


class ShellTool(BaseTool):
    name: str = "shell"
    description: str = "Runs a shell command"

    def _run(self, command: str) -> str:
        # ruleid: VNX-LLM-002
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout

    def describe(self, command: str) -> str:
        # Not what the framework calls with the model's arguments.
        # ok: VNX-LLM-002
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


class CrewCodeTool(CrewBaseTool):
    name: str = "code"
    description: str = "Runs Python"

    def _run(self, code: str) -> str:
        # ruleid: VNX-LLM-002
        exec(code)
        return "done"


class SmolEval(SmolTool):
    name = "eval"
    inputs = {"expression": {"type": "string", "description": "an expression"}}
    output_type = "string"

    def forward(self, expression: str) -> str:
        # ruleid: VNX-LLM-002
        return str(eval(expression))


@register_tool("code_runner")
class CodeRunner(QwenBaseTool):
    description = "Runs Python code"
    parameters = [{"name": "code", "type": "string", "required": True}]

    def call(self, params: str, **kwargs) -> str:
        code = json.loads(params)["code"]
        # ruleid: VNX-LLM-002
        return str(eval(code))


# Functions handed to a framework as tools.
def run_bash(command: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True).stdout


def calculator(expression: str) -> str:
    # ruleid: VNX-LLM-002
    return str(eval(expression))


def python_repl(code: str) -> str:
    # ruleid: VNX-LLM-002
    exec(code)
    return "ok"


def sql_shell(statement: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.check_output(f"sqlite3 app.db '{statement}'", shell=True, text=True)


def react_step(snippet: str) -> str:
    # ruleid: VNX-LLM-002
    return str(eval(snippet))


def not_a_tool(command: str) -> str:
    # Never handed to a model.
    # ok: VNX-LLM-002
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


bash_tool = Tool(name="bash", func=run_bash, description="Runs bash")
calc_tool = StructuredTool.from_function(func=calculator)
repl_tool = FunctionTool.from_defaults(python_repl)
graph = create_react_agent("openai:gpt-4o", tools=[sql_shell])
react = dspy.ReAct("question -> answer", tools=[react_step])


def autogen_tools():
    assistant = AssistantAgent("assistant", llm_config={"model": "gpt-4o"})
    user = UserProxyAgent("user", function_map={"run_bash": run_bash, "calculator": calculator})
    register_function(calculator, caller=assistant, executor=user, description="Evaluates arithmetic")
    return user


# The raw loop of the SDK examples: the model's tool call picks a function and its arguments.
client = OpenAI()


def open_url(url: str) -> str:
    # An argument vector without a shell: the model picks a URL, not a command.
    # ok: VNX-LLM-002
    return subprocess.run(["xdg-open", url], shell=False, capture_output=True, text=True).stdout


def compute(formula: str) -> str:
    # ruleid: VNX-LLM-002
    return str(eval(formula))


def list_dir(path: str) -> list:
    # ok: VNX-LLM-002
    return subprocess.run(["ls", "--", path], capture_output=True, text=True).stdout.split()


def run_program(program: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.run(program, shell=True, capture_output=True, text=True).stdout


AVAILABLE_FUNCTIONS = {"list_dir": list_dir, "run_program": run_program}


def chat(messages: list) -> list:
    response = client.chat.completions.create(model="gpt-4o", messages=messages, tools=[])
    for tool_call in response.choices[0].message.tool_calls or []:
        arguments = json.loads(tool_call.function.arguments)
        function_to_call = AVAILABLE_FUNCTIONS[tool_call.function.name]
        result = function_to_call(**arguments)
        messages.append({"role": "tool", "tool_call_id": tool_call.id, "content": result})
    return messages


def chat_with_get(messages: list) -> str:
    response = client.chat.completions.create(model="gpt-4o", messages=messages, tools=[])
    call = response.choices[0].message.tool_calls[0]
    handler = {"open_url": open_url, "compute": compute}.get(call.function.name)
    return handler(**json.loads(call.function.arguments))


def constant_dispatch() -> str:
    # A table called with the program's own arguments: nothing the model chose.
    handler = AVAILABLE_FUNCTIONS["run_program"]
    # ok: VNX-LLM-002
    return handler("uptime")


# Anthropic's tool-use loop: the model picks the handler and its input.
def restart_service(name: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.check_output(f"systemctl restart {name}", shell=True, text=True)


TOOL_HANDLERS = {"restart_service": restart_service, "list_dir": list_dir}


def claude_turn(messages: list) -> list:
    import anthropic

    reply = anthropic.Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
    for block in reply.content:
        if block.type == "tool_use":
            output = TOOL_HANDLERS[block.name](**block.input)
            messages.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": block.id, "content": output}]})
    return messages
