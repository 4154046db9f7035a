# Model output handed to a thread, a process, an executor or a pool, or put on a queue that another method
# reads: the function the call is given runs with it, and what it returns comes back.
import asyncio
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool, Process

from openai import OpenAI

client = OpenAI()


def generate(prompt: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    return reply.choices[0].message.content


def run_in_thread(code: str):
    # ruleid: VNX-LLM-002
    exec(code, {})


def execute_in_subprocess(source: str, results: dict):
    namespace = {}
    # ruleid: VNX-LLM-002
    exec(source, namespace)
    results["answer"] = namespace.get("answer")


def evaluate_on_a_worker(expression: str):
    # ruleid: VNX-LLM-002
    return eval(expression)


def check_solution(solution: str):
    # ruleid: VNX-LLM-002
    exec(solution, {})


def start_generated_task(task: str):
    code = generate(task)
    worker = threading.Thread(target=run_in_thread, args=(code,), daemon=True)
    worker.start()


def verify_in_a_process(task: str, manager_dict: dict):
    source = generate(task)
    p = Process(target=execute_in_subprocess, kwargs={"source": source, "results": manager_dict})
    p.start()
    p.join(timeout=10)


def evaluate_all(questions: list[str]):
    with ThreadPoolExecutor(max_workers=4) as executor:
        futures = [executor.submit(evaluate_on_a_worker, generate(q)) for q in questions]
        return [f.result() for f in futures]


def generate_in_parallel(questions: list[str]):
    with ThreadPoolExecutor(max_workers=8) as executor:
        future = executor.submit(generate, questions[0])
        answer = future.result()
    # ruleid: VNX-LLM-002
    return eval(answer)


def check_many(tasks: list[str]):
    solutions = [generate(t) for t in tasks]
    with Pool(processes=4) as pool:
        pool.map(check_solution, solutions)


def map_then_exec(prompts: list[str]):
    for snippet in map(generate, prompts):
        # ruleid: VNX-LLM-002
        exec(snippet)


class CodeWorker:
    """A producer method queues the model's code; the worker loop, another method, runs it."""

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue()

    def request(self, task: str):
        self.jobs.put(generate(task))

    def work(self):
        while True:
            job = self.jobs.get()
            # ruleid: VNX-LLM-002
            exec(job)
            self.jobs.task_done()


async def async_pipeline(task: str):
    inbox: asyncio.Queue = asyncio.Queue()
    await inbox.put(generate(task))
    command = await inbox.get()
    # ruleid: VNX-LLM-002
    await asyncio.create_subprocess_shell(command)


def report(text: str):
    # ok: VNX-LLM-002
    eval(text)


def fixed_work_in_a_thread(task: str):
    generate(task)
    threading.Thread(target=report, args=("1 + 1",)).start()


class StatusWorker:
    def __init__(self):
        self.status: queue.Queue = queue.Queue()

    def request(self, task: str):
        generate(task)
        self.status.put("started")

    def work(self):
        state = self.status.get()
        # ok: VNX-LLM-002
        exec(f"print({state!r})")
