from pydantic import BaseModel

from .llm import LLM


class Config(BaseModel):
    verbose: bool = False
    max_retries: int = 3
    llm: LLM = None

    class Config:
        arbitrary_types_allowed = True
