"""Picks the benchmark; nothing here talks to a model or runs code."""
from .evaluator import Evaluator


def evaluate_candidate(solution: str) -> float:
    return Evaluator("humaneval").score(solution)
