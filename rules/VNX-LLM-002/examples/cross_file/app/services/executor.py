"""Helpers that run things; safe only for trusted input."""
import subprocess


def run_python(source: str) -> None:
    # ruleid: VNX-LLM-002
    exec(source)


def run_command(command: str) -> str:
    # ruleid: VNX-LLM-002
    return subprocess.check_output(command, shell=True, text=True)
