# A module with a shell sink that model output reaches through a parameter. Its helper in another module,
# which has neither a model call nor a sink, decides what comes back: a temporary file's name, not the code.
import os
import subprocess

from .files import save_temporary, shell_quote_all


def scan_code(code: str):
    path = save_temporary(code)
    # ok: VNX-LLM-002
    subprocess.run(f"cd {os.path.dirname(path)} && semgrep scan --config auto {os.path.basename(path)}", shell=True)
    # ruleid: VNX-LLM-002
    subprocess.run(f"python3 {path}", shell=True)
    # ruleid: VNX-LLM-002
    subprocess.run(f"echo {shell_quote_all(code)}", shell=True)
