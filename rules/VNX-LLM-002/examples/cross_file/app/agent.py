import subprocess

from . import llm
from .llm import ask, ask_json, model_name
from .services.executor import run_command, run_python


def solve(task: str) -> None:
    code = ask(f"Write Python that solves: {task}")
    run_python(code)


def operate(goal: str) -> str:
    plan = ask_json(f"Return a JSON object with a 'command' for: {goal}")
    return run_command(plan["command"])


def direct_use() -> None:
    answer = llm.ask("a shell command")
    # ruleid: VNX-LLM-002
    subprocess.run(answer, shell=True)


def metadata_only() -> None:
    # ok: VNX-LLM-002
    subprocess.run(["echo", model_name()])
    # ok: VNX-LLM-002
    run_command("uptime")
