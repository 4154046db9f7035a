# Names that look like model output but are not: none of these is a finding.
import json
import os
import sqlite3
import subprocess
import sys

import requests


def http_response_named_response():
    response = requests.get("https://config.internal/commands", timeout=5)
    content = response.json()["content"]
    result = response.text
    # ok: VNX-LLM-002
    subprocess.run(content, shell=True)
    # ok: VNX-LLM-002
    os.system(result)


def database_row_named_output():
    conn = sqlite3.connect("jobs.db")
    output = conn.execute("SELECT command FROM jobs WHERE id = 1").fetchone()[0]
    # ok: VNX-LLM-002
    subprocess.call(output, shell=True)


def choices_from_a_config_file():
    with open("menu.json") as handle:
        choices = json.load(handle)
    message = choices[0]["message"]["content"]
    # ok: VNX-LLM-002
    eval(message)


def completion_is_a_local_variable():
    completion = "print('done')"
    llm = {"choices": [{"message": {"content": "1+1"}}]}
    # ok: VNX-LLM-002
    exec(completion)
    # ok: VNX-LLM-002
    eval(llm["choices"][0]["message"]["content"])


def command_line_input():
    script = sys.argv[1]
    # ok: VNX-LLM-002
    subprocess.run(["python", script])


def environment_variable():
    cmd = os.environ.get("POST_DEPLOY_HOOK", "true")
    # ok: VNX-LLM-002
    os.system(cmd)


class ChatCompletion:
    """A project class that merely shares the SDK's name."""

    @staticmethod
    def create(**kwargs):
        return {"choices": [{"message": {"content": "echo hi"}}]}


def local_class_named_like_sdk():
    response = ChatCompletion.create(model="local")
    # ok: VNX-LLM-002
    os.system(response["choices"][0]["message"]["content"])
