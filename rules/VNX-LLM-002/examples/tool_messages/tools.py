# langroid tool messages: the model writes the message (its fields), the framework dispatches it to the
# agent method named after its `request`, or to its own `handle`.
import subprocess

from langroid.agent.tool_message import ToolMessage


class PandasEvalTool(ToolMessage):
    request: str = "pandas_eval"
    purpose: str = "To evaluate a pandas <expression> on the dataframe 'df'"
    expression: str


class QueryPlanTool(ToolMessage):
    request = "query_plan"  # the agent method that handles this tool
    purpose = "Given a user's query, generate a query <plan>"
    plan: str


class ShellCommandTool(ToolMessage):
    request: str = "shell_command"
    purpose: str = "To run a shell <command>"
    command: str

    def handle(self) -> str:
        # ruleid: VNX-LLM-002
        return subprocess.run(self.command, shell=True, capture_output=True, text=True).stdout


class DeployTool(ToolMessage):
    request: str = "deploy"
    purpose: str = "To deploy the <service>"
    service: str

    def handle(self, agent) -> str:
        # The agent is the framework's object; only the message is the model's.
        # ok: VNX-LLM-002
        subprocess.run(agent.config.deploy_command, shell=True)
        # ruleid: VNX-LLM-002
        return subprocess.run(f"deploy {self.service}", shell=True, capture_output=True, text=True).stdout


class StatusTool(ToolMessage):
    request: str = "status"
    purpose: str = "To report the service status"

    def handle(self) -> str:
        # The message carries no input the command uses.
        # ok: VNX-LLM-002
        return subprocess.run("systemctl status app", shell=True, capture_output=True, text=True).stdout
