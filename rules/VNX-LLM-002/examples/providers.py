# One flow per SDK: the model's text reaches an executor.
import asyncio
import json
import os
import subprocess

import anthropic
import boto3
import litellm
import ollama
from google import genai
from groq import Groq
from huggingface_hub import InferenceClient
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.llms.openai import OpenAI as LlamaOpenAI
from mistralai import Mistral
from openai import AsyncOpenAI, AzureOpenAI, OpenAI
from transformers import pipeline


def openai_responses_api():
    client = OpenAI()
    response = client.responses.create(model="gpt-4.1", input="write a shell one-liner")
    # ruleid: VNX-LLM-002
    os.system(response.output_text)


def openai_legacy_completions():
    client = AzureOpenAI(api_version="2024-02-01")
    completion = client.completions.create(model="gpt-35-turbo-instruct", prompt="2+2=")
    # ruleid: VNX-LLM-002
    eval(completion.choices[0].text)


async def openai_async_client():
    client = AsyncOpenAI()
    response = await client.chat.completions.create(model="gpt-4o", messages=[])
    # ruleid: VNX-LLM-002
    exec(response.choices[0].message.content)


def anthropic_messages():
    client = anthropic.Anthropic()
    message = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=[])
    script = message.content[0].text
    # ruleid: VNX-LLM-002
    subprocess.run(script, shell=True)


def anthropic_tool_use_input():
    client = anthropic.Anthropic()
    message = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=[], tools=[])
    for block in message.content:
        if block.type == "tool_use":
            # ruleid: VNX-LLM-002
            subprocess.run(block.input["command"], shell=True)


def gemini_generate_content():
    client = genai.Client()
    response = client.models.generate_content(model="gemini-2.5-flash", contents="python code")
    # ruleid: VNX-LLM-002
    exec(response.text)


def mistral_chat():
    client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
    res = client.chat.complete(model="mistral-large-latest", messages=[])
    # ruleid: VNX-LLM-002
    exec(res.choices[0].message.content)


def groq_chat():
    client = Groq()
    out = client.chat.completions.create(model="llama-3.3-70b-versatile", messages=[])
    # ruleid: VNX-LLM-002
    os.popen(out.choices[0].message.content)


def ollama_dict_access():
    response = ollama.chat(model="llama3.2", messages=[{"role": "user", "content": "a command"}])
    # ruleid: VNX-LLM-002
    subprocess.getoutput(response["message"]["content"])


def litellm_completion():
    response = litellm.completion(model="gpt-4o", messages=[])
    expression = response.choices[0].message.content
    # ruleid: VNX-LLM-002
    eval(expression)


def bedrock_invoke_model():
    bedrock = boto3.client("bedrock-runtime", region_name="us-east-1")
    response = bedrock.invoke_model(modelId="anthropic.claude-3-haiku", body=json.dumps({"messages": []}))
    body = json.loads(response["body"].read())
    # ruleid: VNX-LLM-002
    exec(body["content"][0]["text"])


def bedrock_converse():
    bedrock = boto3.client("bedrock-runtime")
    response = bedrock.converse(modelId="amazon.nova-pro-v1:0", messages=[])
    # ruleid: VNX-LLM-002
    os.system(response["output"]["message"]["content"][0]["text"])


def huggingface_pipeline():
    generator = pipeline("text-generation", model="Qwen/Qwen2.5-Coder-0.5B")
    generated = generator("def fib(n):")[0]["generated_text"]
    # ruleid: VNX-LLM-002
    exec(generated)


def huggingface_inference_client():
    client = InferenceClient()
    reply = client.chat_completion(messages=[{"role": "user", "content": "hi"}])
    # ruleid: VNX-LLM-002
    eval(reply.choices[0].message.content)


def langchain_chat_model():
    llm = ChatOpenAI(model="gpt-4o-mini")
    answer = llm.invoke("Write a bash command to list files")
    # ruleid: VNX-LLM-002
    subprocess.run(answer.content, shell=True)


def langchain_lcel_chain():
    prompt = ChatPromptTemplate.from_template("Write Python for: {task}")
    chain = prompt | ChatOpenAI() | StrOutputParser()
    code = chain.invoke({"task": "sum a list"})
    # ruleid: VNX-LLM-002
    exec(code)


def langchain_bound_tools():
    llm = ChatOpenAI().bind_tools([])
    msg = llm.invoke("do it")
    # ruleid: VNX-LLM-002
    exec(msg.tool_calls[0]["args"]["code"])


def llamaindex_complete():
    llm = LlamaOpenAI(model="gpt-4o")
    completion = llm.complete("Write a Python expression")
    # ruleid: VNX-LLM-002
    eval(completion.text)


async def agents_sdk_final_output():
    from agents import Agent, Runner

    agent = Agent(name="coder", instructions="Write Python")
    result = await Runner.run(agent, "sum of squares")
    # ruleid: VNX-LLM-002
    exec(result.final_output)


def not_a_model_call():
    # Embeddings are numbers, not text a program runs; the model list is metadata.
    client = OpenAI()
    models = client.models.list()
    # ok: VNX-LLM-002
    print(models)
    # ok: VNX-LLM-002
    subprocess.run(["echo", "done"])


asyncio.run(openai_async_client())


def local_inference_libraries(prompt: str) -> None:
    from gpt4all import GPT4All
    from llama_cpp import Llama
    from vllm import LLM

    outputs = LLM(model="Qwen/Qwen2.5-Coder-7B").generate([prompt])
    # ruleid: VNX-LLM-002
    exec(outputs[0].outputs[0].text)

    llama = Llama(model_path="model.gguf")
    completion = llama(prompt, max_tokens=256)
    # ruleid: VNX-LLM-002
    eval(completion["choices"][0]["text"])

    chat = llama.create_chat_completion(messages=[{"role": "user", "content": prompt}])
    # ruleid: VNX-LLM-002
    os.system(chat["choices"][0]["message"]["content"])

    # ruleid: VNX-LLM-002
    exec(GPT4All("orca-mini-3b").generate(prompt))


def hosted_inference(prompt: str) -> None:
    import replicate

    pieces = replicate.run("meta/meta-llama-3-70b-instruct", input={"prompt": prompt})
    script = "".join(pieces)
    # ruleid: VNX-LLM-002
    subprocess.run(["bash", "-c", script], check=False)
