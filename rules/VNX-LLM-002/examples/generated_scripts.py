# Model output that runs after a detour: streamed, written to a file, rendered as a template, fetched over HTTP.
import importlib.util
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pandas as pd
import requests
from jinja2 import Environment, Template
from openai import OpenAI
from sqlalchemy.orm import Session

client = OpenAI()


def streamed_code():
    stream = client.chat.completions.create(model="gpt-4o", messages=[], stream=True)
    code = ""
    for chunk in stream:
        code += chunk.choices[0].delta.content or ""
    # ruleid: VNX-LLM-002
    exec(code)


def temporary_script():
    script = client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(script)
        path = handle.name
    # ruleid: VNX-LLM-002
    return subprocess.run([sys.executable, path], capture_output=True, text=True)


def script_file_with_a_fixed_name():
    script = client.responses.create(model="gpt-4.1", input="write a script").output_text
    with open("generated_task.py", "w") as handle:
        handle.write(script)
    # ruleid: VNX-LLM-002
    subprocess.run(["python3", "generated_task.py"], check=True)


def pathlib_and_runpy():
    program = client.responses.create(model="gpt-4.1", input="write a script").output_text
    Path("plugin.py").write_text(program)
    # ruleid: VNX-LLM-002
    runpy.run_path("plugin.py")


def written_then_imported_from_its_file():
    module_code = client.responses.create(model="gpt-4.1", input="write a plugin").output_text
    Path("generated_plugin.py").write_text(module_code)
    spec = importlib.util.spec_from_file_location("generated_plugin", "generated_plugin.py")
    plugin = importlib.util.module_from_spec(spec)
    # ruleid: VNX-LLM-002
    spec.loader.exec_module(plugin)


def fixed_plugin_file_is_fine():
    spec = importlib.util.spec_from_file_location("maintenance", "maintenance.py")
    # ok: VNX-LLM-002
    spec.loader.exec_module(importlib.util.module_from_spec(spec))


def unrelated_file_is_fine():
    summary = client.responses.create(model="gpt-4.1", input="summarise").output_text
    Path("summary.txt").write_text(summary)
    # ok: VNX-LLM-002
    runpy.run_path("maintenance.py")


def model_written_template():
    template_text = client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content
    # ruleid: VNX-LLM-002
    page = Template(template_text).render(user="ada")
    env = Environment()
    # ruleid: VNX-LLM-002
    env.from_string(template_text).render()
    # ok: VNX-LLM-002
    Template("Hello {{ name }}").render(name=template_text)
    return page


def ollama_over_http():
    reply = requests.post("http://localhost:11434/api/generate", json={"model": "llama3", "prompt": "code"}, timeout=60)
    code = reply.json()["response"]
    # ruleid: VNX-LLM-002
    exec(code)


def openai_compatible_server_behind_a_base_url(base_url: str, task: str):
    # The host comes from configuration; the path says it is a chat-completions API.
    reply = httpx.post(f"{base_url}/chat/completions", json={"messages": [{"role": "user", "content": task}]})
    command = reply.json()["choices"][0]["message"]["content"]
    # ruleid: VNX-LLM-002
    subprocess.run(command, shell=True)


def cohere_over_http(task: str):
    reply = requests.post("https://api.cohere.com/v2/chat", json={"message": task}, timeout=60)
    # ruleid: VNX-LLM-002
    eval(reply.json()["text"])


def plain_http_api_is_not_a_model():
    # Untrusted, but not model output: other rules (and reviewers) judge it.
    data = requests.get("https://example.com/api/items", timeout=10).json()
    # ok: VNX-LLM-002
    print(data)


def sql_query_method_is_not_pandas(session: Session, frame: pd.DataFrame):
    condition = client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content
    # ok: VNX-LLM-002
    session.query(condition)
    # ruleid: VNX-LLM-002
    frame.query(condition)
