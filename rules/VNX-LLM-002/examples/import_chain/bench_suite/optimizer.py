# Model output handed down a chain of modules that neither call a model nor run anything themselves
# (optimizer -> evaluation -> evaluator -> benchmarks), the way benchmark harnesses grade generated code.
from openai import OpenAI

from .evaluation import evaluate_candidate

client = OpenAI()


def optimise(task: str) -> float:
    reply = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": f"Write a Python function for: {task}"}],
    )
    return evaluate_candidate(reply.choices[0].message.content)
