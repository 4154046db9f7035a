"""One entry for every model: a registry of rows, one per model, each naming the provider's functions."""
from concurrent.futures import ThreadPoolExecutor

from .glm import count_tokens
from .glm import predict_no_ui as glm_noui
from .qwen import boilerplate
from .qwen import predict_no_ui as qwen_noui

model_info = {
    "glm-4": {
        "fn_without_ui": glm_noui,
        "token_cnt": count_tokens,
        "template": boilerplate,
        "max_token": 128000,
    },
    "qwen-max": {
        "fn_without_ui": qwen_noui,
        "token_cnt": count_tokens,
        "template": boilerplate,
        "max_token": 32000,
    },
}


def predict_no_ui_long_connection(inputs: str, llm_kwargs: dict, observe_window: list = []) -> str:
    model = llm_kwargs["llm_model"]
    if "&" not in model:
        method = model_info[model]["fn_without_ui"]
        return method(inputs, llm_kwargs, observe_window)
    # Several models at once: each on a worker, the answers joined.
    executor = ThreadPoolExecutor(max_workers=4)
    futures = [
        executor.submit(model_info[name]["fn_without_ui"], inputs, {"llm_model": name}) for name in model.split("&")
    ]
    return "\n\n".join(future.result() for future in futures)


def code_template(llm_kwargs: dict) -> str:
    return model_info.get(llm_kwargs["llm_model"])["template"]()
