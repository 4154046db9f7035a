"""Runs steps. Nothing in this module talks to a model."""
import subprocess


def execute(source: str) -> None:
    # ruleid: VNX-LLM-002
    exec(compile(source, "<step>", "exec"))


def execute_fixed() -> None:
    # ok: VNX-LLM-002
    subprocess.run(["python", "-c", "print('ready')"], check=True)
