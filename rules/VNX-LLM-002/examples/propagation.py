# Taint through assignments, string building, containers, comprehensions and str methods.
import re
import subprocess
import textwrap

from openai import OpenAI

client = OpenAI()


def ask(prompt):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])


def fstring_command():
    name = ask("pick a file").choices[0].message.content
    # ruleid: VNX-LLM-002
    subprocess.run(f"cat {name}", shell=True)


def concatenation_and_percent():
    text = ask("flags").choices[0].message.content
    cmd = "ls " + text
    # ruleid: VNX-LLM-002
    subprocess.call(cmd, shell=True)
    legacy = "grep %s /var/log/app.log" % text
    # ruleid: VNX-LLM-002
    subprocess.check_output(legacy, shell=True)


def format_and_join():
    part = ask("part").choices[0].message.content
    command = "echo {}".format(part)
    # ruleid: VNX-LLM-002
    subprocess.Popen(command, shell=True)
    joined = " && ".join(["cd /tmp", part])
    # ruleid: VNX-LLM-002
    subprocess.run(joined, shell=True)


def string_methods_and_slices():
    raw = ask("code").choices[0].message.content
    cleaned = raw.strip().replace("```python", "").replace("```", "")
    # ruleid: VNX-LLM-002
    exec(cleaned)
    first_line = raw.split("\n")[0]
    # ruleid: VNX-LLM-002
    eval(first_line[2:])


def code_fence_extraction():
    reply = ask("write code").choices[0].message.content
    match = re.search(r"```python\n(.*?)```", reply, re.DOTALL)
    code = match.group(1) if match else reply
    # ruleid: VNX-LLM-002
    exec(textwrap.dedent(code))


def tuple_unpacking_and_augmented():
    header, body = ask("two parts").choices[0].message.content.split("\n", 1)
    program = "import math\n"
    program += body
    # ruleid: VNX-LLM-002
    exec(program)
    # ruleid: VNX-LLM-002
    exec(header)


def containers_and_comprehensions():
    answer = ask("commands").choices[0].message.content
    commands = [line.strip() for line in answer.splitlines() if line]
    for command in commands:
        # ruleid: VNX-LLM-002
        subprocess.run(command, shell=True)
    payload = {"code": answer}
    # ruleid: VNX-LLM-002
    exec(payload["code"])


def compile_then_exec():
    source = ask("function").choices[0].message.content
    code_object = compile(source, "<llm>", "exec")
    # ruleid: VNX-LLM-002
    exec(code_object)


def walrus_and_conditional():
    if (text := ask("expr").choices[0].message.content) is not None:
        # ruleid: VNX-LLM-002
        eval(text)
    fallback = "1 + 1"
    chosen = text if text else fallback
    # ruleid: VNX-LLM-002
    eval(chosen)


def overwritten_before_use():
    text = ask("expr").choices[0].message.content
    print(text)
    text = "2 + 2"
    # ok: VNX-LLM-002
    eval(text)


def constant_commands_only():
    ask("hello")
    # ok: VNX-LLM-002
    subprocess.run(["ls", "-l"])
    # ok: VNX-LLM-002
    subprocess.run("uptime", shell=True)
    # ok: VNX-LLM-002
    eval("1 + 2")


def argument_to_fixed_program():
    # Model text as a plain argument (no shell) of a fixed, non-interpreter program is not code execution.
    term = ask("search term").choices[0].message.content
    # ok: VNX-LLM-002
    subprocess.run(["grep", "-r", "--", term, "docs/"])


def model_chooses_program():
    program = ask("which tool").choices[0].message.content
    # ruleid: VNX-LLM-002
    subprocess.run([program, "--version"])
    # ruleid: VNX-LLM-002
    subprocess.run(["bash", "-c", program])
    # ruleid: VNX-LLM-002
    subprocess.run(["python3", "-c", program])


def usage_metadata_is_not_text():
    response = ask("hi")
    tokens = int(response.usage.total_tokens)
    # ok: VNX-LLM-002
    subprocess.run(f"echo {tokens} >> usage.log", shell=True)


def through_an_unscanned_library():
    from fence_parser import extract_python  # a package that is not part of the scanned files

    reply = ask("write code").choices[0].message.content
    # ruleid: VNX-LLM-002
    exec(extract_python(reply))


COMMANDS = {"disk": "df -h", "memory": "free -m"}


def lookup_in_own_table():
    choice = ask("disk or memory?").choices[0].message.content.strip()
    # ok: VNX-LLM-002
    subprocess.run(COMMANDS.get(choice, "true"), shell=True)


PENDING_SNIPPETS = []


def queue_snippet(task):
    PENDING_SNIPPETS.append(ask(task).choices[0].message.content)


def drain_snippets():
    for snippet in PENDING_SNIPPETS:
        # ruleid: VNX-LLM-002
        exec(snippet)
