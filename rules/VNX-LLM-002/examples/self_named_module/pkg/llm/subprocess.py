"""A module of the package named like a standard one. Inside a package (it has an __init__.py), a bare
`import subprocess` in a neighbour is still the standard library: the package's folder is not on sys.path."""


def run(command: str, shell: bool = False) -> str:
    return command
