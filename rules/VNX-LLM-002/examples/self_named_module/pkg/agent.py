from pkg.llm.openai import OpenAI
from pkg.llm.runner import run_reply


def solve(task: str) -> None:
    code = OpenAI().ask(f"Write Python for: {task}")
    # ruleid: VNX-LLM-002
    exec(code)


def shell(task: str) -> None:
    run_reply(OpenAI().ask(f"One shell command for: {task}"))
