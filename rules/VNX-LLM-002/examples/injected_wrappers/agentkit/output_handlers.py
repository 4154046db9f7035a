"""What to do with the model's reply depends on the workflow step: one handler class per output type."""
import json


class ToolOutputHandler:
    def __init__(self, tools: dict):
        self.tools = tools

    def handle(self, assistant_reply: str):
        action = json.loads(assistant_reply)
        return self.tools.get(action["name"])


class TaskOutputHandler:
    def __init__(self, tools: dict):
        self.tasks: list = []

    def handle(self, assistant_reply: str):
        # ruleid: VNX-LLM-002
        self.tasks.extend(eval(assistant_reply))
        return self.tasks


class ReplaceTaskOutputHandler:
    def __init__(self, tools: dict):
        self.tasks: list = []

    def handle(self, assistant_reply: str):
        # ruleid: VNX-LLM-002
        self.tasks = list(eval(assistant_reply))
        return self.tasks


class SummaryOutputHandler:
    def __init__(self, tools: dict):
        self.summaries: list = []

    def handle(self, summary: str):
        # Only ever given a constant (see step_handlers.py): not model output.
        # ok: VNX-LLM-002
        self.summaries.append(eval(summary))


def get_output_handler(output_type: str, tools: dict):
    if output_type == "tools":
        return ToolOutputHandler(tools)
    return TaskOutputHandler(tools)


# A registry of handler classes, looked up by the step's configured output type.
HANDLERS = {"replace_tasks": ReplaceTaskOutputHandler, "tools": ToolOutputHandler}
