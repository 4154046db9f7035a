# A generator's return value through `yield from`, and registries of providers: one row of functions per
# model, the row picked by a name only known at run time (`PROVIDERS[name]["complete"](prompt)`).
import subprocess

import anthropic
from openai import OpenAI


def openai_complete(prompt: str) -> str:
    reply = OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    return reply.choices[0].message.content


def claude_complete(prompt: str) -> str:
    message = anthropic.Anthropic().messages.create(
        model="claude-sonnet-4-5", max_tokens=1024, messages=[{"role": "user", "content": prompt}]
    )
    return message.content[0].text


def describe(name: str) -> str:
    return f"echo model {name}"


PROVIDERS = {
    "gpt-4o": {"complete": openai_complete, "describe": describe, "context": 128000},
    "claude": {"complete": claude_complete, "describe": describe, "context": 200000},
}


def complete(model: str, prompt: str) -> str:
    return PROVIDERS[model]["complete"](prompt)


def run_suggested_command(model: str, task: str):
    command = complete(model, f"One shell command that does: {task}")
    # ruleid: VNX-LLM-002
    subprocess.run(command, shell=True)


def announce(model: str):
    # The row's `describe` is the program's own function: its text is not the model's.
    line = PROVIDERS.get(model)["describe"](model)
    # ok: VNX-LLM-002
    subprocess.run(line, shell=True)


def progress(step: str):
    yield f"[working] {step}"


def ask_with_progress(prompt: str):
    yield from progress("asking the model")
    answer = openai_complete(prompt)
    yield from progress("done")
    return answer


def stream_answer(prompt: str):
    stream = OpenAI().chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": prompt}], stream=True
    )
    for chunk in stream:
        yield chunk.choices[0].delta.content or ""


def relay(prompt: str):
    # A wrapper that hands on another generator's chunks.
    yield from stream_answer(prompt)


def solve(task: str):
    code = yield from ask_with_progress(f"Python code for: {task}")
    # ruleid: VNX-LLM-002
    exec(code, {})


def run_streamed(task: str):
    source = "".join(relay(task))
    # ruleid: VNX-LLM-002
    exec(source, {})


def wait_for_user():
    yield from progress("waiting")
    return "print('ready')"


def ready():
    snippet = yield from wait_for_user()
    # ok: VNX-LLM-002
    exec(snippet, {})
