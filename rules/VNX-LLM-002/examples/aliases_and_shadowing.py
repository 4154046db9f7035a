# Names are resolved through imports and aliases, and a local definition shadows the builtin.
import os as operating_system
import subprocess as sp
from subprocess import check_output as run_and_capture

import openai as oa

run = sp.run
shell = operating_system.system


def model_text():
    client = oa.OpenAI()
    return client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content


def through_aliases():
    command = model_text()
    # ruleid: VNX-LLM-002
    run(command, shell=True)
    # ruleid: VNX-LLM-002
    shell(command)
    # ruleid: VNX-LLM-002
    run_and_capture(command, shell=True)


def eval(expression):  # noqa: A001 - a project function that happens to be called eval
    return {"expression": expression, "value": None}


def exec_(code):
    return code


def shadowed_builtin():
    expression = model_text()
    # ok: VNX-LLM-002
    eval(expression)
    # ok: VNX-LLM-002
    exec_(expression)


class Sandbox:
    def exec(self, code):
        """Sends the code to a remote, isolated runner."""
        return {"submitted": len(code)}


def method_named_exec():
    sandbox = Sandbox()
    # ok: VNX-LLM-002
    sandbox.exec(model_text())


def rebound_module_name():
    subprocess = None  # noqa: F841 - the local name is not the module
    # ok: VNX-LLM-002
    print(model_text())
