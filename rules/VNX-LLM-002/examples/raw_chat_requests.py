# Chat APIs over raw HTTP where the URL is not a literal (a configuration value, a table of endpoints, a
# proxy): the request body's keys say it asks a model (`{"model": ..., "messages": [...]}`), so the response
# is the model's answer. The body is often built by a helper that returns it with the headers.
import json
import os
import subprocess

import httpx
import requests

ENDPOINTS = {"openai": os.environ.get("OPENAI_BASE_URL", ""), "local": os.environ.get("LOCAL_LLM_URL", "")}


def generate_payload(inputs: str, llm_kwargs: dict, system_prompt: str):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {os.environ['API_KEY']}"}
    messages = [{"role": "system", "content": system_prompt}, {"role": "user", "content": inputs}]
    payload = {"model": llm_kwargs["llm_model"], "messages": messages, "temperature": 0.2, "stream": True}
    return headers, payload


def decode_chunk(chunk: bytes):
    decoded = chunk.decode()
    chunkjson = None
    try:
        chunkjson = json.loads(decoded[6:])
    except ValueError:
        pass
    return decoded, chunkjson


def predict_no_ui(inputs: str, llm_kwargs: dict, provider: str) -> str:
    headers, payload = generate_payload(inputs, llm_kwargs, "You are a programmer.")
    response = requests.post(ENDPOINTS[provider], headers=headers, json=payload, stream=True, timeout=60)
    result = ""
    for chunk in response.iter_lines():
        decoded, chunkjson = decode_chunk(chunk)
        if not decoded.startswith("data:") or chunkjson is None:
            continue
        result += chunkjson["choices"][0]["delta"].get("content", "")
    return result


def run_suggested_fix(error: str, llm_kwargs: dict):
    command = predict_no_ui(f"A shell command that fixes: {error}", llm_kwargs, "openai")
    # ruleid: VNX-LLM-002
    subprocess.run(command, shell=True)


async def ask_local_model(question: str) -> str:
    async with httpx.AsyncClient(base_url=os.environ["LOCAL_LLM_URL"]) as client:
        body = {"model": "qwen2.5-coder", "messages": [{"role": "user", "content": question}]}
        reply = await client.post("/v1/chat", json=body)
        return reply.json()["message"]["content"]


async def solve(question: str):
    code = await ask_local_model(f"Python code that answers: {question}")
    # ruleid: VNX-LLM-002
    exec(code, {})


def notify(text: str) -> dict:
    # A chat message to a webhook is not a model call: its answer is the service's.
    response = requests.post(os.environ["WEBHOOK_URL"], json={"channel": "#ops", "text": text}, timeout=10)
    return response.json()


def run_webhook_reply(text: str):
    command = notify(text)["command"]
    # ok: VNX-LLM-002
    subprocess.run(command, shell=True)
