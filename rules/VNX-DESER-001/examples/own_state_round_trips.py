# State a program writes and reads back itself: a node cache persisted with pickle.dump and loaded with
# pickle.load, a Redis cache of pickled values, a deep copy through pickle.loads(pickle.dumps(x)). The module
# writes the format it reads, and the data has no outside origin: graded low (listed, not commented on by
# default). Network input stays critical in the same module.
import copy
import pickle
from pathlib import Path

import redis
import requests

CACHE_DIR = Path.home() / ".cache" / "tree_search"


class TreeSearch:
    def __init__(self, node_dir: Path = CACHE_DIR):
        self.node_dir = node_dir

    def save_node(self, node, node_id: str) -> None:
        with open(self.node_dir / f"{node_id}.pkl", "wb") as f:
            pickle.dump(node, f)

    def load_node(self, node_id: str):
        with open(self.node_dir / f"{node_id}.pkl", "rb") as f:
            # ruleid: VNX-DESER-001 (low)
            return pickle.load(f)


class ResultCache:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)
        self.ttl = 3600

    def set(self, key: str, value) -> None:
        self.client.set(key, pickle.dumps(value), ex=self.ttl)

    def get(self, key: str):
        raw = self.client.get(key)
        if raw is None:
            return None
        # A value anyone with access to the Redis server can replace: remote input, whatever this module
        # writes there.
        # ruleid: VNX-DESER-001 (critical)
        return pickle.loads(raw)

    def deserialize(self, value: bytes):
        # ruleid: VNX-DESER-001 (low)
        return pickle.loads(value)


def clone_tokenizer(tokenizer):
    # A deep copy of an object the caller holds: pickled and unpickled in the same expression.
    # ruleid: VNX-DESER-001 (low)
    return pickle.loads(pickle.dumps(tokenizer))


def fetch_state(url: str):
    response = requests.get(url, timeout=30)
    # ruleid: VNX-DESER-001 (critical)
    return pickle.loads(response.content)


def deepcopy_config(config):
    # ok: VNX-DESER-001
    return copy.deepcopy(config)
