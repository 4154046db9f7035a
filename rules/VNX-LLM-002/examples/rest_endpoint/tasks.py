# The model's answer comes from another module, over plain HTTP: still model output.
import subprocess

from completion import complete, fetch_config


def run_generated(task: str) -> None:
    script = complete(f"Write a shell one-liner that does: {task}")
    # ruleid: VNX-LLM-002
    subprocess.run(script, shell=True, check=False)


def run_configured(url: str) -> None:
    command = fetch_config(url)["command"]
    # ok: VNX-LLM-002
    subprocess.run(command, shell=True, check=False)
