"""Registers tools defined in another module, analysed (and its tree let go) before this one."""
from camel.toolkits import FunctionTool

from .toolkit import run_server, run_shell

TOOLS = [FunctionTool(run_server), FunctionTool(run_shell)]
