"""Workflow steps. Each is built with the model wrapper the executor picked and passes it on."""
import subprocess

from .output_handlers import HANDLERS, SummaryOutputHandler, get_output_handler


class Planner:
    def __init__(self, client):
        self.client = client

    def plan(self, goal: str) -> str:
        reply = self.client.chat_completion([{"role": "user", "content": f"Shell command for: {goal}"}])
        return reply["content"]


class IterationStepHandler:
    def __init__(self, session, llm, tools: dict):
        self.session = session
        self.llm = llm
        self.tools = tools
        self.planner = Planner(self.llm)

    def execute_step(self, output_type: str, messages: list):
        response = self.llm.chat_completion(messages)
        assistant_reply = response["content"]
        output_handler = get_output_handler(output_type, self.tools)
        return output_handler.handle(assistant_reply)

    def replace_tasks(self, output_type: str, messages: list):
        response = self.llm.chat_completion(messages)
        handler = HANDLERS[output_type](self.tools)
        return handler.handle(response["content"])

    def run_plan(self, goal: str) -> None:
        command = self.planner.plan(goal)
        # Two constructor hops from the model wrapper the executor picked (`client` is not named like one).
        # ruleid: VNX-LLM-002
        subprocess.run(command, shell=True)

    def summarise(self) -> None:
        SummaryOutputHandler(self.tools).handle("[]")


class DryRunStepHandler:
    """Built only with the canned wrapper (see executor.py): its replies are constants."""

    def __init__(self, llm):
        self.llm = llm

    def execute_step(self, messages: list):
        response = self.llm.chat_completion(messages)
        # ok: VNX-LLM-002
        return eval(response["content"])
