"""Tool calling done safely: the model picks a tool by name from an allowlist and passes JSON arguments."""

import json
from datetime import datetime, timezone

from llm_client import _client


def get_time(tz_name="UTC"):
    return datetime.now(timezone.utc).isoformat() if tz_name == "UTC" else f"unsupported timezone {tz_name}"


def add(a, b):
    return float(a) + float(b)


TOOLS = {
    "get_time": get_time,
    "add": add,
}

TOOL_SPECS = [
    {
        "type": "function",
        "function": {
            "name": "get_time",
            "description": "Current time as ISO 8601",
            "parameters": {"type": "object", "properties": {"tz_name": {"type": "string"}}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "add",
            "description": "Add two numbers",
            "parameters": {
                "type": "object",
                "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                "required": ["a", "b"],
            },
        },
    },
]


def dispatch(tool_call):
    handler = TOOLS.get(tool_call.function.name)
    if handler is None:
        return {"error": f"unknown tool {tool_call.function.name!r}"}
    arguments = json.loads(tool_call.function.arguments or "{}")
    return handler(**arguments)


def run_with_tools(question):
    messages = [{"role": "user", "content": question}]
    response = _client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=TOOL_SPECS)
    message = response.choices[0].message
    for tool_call in message.tool_calls or []:
        messages.append(
            {"role": "tool", "tool_call_id": tool_call.id, "content": json.dumps(dispatch(tool_call))}
        )
    return messages
