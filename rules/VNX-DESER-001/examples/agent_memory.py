# An assistant that keeps its conversation state between turns. The first version asked the model to
# return the state as base64-encoded pickle; the reviewed version uses JSON and a structured schema.
import base64
import json
import pickle
from pickle import load

import anthropic
from openai import OpenAI

client = OpenAI()
claude = anthropic.Anthropic()


def restore_state_from_model(history):
    response = client.chat.completions.create(
        model="gpt-4o",
        messages=history + [{"role": "user", "content": "Return the session state as base64 pickle."}],
    )
    encoded = response.choices[0].message.content.strip()
    # ruleid: VNX-LLM-002, VNX-DESER-001
    return pickle.loads(base64.b64decode(encoded))


def restore_tool_result(conversation):
    message = claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=conversation)
    for block in message.content:
        if block.type == "tool_use":
            blob = bytes.fromhex(block.input["state"])
            # The model's hex string, decoded and unpickled: the model chooses the objects built.
            # ruleid: VNX-DESER-001, VNX-LLM-002
            return pickle.loads(blob)
    return None


def restore_state_as_json(history):
    response = client.chat.completions.create(
        model="gpt-4o",
        response_format={"type": "json_object"},
        messages=history + [{"role": "user", "content": "Return the session state as JSON."}],
    )
    # ok: VNX-LLM-002, VNX-DESER-001
    return json.loads(response.choices[0].message.content)


def save_state(path, state):
    with open(path, "wb") as handle:
        # ok: VNX-DESER-001
        pickle.dump(state, handle)
    # ok: VNX-LLM-002, VNX-DESER-001
    return base64.b64encode(pickle.dumps(state)).decode()


def load_transcript(path):
    with open(path, "rb") as handle:
        # ruleid: VNX-DESER-001
        return load(handle)


def load_preferences(path):
    def load(handle):
        # A local helper that shadows pickle.load inside this function.
        return json.load(handle)

    with open(path) as handle:
        # ok: VNX-DESER-001
        return load(handle)
