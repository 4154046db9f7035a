"""Keeps each user's conversation history in Redis between requests."""

import pickle

import redis

store = redis.Redis.from_url("redis://localhost:6379/0")

TTL_SECONDS = 24 * 3600


def load_history(session_id):
    raw = store.get(f"history:{session_id}")
    return pickle.loads(raw) if raw else []


def save_history(session_id, messages):
    store.setex(f"history:{session_id}", TTL_SECONDS, pickle.dumps(messages))
