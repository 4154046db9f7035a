# Structured output parsed into objects is still the model's; notebooks and kernels execute cells.
from IPython import get_ipython
from langchain_core.output_parsers import PydanticOutputParser
from langchain_openai import ChatOpenAI
from openai import OpenAI
from pydantic import BaseModel


class Step(BaseModel):
    description: str
    code: str


def pydantic_model_from_json():
    text = OpenAI().chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content
    step = Step.model_validate_json(text)
    # ok: VNX-LLM-002
    print(step.description)
    # ruleid: VNX-LLM-002
    exec(step.code)


def langchain_output_parser():
    parser = PydanticOutputParser(pydantic_object=Step)
    chain = ChatOpenAI(model="gpt-4o-mini") | parser
    step = chain.invoke("next step")
    # ruleid: VNX-LLM-002
    exec(step.code)


def notebook_cell():
    cell = ChatOpenAI().invoke("write a notebook cell").content
    shell = get_ipython()
    # ruleid: VNX-LLM-002
    shell.run_cell(cell)
    # ok: VNX-LLM-002
    shell.run_cell("%matplotlib inline")
