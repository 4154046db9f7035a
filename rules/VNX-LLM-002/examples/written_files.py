# Code the model wrote, saved to a file under a computed name, then run or imported: the variable (or
# attribute) holding the path stands for the code once the code is written there.
import importlib
import importlib.util
import os
import runpy
import subprocess
import sys
import uuid
from pathlib import Path

from openai import OpenAI

client = OpenAI()


def ask(prompt: str) -> str:
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def run_generated_script(workdir: str, task: str):
    code = ask(task)
    script_path = os.path.join(workdir, f"task_{uuid.uuid4().hex}.py")
    with open(script_path, "w", encoding="utf-8") as handle:
        handle.write(code)
    # ruleid: VNX-LLM-002
    return subprocess.run([sys.executable, script_path], capture_output=True, text=True, timeout=30)


def run_generated_script_through_a_shell(workdir: str, task: str):
    code = ask(task)
    path = os.path.join(workdir, "solution.py")
    with open(path, "w") as f:
        f.write(code)
    # ruleid: VNX-LLM-002
    os.system(f"python {path}")


def load_generated_plugin(plugin_dir: Path, name: str):
    source = ask(f"write a plugin called {name}")
    plugin_file = plugin_dir / f"{name}.py"
    plugin_file.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, plugin_file)
    module = importlib.util.module_from_spec(spec)
    # ruleid: VNX-LLM-002
    spec.loader.exec_module(module)
    return module


def run_path_of_generated_code(workdir: str):
    program = ask("write a data cleaning script")
    target = os.path.join(workdir, "clean.py")
    Path(target).write_text(program)
    # ruleid: VNX-LLM-002
    return runpy.run_path(target)


def import_the_written_module():
    code = ask("write a helper module")
    with open("generated/helpers_v2.py", "w") as out:
        out.write(code)
    # ruleid: VNX-LLM-002
    return importlib.import_module("generated.helpers_v2")


class CodeRunner:
    """Writes the model's code in one method and runs it in another, as agent 'code interpreter' actions do."""

    def __init__(self, workspace: str):
        self.workspace = workspace
        self.script_path = os.path.join(workspace, "main.py")

    def write_code(self, task: str):
        code = ask(task)
        with open(self.script_path, "w") as fh:
            fh.write(code)

    def run_code(self):
        # ruleid: VNX-LLM-002
        return subprocess.run(["python3", self.script_path], capture_output=True, text=True)


def written_file_run_in_a_process(workdir: str, task: str):
    code = ask(task)
    fn_path = os.path.join(workdir, "generated_fn.py")
    with open(fn_path, "w", encoding="utf8") as f:
        f.write(code)
    load_and_run(fn_path)


def load_and_run(fn_path):
    module_spec = importlib.util.spec_from_file_location("example_module", fn_path)
    example_module = importlib.util.module_from_spec(module_spec)
    # ruleid: VNX-LLM-002
    module_spec.loader.exec_module(example_module)


def report_written_then_a_fixed_script_run(workdir: str):
    summary = ask("summarise the logs")
    report_path = os.path.join(workdir, "report.md")
    with open(report_path, "w") as f:
        f.write(summary)
    # ok: VNX-LLM-002
    subprocess.run([sys.executable, "scripts/publish.py", "--input", "report.md"], check=True)


def written_file_is_read_by_a_formatter(workdir: str):
    code = ask("write a function")
    path = os.path.join(workdir, "fn.py")
    with open(path, "w") as f:
        f.write(code)
    # ok: VNX-LLM-002
    subprocess.run(["black", "--quiet", path], check=True)


def read_back_not_written(workdir: str):
    path = os.path.join(workdir, "settings.py")
    with open(path) as f:
        text = f.read()
    print(ask(text))
    # ok: VNX-LLM-002
    return runpy.run_path(path)


def fixed_module_imported_after_a_write():
    notes = ask("write release notes")
    with open("generated/notes.md", "w") as out:
        out.write(notes)
    # ok: VNX-LLM-002
    return importlib.import_module("generated.formatters")


def written_to_a_temporary_file_then_scanned_or_run(task: str):
    import tempfile

    with tempfile.NamedTemporaryFile(mode="w", suffix=".py", delete=False) as f:
        f.write(ask(f"Write Python for {task}"))
        path = f.name
    folder = os.path.dirname(path)
    # The file's name is an argument of a scanner here: the code in it does not run.
    # ok: VNX-LLM-002
    subprocess.run(f"cd {folder} && semgrep scan --config auto {os.path.basename(path)}", shell=True)
    # ruleid: VNX-LLM-002
    subprocess.run(f"cd {folder} && python3 {path}", shell=True)
    # ruleid: VNX-LLM-002
    subprocess.run([path])


def temporary_file_named_after_the_model(task: str):
    import tempfile

    extension = ask("which file extension?")
    with tempfile.NamedTemporaryFile(mode="w", suffix=f".{extension}", delete=False) as f:
        f.write("print('report')")
    # The name is tempfile's; what the file holds is the program's own.
    # ok: VNX-LLM-002
    subprocess.run(f"semgrep scan {f.name}", shell=True)
