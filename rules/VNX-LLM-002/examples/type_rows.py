# An application built on MetaGPT, which is not among the scanned files: `metagpt.llm.LLM()` is a
# factory whose result the models declare (types.yml), so its `aask` is a model call.
from metagpt.llm import LLM


async def write_and_run(requirement: str) -> None:
    writer = LLM()
    code = await writer.aask(f"Write a Python script for: {requirement}")
    # ruleid: VNX-LLM-002
    exec(code)
