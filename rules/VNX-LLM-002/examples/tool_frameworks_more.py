# More agent frameworks' tool conventions: AutoGen/AG2, CAMEL, Haystack, lagent, LlamaIndex tool classes,
# the MCP low-level server, Agno.
import os
import subprocess
from typing import Annotated

from agno.agent import Agent as AgnoAgent
from agno.tools import tool as agno_tool
from autogen import AssistantAgent, UserProxyAgent
from camel.toolkits import FunctionTool as CamelFunctionTool
from haystack.tools import Tool as HaystackTool
from lagent.actions import BaseAction, tool_api
from llama_index.core.tools import BaseTool as LlamaBaseTool
from mcp.server import Server

assistant = AssistantAgent("assistant", llm_config={"model": "gpt-4o"})
user_proxy = UserProxyAgent("user_proxy", code_execution_config=False)


@user_proxy.register_for_execution()
@assistant.register_for_llm(description="Runs a shell command")
def run_command(command: Annotated[str, "the command line"]) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


def camel_eval(expression: str) -> str:
    # ruleid: VNX-LLM-002
    return str(eval(expression))


camel_tools = [CamelFunctionTool(camel_eval)]


def haystack_exec(code: str) -> str:
    # ruleid: VNX-LLM-002
    exec(code)
    return "done"


haystack_tool = HaystackTool(
    name="python",
    description="Runs Python",
    parameters={"type": "object", "properties": {"code": {"type": "string"}}},
    function=haystack_exec,
)


class ShellAction(BaseAction):
    @tool_api
    def run(self, command: str) -> str:
        """Runs a shell command.

        Args:
            command (str): the command line
        """
        # ruleid: VNX-LLM-002
        return os.popen(command).read()


class QueryTool(LlamaBaseTool):
    def call(self, query: str) -> str:
        # ruleid: VNX-LLM-002
        return subprocess.check_output(query, shell=True, text=True)


server = Server("ops")


@server.call_tool()
async def handle_call(name: str, arguments: dict) -> list:
    # ruleid: VNX-LLM-002
    return [subprocess.check_output(arguments["command"], shell=True, text=True)]


@agno_tool
def agno_shell(command: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.check_output(command, shell=True, text=True)


def agno_python(code: str) -> str:
    # ruleid: VNX-LLM-002
    exec(code)
    return "ok"


agno_agent = AgnoAgent(tools=[agno_python])


def uptime() -> str:
    # Handed to no framework: the program's own helper.
    # ok: VNX-LLM-002
    return subprocess.check_output("uptime", shell=True, text=True)
