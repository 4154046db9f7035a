#!/usr/bin/env python3
"""The precision record of model-output-to-execution findings (VNX-LLM-002, VNX-LLM-005) on real LLM
applications: llm-verdicts.json beside this file holds each finding on the HEAD commits listed there, with a
verdict (true/false) and one line why, judged by reading the code.

  llm-precision.py --mirrors DIR --scanner 'CMD {src} {out}' [--verdicts RECORD.json]

Extracts each repository's Python files at the recorded commit from a bare mirror (DIR/OWNER+NAME/repo),
scans it ({src} the folder, {out} the JSON report), and prints precision over judged findings, findings that
are gone since the record, and new findings that need a verdict.
"""
import argparse, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

scan_at = import_module("deserialization-precision").scan_at
HERE = os.path.dirname(os.path.abspath(__file__))
RULES = {"VNX-LLM-002", "VNX-LLM-005"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mirrors", required=True)
    parser.add_argument("--scanner", required=True)
    parser.add_argument("--verdicts", default=os.path.join(HERE, "llm-verdicts.json"),
                        help="the record to compare with (default: llm-verdicts.json beside this file)")
    args = parser.parse_args()
    record = json.load(open(args.verdicts))
    verdicts = {(f["repo"], f["path"], f["line"], f["rule"]): f for f in record["findings"]}
    found, new = set(), []
    for repo, commit in record["repositories"].items():
        findings = scan_at(args.mirrors, repo, commit, args.scanner)
        if findings is None:
            print(f"skipped {repo}: no mirror")
            continue
        for f in findings:
            if f["ruleId"] not in RULES:
                continue
            key = (repo, f["location"]["path"], f["location"]["startLine"], f["ruleId"])
            found.add(key)
            if key not in verdicts:
                new.append(f"{repo} {key[1]}:{key[2]} {key[3]} {f['severity']}/{f['confidence']}: {f['message'][:140]}")
    judged = [verdicts[k] for k in found if k in verdicts]
    true = sum(1 for v in judged if v["verdict"] == "true")
    print(f"{len(found)} findings; {len(judged)} judged, {true} true"
          + (f" ({100 * true / len(judged):.0f} % precision)" if judged else ""))
    for key in sorted(set(verdicts) - found):
        print(f"gone since the record: {key[0]} {key[1]}:{key[2]} {key[3]} ({verdicts[key]['verdict']})")
    for line in new:
        print(f"new, to judge: {line}")


if __name__ == "__main__":
    main()
