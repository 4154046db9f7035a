# Every kind of executor the rule knows, each reached by model output.
import asyncio
import code
import importlib
import os
import pty
import runpy
import subprocess

import numexpr
import pandas as pd
import paramiko
from openai import OpenAI

client = OpenAI()


def text():
    return client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content


def interpreter_back_doors():
    console = code.InteractiveConsole()
    # ruleid: VNX-LLM-002
    console.push(text())
    interp = code.InteractiveInterpreter()
    # ruleid: VNX-LLM-002
    interp.runsource(text())


def dynamic_imports():
    # ruleid: VNX-LLM-002
    module = importlib.import_module(text())
    # ruleid: VNX-LLM-002
    __import__(text())
    # ruleid: VNX-LLM-002
    runpy.run_module(text())
    return module


def process_launchers():
    # ruleid: VNX-LLM-002
    subprocess.getstatusoutput(text())
    # ruleid: VNX-LLM-002
    os.execvp(text(), ["x"])
    # ruleid: VNX-LLM-002
    os.spawnlp(os.P_WAIT, text(), "x")
    # ruleid: VNX-LLM-002
    pty.spawn(text())


async def async_processes():
    # ruleid: VNX-LLM-002
    await asyncio.create_subprocess_shell(text())
    # ruleid: VNX-LLM-002
    await asyncio.create_subprocess_exec("bash", "-c", text())
    # ok: VNX-LLM-002
    await asyncio.create_subprocess_exec("ls", "-l")
    # A named program that is no interpreter takes the model's text as data (a commit message).
    # ok: VNX-LLM-002
    await asyncio.create_subprocess_exec("git", "commit", "-m", text())
    # ok: VNX-LLM-002
    await asyncio.create_subprocess_exec("git", *["commit", "-m", text()])
    # ruleid: VNX-LLM-002
    await asyncio.create_subprocess_exec("python3", "-c", text())
    # ruleid: VNX-LLM-002
    await asyncio.create_subprocess_exec(text(), "--version")
    # ruleid: VNX-LLM-002
    os.execlp("sh", "sh", "-c", text())


def dataframe_expressions(df: pd.DataFrame):
    condition = text()
    # ruleid: VNX-LLM-002
    df.query(condition)
    frame = pd.read_csv("sales.csv")
    # ruleid: VNX-LLM-002
    frame.eval(condition)
    # ruleid: VNX-LLM-002
    pd.eval(condition)
    # ruleid: VNX-LLM-002
    numexpr.evaluate(condition)
    # ok: VNX-LLM-002
    df.query("revenue > 100")


def remote_shell():
    ssh = paramiko.SSHClient()
    ssh.connect("build-host")
    # ruleid: VNX-LLM-002
    ssh.exec_command(text())


def string_dispatch_through_globals():
    # ruleid: VNX-LLM-002
    globals()[text()]()
