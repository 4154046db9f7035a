# A test that replays a recorded chat from a debug dump. Test code loads what the test chose: graded low.
import pickle

import requests


def objload(file="objdump.tmp"):
    with open(file, "rb") as f:
        # ruleid: VNX-DESER-001 (low)
        return pickle.load(f)


def test_export_matches_recording():
    chatbot, history = objload()
    assert len(chatbot) == len(history)


def test_remote_fixture():
    # Network input is graded as such, in tests too.
    response = requests.get("https://fixtures.example.com/chat.pkl", timeout=10)
    # ruleid: VNX-DESER-001 (critical)
    assert pickle.loads(response.content)
