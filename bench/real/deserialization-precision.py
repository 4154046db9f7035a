#!/usr/bin/env python3
"""Re-runs the deserialization precision record (deserialization-verdicts.json beside this file).

For each repository in the record, extracts its Python files and manifests at the recorded commit from a
bare mirror (MIRRORS/OWNER+NAME/repo), scans it, and compares the deserialization findings at or above
medium with the recorded verdicts: precision now, findings that changed grade, and new findings to judge.

  deserialization-precision.py --mirrors DIR --scanner 'CMD {src} {out}'

{src} is the folder to scan, {out} the JSON report to write (rce-guard scan {src} --format json --output {out}).
"""
import argparse, json, os, shlex, subprocess, sys, tempfile, tarfile, io

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = {"VNX-DESER-001", "VNX-DESER-002", "VNX-DESER-003", "VNX-LLM-007"}
RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
MANIFESTS = ("pyproject.toml", "setup.cfg", "Pipfile", "poetry.lock", "uv.lock")


def extract(mirror, commit, dest):
    names = subprocess.run(["git", "--git-dir", mirror, "ls-tree", "-r", "-z", "--name-only", commit],
                           capture_output=True, text=True, check=True).stdout.split("\0")
    keep = [n for n in names if n.endswith(".py") or os.path.basename(n) in MANIFESTS or
            (os.path.basename(n).startswith("requirements") and n.endswith(".txt"))]
    data = subprocess.run(["git", "--git-dir", mirror, "archive", "--format=tar", commit, "--"] + keep,
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(dest, filter="data")


def scan_at(mirrors, repo, commit, scanner):
    """The findings of `scanner` on `repo` at `commit` (extracted from its bare mirror), or None without a mirror."""
    mirror = os.path.join(mirrors, repo.replace("/", "+"), "repo")
    if not os.path.isdir(mirror):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "src"), os.path.join(tmp, "out.json")
        os.makedirs(src)
        extract(mirror, commit, src)
        command = scanner.replace("{src}", shlex.quote(src)).replace("{out}", shlex.quote(out))
        subprocess.run(command, shell=True, capture_output=True)
        if not os.path.exists(out):
            raise SystemExit(f"the scanner wrote no report for {repo}@{commit[:10]}: {command}")
        return json.load(open(out))["findings"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mirrors", required=True)
    parser.add_argument("--scanner", required=True)
    args = parser.parse_args()
    record = json.load(open(os.path.join(HERE, "deserialization-verdicts.json")))
    verdicts = {(f["repo"], f["path"], f["line"], f["rule"]): f for f in record["findings"]}
    repos = sorted({(f["repo"], f["commit"]) for f in record["findings"]} |
                   {tuple(r.split("@")) for r in record.get("scanned_without_findings", [])})
    reported, unjudged, changed = [], [], []
    for repo, commit in repos:
        findings = scan_at(args.mirrors, repo, commit, args.scanner)
        if findings is None:
            print(f"skipped {repo}: no mirror")
            continue
        for f in findings:
            if f["ruleId"] not in FAMILY:
                continue
            key = (repo, f["location"]["path"], f["location"]["startLine"], f["ruleId"])
            known = verdicts.get(key)
            if known and known["severity_after"] != f["severity"]:
                changed.append(f"{repo} {key[1]}:{key[2]} {known['severity_after']} -> {f['severity']} ({known['verdict']})")
            if RANK[f["severity"]] > RANK["medium"]:
                continue
            if known:
                reported.append(known["verdict"])
            else:
                unjudged.append(f"{repo} {f['ruleId']} {key[1]}:{key[2]} {f['severity']}: {f['message'][:160]}")
        print(f"scanned {repo}@{commit[:10]}")
    judged = len(reported)
    true = reported.count("true")
    print(f"\nat or above medium: {judged + len(unjudged)} ({true} true, {reported.count('weak')} weak, "
          f"{reported.count('false')} false, {len(unjudged)} not judged yet)")
    if judged:
        print(f"precision (strict, judged findings): {true / judged:.1%}")
    for line in changed:
        print(f"grade changed: {line}")
    for line in unjudged:
        print(f"to judge: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
