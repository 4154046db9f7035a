import tempfile


def save_temporary(contents: str) -> str:
    with tempfile.NamedTemporaryFile(mode="w", suffix=".py", delete=False) as f:
        f.write(contents)
        return f.name


def shell_quote_all(text: str) -> str:
    # Not a quote at all: the text comes back as it went in.
    return text.strip()
