# The reviewed version of the data assistant: model-written code runs in a remote sandbox, and the project
# defines its own tool class whose name collides with LangChain's.
import langchain_experimental.tools as lc_tools
from e2b_code_interpreter import Sandbox
from langchain_core.tools import BaseTool
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o", temperature=0)


class PythonREPLTool(BaseTool):
    """Runs the model's code in an E2B sandbox without network access or secrets, never in this process."""

    name: str = "python"
    description: str = "Run Python in an isolated sandbox and return stdout."

    def _run(self, code: str) -> str:
        with Sandbox.create(timeout=30) as sandbox:
            execution = sandbox.run_code(code)
            return "\n".join(execution.logs.stdout)


def sandboxed_tools():
    # The project's own PythonREPLTool, not LangChain's.
    # ok: VNX-LLM-005
    return [PythonREPLTool()]


def legacy_tools():
    # The module imported under an alias is still LangChain's REPL.
    # ruleid: VNX-LLM-005
    return [lc_tools.PythonREPLTool()]
