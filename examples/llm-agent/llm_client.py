"""Thin wrapper around the OpenAI chat API shared by the assistant's features."""

import os

from openai import OpenAI

DEFAULT_MODEL = os.environ.get("ASSISTANT_MODEL", "gpt-4o-mini")

_client = OpenAI()


def chat(messages, model=DEFAULT_MODEL, temperature=0.0):
    """Send a conversation and return the assistant's reply as plain text."""
    response = _client.chat.completions.create(
        model=model,
        messages=messages,
        temperature=temperature,
    )
    return response.choices[0].message.content or ""


def ask(prompt, system="You are a helpful assistant.", **kwargs):
    return chat(
        [
            {"role": "system", "content": system},
            {"role": "user", "content": prompt},
        ],
        **kwargs,
    )
