"""A plugin that asks the model for a Python class, saves it, and checks it in a child process."""
import importlib.util
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile

from llms.bridge import code_template

from .ui import confirm_with_user, request_model_with_ui_alive, update_ui


def get_code_block(reply: str) -> str:
    matches = re.findall(r"```([\s\S]*?)```", reply)
    return matches[0].strip("python") if matches else reply


def is_function_successfully_generated(fn_path, class_name, return_dict):
    spec = importlib.util.spec_from_file_location("example_module", fn_path)
    module = importlib.util.module_from_spec(spec)
    # ruleid: VNX-LLM-002
    spec.loader.exec_module(module)
    return_dict["success"] = hasattr(module, class_name)


def try_make_module(code, chatbot):
    fn_path = os.path.join(tempfile.gettempdir(), f"gpt_fn_{os.getpid()}.py")
    with open(fn_path, "w", encoding="utf8") as f:
        f.write(code)
    return_dict = multiprocessing.Manager().dict()
    p = multiprocessing.Process(target=is_function_successfully_generated, args=(fn_path, "TerminalFunction", return_dict))
    p.start()
    p.join(timeout=10)
    return return_dict.get("success", False)


def gpt_interact_multi_step(txt, llm_kwargs, chatbot, history):
    gpt_say = yield from request_model_with_ui_alive(f"Write a Python class that does: {txt}", llm_kwargs, chatbot, history)
    history.extend([txt, gpt_say])
    yield from update_ui(chatbot, history)
    return gpt_say, history


def generate_plugin(txt, llm_kwargs, plugin_kwargs, chatbot, history):
    code, history = yield from gpt_interact_multi_step(txt, llm_kwargs, chatbot, history)
    code = get_code_block(code)
    ok = try_make_module(code, chatbot)
    yield from update_ui(chatbot, history)
    return ok


def run_generated_scene(txt, llm_kwargs, plugin_kwargs, chatbot, history):
    reply = yield from request_model_with_ui_alive(f"Write a manim scene for: {txt}", llm_kwargs, chatbot, history)
    path = os.path.join(tempfile.gettempdir(), "scene.py")
    with open(path, "w") as f:
        f.write(get_code_block(reply))
    # ruleid: VNX-LLM-002
    subprocess.run([sys.executable, path], check=False)
    yield from update_ui(chatbot, history)


def show_template(txt, llm_kwargs, plugin_kwargs, chatbot, history):
    # The registry's template is the program's own text, not the model's.
    template = code_template(llm_kwargs)
    # ok: VNX-LLM-002
    exec(compile(template, "<template>", "exec"), {})
    yield from update_ui(chatbot, history)


def confirm_and_run(txt, llm_kwargs, plugin_kwargs, chatbot, history):
    # The helper only yields screen updates; what it returns is a constant.
    snippet = yield from confirm_with_user(chatbot, history)
    # ok: VNX-LLM-002
    exec(snippet, {})
