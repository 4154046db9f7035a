# A data assistant built on LangChain and LlamaIndex. Several of its agents are handed an interpreter or a
# shell: whatever the model writes (steered by the user, a CSV cell or a retrieved document) runs on the host.
import pandas as pd
from langchain.agents import AgentExecutor, create_tool_calling_agent
from langchain.chains import LLMMathChain
from langchain_community.tools import DuckDuckGoSearchRun
from langchain_community.tools import ShellTool
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_experimental.agents import create_pandas_dataframe_agent
from langchain_experimental.agents.agent_toolkits import create_csv_agent, create_python_agent
from langchain_experimental.llm_bash.bash import BashProcess
from langchain_experimental.pal_chain import PALChain
from langchain_experimental.tools import PythonAstREPLTool, PythonREPLTool
from langchain_experimental.utilities import PythonREPL
from langchain_openai import ChatOpenAI
from llama_index.experimental.query_engine import PandasQueryEngine

llm = ChatOpenAI(model="gpt-4o", temperature=0)
sales = pd.read_csv("data/sales.csv")


def python_agent():
    # ruleid: VNX-LLM-005
    return create_python_agent(llm=llm, tool=PythonREPLTool(), verbose=True)


def repl_tools():
    # ruleid: VNX-LLM-005
    repl = PythonREPLTool()
    # ruleid: VNX-LLM-005
    ast_repl = PythonAstREPLTool(locals={"df": sales})
    return [repl, ast_repl]


def raw_repl(code_from_agent):
    # ruleid: VNX-LLM-005
    return PythonREPL().run(code_from_agent)


def ops_tools():
    # ruleid: VNX-LLM-005
    bash = BashProcess(persistent=True)
    # ruleid: VNX-LLM-005
    shell = ShellTool()
    return [bash, shell]


def math_solver(question):
    # ruleid: VNX-LLM-005
    chain = PALChain.from_math_prompt(llm, verbose=True)
    return chain.run(question)


def dataframe_agent_dangerous():
    # ruleid: VNX-LLM-005
    agent = create_pandas_dataframe_agent(
        llm,
        sales,
        agent_type="tool-calling",
        allow_dangerous_code=True,
    )
    return agent


def dataframe_agent_configurable(frame, allow_dangerous_code=True):
    # The opt-in forwarded from a parameter: the agent raises unless it is truthy, so any run past here has it.
    # ruleid: VNX-LLM-005
    return create_pandas_dataframe_agent(llm, frame, allow_dangerous_code=allow_dangerous_code)


def dataframe_agent_default():
    # Without the opt-in, langchain-experimental refuses to build the agent.
    # ok: VNX-LLM-005
    return create_pandas_dataframe_agent(llm, sales, agent_type="tool-calling")


def dataframe_agent_refused():
    # ok: VNX-LLM-005
    return create_pandas_dataframe_agent(llm, sales, allow_dangerous_code=False)


def calculator(question):
    # ruleid: VNX-LLM-005
    chain = LLMMathChain.from_llm(llm)
    return chain.invoke({"question": question})


def csv_agent(path):
    # ruleid: VNX-LLM-005
    return create_csv_agent(llm, path, allow_dangerous_code=True)


def llama_pandas_engine(question):
    # ruleid: VNX-LLM-005
    engine = PandasQueryEngine(df=sales, verbose=True)
    return engine.query(question)


@tool
def total_sales(region: str) -> float:
    """Total sales for one region."""
    return float(sales.loc[sales["region"] == region, "amount"].sum())


@tool
def top_products(limit: int = 5) -> list[str]:
    """Best-selling products."""
    return sales.groupby("product")["amount"].sum().nlargest(int(limit)).index.tolist()


def tool_calling_agent():
    # Narrow, typed tools instead of an interpreter: nothing here runs model-written code.
    prompt = ChatPromptTemplate.from_messages(
        [("system", "You answer sales questions."), ("human", "{input}"), ("placeholder", "{agent_scratchpad}")]
    )
    # ok: VNX-LLM-005
    search = DuckDuckGoSearchRun()
    # ok: VNX-LLM-005
    agent = create_tool_calling_agent(llm, [total_sales, top_products, search], prompt)
    # ok: VNX-LLM-005
    return AgentExecutor(agent=agent, tools=[total_sales, top_products, search])
