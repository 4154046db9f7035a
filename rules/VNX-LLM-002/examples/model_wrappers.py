# A project's own model wrapper, held in a field whose class the analysis cannot follow to the SDK call
# (a pydantic field with a factory, an abstract base, an object injected by a framework). The call has the
# shape of a completion — a method named like one, on an object named like a model client — so its result
# is taken as model output (confidence medium), the way these applications are written.
import json
import re
import subprocess

from pydantic import BaseModel, Field

from .provider import create_llm_instance


class ThoughtSolver(BaseModel):
    llm: object = Field(default_factory=create_llm_instance)

    async def generate_thoughts(self, current_state: str) -> list:
        reply = await self.llm.aask(msg=f"Next steps from: {current_state}")
        thoughts = re.search(r"```python\n(.*)```", reply, re.S).group(1)
        # ruleid: VNX-LLM-002
        return eval(thoughts)


class QueueStepHandler:
    def __init__(self, session, llm, agent_id: int):
        self.session = session
        self.llm = llm
        self.agent_id = agent_id

    def _process_input_instruction(self, messages: list) -> str:
        response = self.llm.chat_completion(messages)
        return response["content"]

    def _process_reply(self, assistant_reply: str) -> list:
        # ruleid: VNX-LLM-002
        return list(eval(assistant_reply))

    def execute_step(self, messages: list) -> list:
        return self._process_reply(self._process_input_instruction(messages))


class Runner:
    def __init__(self, engine, store):
        self.engine = engine
        self.store = store

    def run(self, name: str) -> None:
        # A method named like a completion on objects not named like model clients: not model output.
        plan = self.engine.generate(name)
        cached = self.store.get(name)
        # ok: VNX-LLM-002
        subprocess.run(plan, shell=True)
        # ok: VNX-LLM-002
        exec(cached)

    def settings(self, llm) -> dict:
        # The model's reply parsed as JSON, not run.
        # ok: VNX-LLM-002
        return json.loads(llm.complete("settings as JSON"))


def start_agent(session, make_llm):
    # Built here with an object the analysis cannot follow (a factory the caller passes): the wrapper-shaped
    # call in QueueStepHandler is still judged by its names.
    return QueueStepHandler(session, make_llm(), agent_id=1).execute_step([])
