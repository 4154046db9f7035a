"""Turns an operator's request ("free disk space on /var") into a shell command and runs it."""

import subprocess

from openai import OpenAI

client = OpenAI()

PROMPT = """You are a Linux operations assistant. Translate the request into one bash command.
Reply with the command only, no explanation.

Request: {request}"""


def suggest_command(request):
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": PROMPT.format(request=request)}],
    )
    return completion.choices[0].message.content.strip()


def run_request(request, dry_run=False):
    command = suggest_command(request)
    print(f"$ {command}")
    if dry_run:
        return ""
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    return proc.stdout + proc.stderr
