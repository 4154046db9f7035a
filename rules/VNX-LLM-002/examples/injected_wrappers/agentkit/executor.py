from .llms import CannedLlm, get_model
from .step_handlers import DryRunStepHandler, IterationStepHandler


def execute_agent(session, agent_config: dict, messages: list) -> None:
    if agent_config.get("dry_run"):
        DryRunStepHandler(llm=CannedLlm()).execute_step(messages)
        return
    handler = IterationStepHandler(
        session,
        llm=get_model(agent_config["provider"], agent_config["api_key"]),
        tools={},
    )
    handler.execute_step(agent_config["output_type"], messages)
    handler.replace_tasks(agent_config["output_type"], messages)
    handler.run_plan(agent_config["goal"])
