"""Tool functions in their own module; another module hands them to the framework (agent.py)."""
import subprocess


def run_server(port: int) -> None:
    # An int the framework validated: no text of the model's reaches the shell.
    # ok: VNX-LLM-002
    subprocess.Popen(f"python -m http.server {port}", shell=True)


def run_shell(command: str) -> None:
    # ruleid: VNX-LLM-002
    subprocess.Popen(command, shell=True)
