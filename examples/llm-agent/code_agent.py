"""Answers questions about a CSV file by asking the model to write pandas code and running it."""

import re

import pandas as pd

from llm_client import ask

SYSTEM_PROMPT = (
    "You write short Python snippets that answer questions about a pandas DataFrame named `df`. "
    "Store the final answer in a variable named `result`. Reply with a single ```python block."
)

FENCE = re.compile(r"```(?:python)?\n(.*?)```", re.DOTALL)


def extract_code(reply):
    match = FENCE.search(reply)
    return match.group(1) if match else reply


def answer_question(csv_path, question):
    df = pd.read_csv(csv_path)
    prompt = f"Columns: {', '.join(df.columns)}\nFirst rows:\n{df.head().to_string()}\n\nQuestion: {question}"
    reply = ask(prompt, system=SYSTEM_PROMPT)
    snippet = extract_code(reply)

    namespace = {"df": df, "pd": pd}
    exec(snippet, namespace)
    return namespace.get("result")


if __name__ == "__main__":
    import sys

    print(answer_question(sys.argv[1], " ".join(sys.argv[2:])))
