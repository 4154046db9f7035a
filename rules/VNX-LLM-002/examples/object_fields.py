# Model output kept in an object's fields: written by one method and read by another, whatever the order the
# methods are written in; and stored through the object's own methods (a memory, a store, a message box).
import importlib
import subprocess
from dataclasses import dataclass

from openai import OpenAI


def ask(prompt):
    return OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


class Agent:
    # The method that runs the code is written above the one that stores it.
    def act(self):
        # ruleid: VNX-LLM-002
        exec(self.plan)

    def think(self, task):
        self.plan = ask(f"Write Python for {task}")


class Memory:
    def __init__(self):
        self.messages = []

    def latest(self):
        return self.messages[-1]

    def add(self, message):
        self.messages.append(message)


class Assistant:
    def __init__(self):
        self.memory = Memory()

    def run_latest(self):
        # ruleid: VNX-LLM-002
        subprocess.run(self.memory.latest(), shell=True)

    def remember(self, message):
        self.memory.add(message)

    def observe(self):
        self.remember(ask("Which shell command should run next?"))


class Slot:
    def put(self, value):
        self.value = value

    def take(self):
        return self.value


commands = Slot()
snippets = Slot()


def run_snippet():
    # ruleid: VNX-LLM-002
    exec(snippets.take())


def plan_snippet():
    snippets.put(ask("a snippet"))


class Task:
    def __init__(self, code, title="task"):
        self.code = code
        self.title = title


def run_task():
    task = Task(ask("code for the task"))
    # ruleid: VNX-LLM-002
    exec(task.code)
    # ok: VNX-LLM-002
    exec(task.title)


class Context:
    """A key-value store: what one caller stores under one key is not what another reads under another."""

    def __init__(self):
        self.values = {}

    def add(self, key, value):
        self.values[key] = value

    def get(self, key):
        return self.values.get(key)


def pipeline(context: Context):
    context.add("reply", ask("summarise the table"))
    context.add("command", "ls -l")
    # ok: VNX-LLM-002
    subprocess.run(context.get("command"), shell=True)


class Counter:
    def record(self, value):
        self.last = value

    def replay(self):
        # ok: VNX-LLM-002
        exec(self.last)


def count():
    Counter().record("print(1)")


ALLOWED_PACKAGES = ["numpy", "pandas"]


def import_allowed(name):
    # An allowlisted top-level package vouches for the dotted module name it was taken from.
    package = name.split(".")[0]
    if package in ALLOWED_PACKAGES:
        # ok: VNX-LLM-002
        return importlib.import_module(name)
    raise ImportError(name)


def import_checked_wrongly(name):
    second = name.split(".")[1]
    if second in ALLOWED_PACKAGES:
        # ruleid: VNX-LLM-002
        return importlib.import_module(name)
    raise ImportError(name)


def load_plugin():
    import_allowed(ask("which module?"))
    import_checked_wrongly(ask("which module?"))
