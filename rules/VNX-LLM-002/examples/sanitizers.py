# Checks and conversions that keep model output from choosing what runs.
import ast
import json
import multiprocessing
import pickle
import re
import shlex
import subprocess

from openai import OpenAI

client = OpenAI()
ALLOWED_COMMANDS = {"uptime", "df -h", "free -m"}


def model_text(prompt):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def allowlisted_command():
    command = model_text("which diagnostic?").strip()
    if command in ALLOWED_COMMANDS:
        # ok: VNX-LLM-002
        subprocess.run(command, shell=True)


def allowlist_with_early_exit():
    command = model_text("which diagnostic?")
    if command not in ALLOWED_COMMANDS:
        raise ValueError("command not allowed")
    # ok: VNX-LLM-002
    subprocess.run(command, shell=True)


def allowlist_checked_in_one_branch_only():
    command = model_text("which diagnostic?")
    if command in ALLOWED_COMMANDS:
        print("known command")
    # ruleid: VNX-LLM-002
    subprocess.run(command, shell=True)


def equality_check():
    answer = model_text("yes or no")
    if answer == "restart":
        # ok: VNX-LLM-002
        subprocess.run(answer, shell=True)


def numeric_conversion():
    count = int(model_text("how many workers?"))
    # ok: VNX-LLM-002
    subprocess.run(f"scale-workers {count}", shell=True)


def quoted_for_the_shell():
    filename = model_text("which file?")
    # ok: VNX-LLM-002
    subprocess.run(f"wc -l {shlex.quote(filename)}", shell=True)


def literal_eval_is_not_eval():
    data = model_text("a python list of numbers")
    # ok: VNX-LLM-002
    numbers = ast.literal_eval(data)
    print(sum(numbers))


def json_is_data():
    # ok: VNX-LLM-002
    plan = json.loads(model_text("a JSON plan"))
    print(plan["steps"])


def validated_identifier():
    name = model_text("a report name")
    if re.fullmatch(r"[a-z_]{1,32}", name):
        # ok: VNX-LLM-002
        subprocess.run(["generate-report", "--name", name])


HANDLERS = {"summarize": lambda text: text[:100], "count": lambda text: len(text.split())}


def dispatch_structured_tool_call():
    response = client.chat.completions.create(model="gpt-4o", messages=[], tools=[])
    call = response.choices[0].message.tool_calls[0]
    arguments = json.loads(call.function.arguments)
    handler = HANDLERS[call.function.name]
    # ok: VNX-LLM-002
    return handler(**arguments)


def printing_and_logging_are_fine():
    text = model_text("hello")
    # ok: VNX-LLM-002
    print(text)
    # ok: VNX-LLM-002
    subprocess.run(["logger", "-t", "llm", text])


def _run_pickled_call(payload: bytes, results: dict):
    # ok: VNX-LLM-002
    func, args = pickle.loads(payload)
    results["value"] = func(*args)


def summarise_in_a_child_process(document: str) -> str:
    # The child receives a pickle this process made: the model's text is a value inside it.
    summary = model_text(f"Summarise: {document}")
    results = multiprocessing.Manager().dict()
    payload = pickle.dumps((str.upper, (summary,)))
    child = multiprocessing.Process(target=_run_pickled_call, args=(payload, results))
    child.start()
    child.join(timeout=30)
    return results.get("value", "")
