# Flows through the program's own functions, methods, lambdas and instance attributes.
import subprocess
from typing import Optional

from anthropic import Anthropic
from openai import OpenAI


def generate(prompt: str) -> str:
    response = OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    return response.choices[0].message.content


def run_code(source):
    # ruleid: VNX-LLM-002
    exec(source, {"__builtins__": __builtins__})


def run_shell(command, timeout=30):
    # ruleid: VNX-LLM-002
    return subprocess.run(command, shell=True, capture_output=True, timeout=timeout)


def pipeline_of_helpers(task):
    code = generate(f"Write Python for {task}")
    run_code(code)
    run_shell(command=generate("a shell command"))


def helper_called_with_constant():
    # ok: VNX-LLM-002
    run_code("print('hello')")


def lambda_executor():
    execute = lambda text: eval(text)  # noqa: E731
    # ok: VNX-LLM-002
    execute("1 + 1")


class CodeAgent:
    def __init__(self, model: str = "claude-sonnet-4-5"):
        self.client = Anthropic()
        self.model = model
        self.last_code: Optional[str] = None

    def think(self, task: str) -> str:
        message = self.client.messages.create(model=self.model, max_tokens=2048, messages=[{"role": "user", "content": task}])
        self.last_code = message.content[0].text
        return self.last_code

    def act(self, task: str):
        plan = self.think(task)
        # ruleid: VNX-LLM-002
        exec(plan)

    def replay(self):
        # ruleid: VNX-LLM-002
        exec(self.last_code)

    def describe(self):
        # ok: VNX-LLM-002
        subprocess.run(["echo", self.model])


class Assistant:
    """The client is passed in, typed by its annotation."""

    def __init__(self, client: OpenAI):
        self.client = client

    def ask(self, question: str) -> str:
        return self.client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content


def use_injected_client(client: OpenAI):
    expression = client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content
    # ruleid: VNX-LLM-002
    print(eval(expression))


def use_assistant_instance():
    assistant = Assistant(OpenAI())
    answer = assistant.ask("a python expression")
    # ruleid: VNX-LLM-002
    eval(answer)


def pure_helper(x):
    return x.upper()


def helper_returning_constant(_prompt):
    return "ls -la"


def flows_that_end_clean():
    text = generate("anything")
    command = helper_returning_constant(text)
    # ok: VNX-LLM-002
    subprocess.run(command, shell=True)
    # ok: VNX-LLM-002
    subprocess.run(pure_helper("uptime"), shell=True)


def nested_function_closure():
    code = generate("code")

    def inner():
        # ruleid: VNX-LLM-002
        exec(code)

    inner()


class Coder:
    """The model client is injected: what each instance is built with decides."""

    def __init__(self, llm, retries=2):
        self.llm = llm
        self.retries = retries

    def draft(self, task):
        return self.llm.invoke(f"Write Python for: {task}").content

    def run(self, task):
        program = self.draft(task)
        # ruleid: VNX-LLM-002
        exec(program)


class EchoModel:
    def invoke(self, text):
        return type("Reply", (), {"content": "print('offline')"})()


def injected_clients():
    from langchain_openai import ChatOpenAI

    Coder(ChatOpenAI(model="gpt-4o")).run("sort a list")
    Coder(llm=EchoModel()).run("offline mode")
