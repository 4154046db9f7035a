def check_solution(solution: str, name: str) -> bool:
    namespace: dict = {}
    # ruleid: VNX-LLM-002
    exec(solution, namespace)
    return name in namespace


def warm_up() -> None:
    # ok: VNX-LLM-002
    exec("import math", {})
