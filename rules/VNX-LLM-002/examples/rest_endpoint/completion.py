"""A thin client for the chat completions REST API, without the SDK."""
import os

import requests

API_URL = "https://api.openai.com/v1/chat/completions"


def complete(prompt: str) -> str:
    response = requests.post(
        API_URL,
        headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
        json={"model": "gpt-4o", "messages": [{"role": "user", "content": prompt}]},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["choices"][0]["message"]["content"]


def fetch_config(url: str) -> dict:
    # Not a model endpoint: an ordinary HTTP response.
    return requests.get(url, timeout=10).json()
