# An agent that asks the model for a workflow plan written in YAML and then runs the plan's steps.
# A model steered by prompt injection can answer with `!!python/object/apply:os.system [...]`.
import yaml
from openai import OpenAI
from ruamel.yaml import YAML

client = OpenAI()
SYSTEM = "Answer with a YAML document: a list of steps, each with `tool` and `args`."
TOOLS = {"search": lambda query: f"results for {query}", "summarize": lambda text: text[:200]}


def ask_for_plan(task):
    response = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": task}],
    )
    return response.choices[0].message.content


def plan_unsafe(task):
    reply = ask_for_plan(task)
    body = reply.removeprefix("```yaml").removesuffix("```")
    # ruleid: VNX-LLM-002, VNX-DESER-002
    return yaml.unsafe_load(body)


def plan_with_unsafe_loader(task):
    reply = ask_for_plan(task)
    # ruleid: VNX-LLM-002, VNX-DESER-002
    return yaml.load(reply, Loader=yaml.UnsafeLoader)


def plan_ruamel_unsafe(task):
    reply = ask_for_plan(task)
    loader = YAML(typ="unsafe")
    # The loader was built unsafe, and the model's text is what it loads.
    # ruleid: VNX-DESER-002, VNX-LLM-002
    return loader.load(reply)


def plan_safe(task):
    reply = ask_for_plan(task)
    # ok: VNX-LLM-002, VNX-DESER-002
    steps = yaml.safe_load(reply)
    results = []
    for step in steps:
        if step["tool"] not in TOOLS:
            raise ValueError(f"unknown tool {step['tool']!r}")
        results.append(TOOLS[step["tool"]](**step["args"]))
    return results


def plan_ruamel_safe(task):
    reply = ask_for_plan(task)
    # ok: VNX-DESER-002
    loader = YAML(typ="safe", pure=True)
    return loader.load(reply)
