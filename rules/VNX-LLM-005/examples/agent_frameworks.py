# Multi-agent frameworks whose code executors run what the agents write.
from autogen.coding import DockerCommandLineCodeExecutor, LocalCommandLineCodeExecutor
from crewai import Agent


def local_executor():
    # ruleid: VNX-LLM-005
    return LocalCommandLineCodeExecutor(timeout=60, work_dir="coding")


def docker_executor():
    # ok: VNX-LLM-005
    return DockerCommandLineCodeExecutor(image="python:3.12-slim", work_dir="coding")


def crew_agents():
    # ruleid: VNX-LLM-005
    unsafe = Agent(role="Analyst", goal="analyse", backstory="", allow_code_execution=True, code_execution_mode="unsafe")
    # ok: VNX-LLM-005
    sandboxed = Agent(role="Analyst", goal="analyse", backstory="", allow_code_execution=True)
    # ok: VNX-LLM-005
    plain = Agent(role="Writer", goal="write", backstory="")
    return unsafe, sandboxed, plain
