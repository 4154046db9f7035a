# The model writes code; the checker scans it before anything runs it.
from openai import OpenAI

from .checks import scan_code


def review(task: str):
    code = OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": task}]).choices[0].message.content
    scan_code(code)
