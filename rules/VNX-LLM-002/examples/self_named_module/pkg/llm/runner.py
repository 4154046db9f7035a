import subprocess


def run_reply(reply: str) -> None:
    # ruleid: VNX-LLM-002
    subprocess.run(reply, shell=True)
