"""Plugins are generators: each `yield` refreshes the chat window, and a helper's answer is its return value."""
import time
from concurrent.futures import ThreadPoolExecutor

from llms.bridge import predict_no_ui_long_connection


def update_ui(chatbot, history):
    yield chatbot, history


def request_model_with_ui_alive(inputs, llm_kwargs, chatbot, history):
    chatbot.append([inputs, ""])
    yield from update_ui(chatbot, history)
    executor = ThreadPoolExecutor(max_workers=1)
    mutable = ["", time.time()]

    def _req(inputs):
        return predict_no_ui_long_connection(inputs, llm_kwargs, observe_window=mutable)

    future = executor.submit(_req, inputs)
    while not future.done():
        time.sleep(0.2)
        chatbot[-1] = [chatbot[-1][0], mutable[0]]
        yield from update_ui(chatbot, history)
    final_result = future.result()
    chatbot[-1] = [chatbot[-1][0], final_result]
    yield from update_ui(chatbot, history)
    return final_result


def confirm_with_user(chatbot, history):
    chatbot.append(["Run the generated code?", "Waiting for confirmation..."])
    yield from update_ui(chatbot, history)
    return "print('confirmed')"
