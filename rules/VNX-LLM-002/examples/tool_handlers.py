# Parameters of tool handlers are chosen by the model (MCP servers, the OpenAI Agents SDK, LangChain tools).
import subprocess

from agents import function_tool
from langchain_core.tools import tool
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("ops")


@mcp.tool()
def run_diagnostic(command: str) -> str:
    """Run a diagnostic command on the host."""
    # ruleid: VNX-LLM-002
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


@mcp.tool()
def disk_usage(path: str) -> str:
    """Disk usage of a path, without a shell."""
    # ok: VNX-LLM-002
    return subprocess.run(["du", "-sh", "--", path], capture_output=True, text=True).stdout


@function_tool
def calculator(expression: str) -> str:
    # ruleid: VNX-LLM-002
    return str(eval(expression))


@tool
def python_repl(code: str) -> str:
    """Executes Python."""
    namespace: dict = {}
    # ruleid: VNX-LLM-002
    exec(code, namespace)
    return str(namespace.get("result"))


def plain_function(command: str) -> str:
    # ok: VNX-LLM-002
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout
