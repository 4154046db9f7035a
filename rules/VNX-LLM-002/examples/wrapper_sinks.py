# Library calls that execute their argument: the exec or shell is inside the library, which is not scanned,
# so the wrapper is the sink.
import timeit

import sympy
from langchain_community.tools import ShellTool
from langchain_experimental.tools import PythonAstREPLTool
from langchain_experimental.utilities import PythonREPL
from openai import OpenAI
from sympy.parsing.sympy_parser import parse_expr

client = OpenAI()


def complete(prompt: str) -> str:
    response = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
    return response.choices[0].message.content


class MathSolver:
    def __init__(self):
        self.repl = PythonREPL()

    def solve(self, question: str) -> str:
        program = complete(f"Write Python that prints the answer to: {question}")
        program = program.strip().removeprefix("```python").removesuffix("```")
        # ruleid: VNX-LLM-002
        return self.repl.run(program)


def pandas_agent_step(df, question: str):
    tool = PythonAstREPLTool(locals={"df": df})
    code = complete(f"Write one pandas expression over `df` answering: {question}")
    # ruleid: VNX-LLM-002
    return tool.run(code)


def shell_agent_step(task: str):
    shell = ShellTool()
    command = complete(f"Give one shell command that does: {task}")
    # ruleid: VNX-LLM-002
    return shell.run({"commands": [command]})


def symbolic_answer(question: str):
    expression = complete(f"Give a sympy expression for: {question}")
    # ruleid: VNX-LLM-002
    value = sympy.sympify(expression)
    # ruleid: VNX-LLM-002
    simplified = sympy.S(expression)
    # ruleid: VNX-LLM-002
    parsed = parse_expr(expression, evaluate=False)
    return value, simplified, parsed


def benchmark_generated_snippet(task: str):
    snippet = complete(f"Write a one-line Python statement that {task}")
    # ruleid: VNX-LLM-002
    return timeit.timeit(snippet, number=10)


def symbols_from_the_model_are_fine(question: str):
    name = complete(f"Name the variable in: {question}")
    # ok: VNX-LLM-002
    x = sympy.Symbol(name)
    # ok: VNX-LLM-002
    return sympy.simplify(x**2 + 2 * x + 1)


def fixed_program_in_the_repl():
    repl = PythonREPL()
    # ok: VNX-LLM-002
    return repl.run("print(sum(range(10)))")


def timing_a_fixed_statement(question: str):
    complete(question)
    # ok: VNX-LLM-002
    return timeit.timeit("sorted(range(1000))", number=100)
