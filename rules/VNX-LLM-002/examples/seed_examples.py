# The examples of the VNX-LLM-002 rule card, written out as complete programs.
import json
import os

import openai
from openai import OpenAI

client = OpenAI()
messages = [{"role": "user", "content": "Write Python that sums the first 100 primes."}]


def flagged_exec():
    response = client.chat.completions.create(model="gpt-4o", messages=messages)
    content = response.choices[0].message.content
    # ruleid: VNX-LLM-002
    exec(content)


def flagged_system():
    response = client.chat.completions.create(model="gpt-4o", messages=messages)
    # ruleid: VNX-LLM-002
    os.system(response.choices[0].message.content)


def flagged_eval_of_result():
    result = client.chat.completions.create(model="gpt-4o", messages=messages).choices[0].message.content
    # ruleid: VNX-LLM-002
    return eval(result)


def flagged_multiline():
    r = client.chat.completions.create(model="gpt-4o", messages=messages)
    code = r.choices[0].message.content
    print("about to run generated code")
    print(len(code))
    # ruleid: VNX-LLM-002
    exec(code)


TOOL_IMPLEMENTATIONS = {
    "top_users": lambda limit=10: f"SELECT name FROM users LIMIT {int(limit)}",
    "revenue_summary": lambda limit=10: "SELECT sum(total) FROM orders",
}


def dispatch_tool(name, arguments):
    if name not in TOOL_IMPLEMENTATIONS:
        raise ValueError(f"unknown tool {name}")
    return TOOL_IMPLEMENTATIONS[name](**arguments)


def safe_tool_calling():
    tools = [
        {
            "type": "function",
            "function": {
                "name": "run_query",
                "parameters": {
                    "type": "object",
                    "properties": {"query_id": {"type": "string", "enum": ["top_users", "revenue_summary"]}},
                    "required": ["query_id"],
                },
            },
        }
    ]
    response = openai.chat.completions.create(model="gpt-4o", messages=messages, tools=tools)
    tool_call = response.choices[0].message.tool_calls[0]
    # ok: VNX-LLM-002
    result = dispatch_tool(tool_call.function.name, json.loads(tool_call.function.arguments))
    # ok: VNX-LLM-002
    print(result)
    return result
