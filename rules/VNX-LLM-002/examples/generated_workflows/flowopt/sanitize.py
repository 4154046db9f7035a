import ast


def syntax_check(code: str) -> bool:
    try:
        ast.parse(code)
        return True
    except SyntaxError:
        return False


def code_extract(text: str) -> str:
    """The longest run of lines that parses: drops the prose around a model's code block."""
    lines = text.split("\n")
    best = (0, 0)
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if syntax_check("\n".join(lines[i : j + 1])) and j - i > best[1] - best[0]:
                best = (i, j)
    return "\n".join(lines[best[0] : best[1] + 1])


def sanitize(code: str, entrypoint: str = None) -> str:
    code_bytes = bytes(code_extract(code), "utf8")
    return code_bytes.decode("utf8").strip()
