# A CI service that reads pipeline definitions: uploaded by users, fetched from repositories, or bundled
# with the service. No manifest is scanned with this file, so PyYAML is unpinned: calls whose safety
# depends on the PyYAML version (yaml.load without a Loader, full_load) are reported.
import sys

import requests
import yaml
import yaml as y
from flask import Flask, request
from ruamel.yaml import YAML
from yaml import Loader, SafeLoader, load

app = Flask(__name__)


@app.route("/pipelines", methods=["POST"])
def create_pipeline():
    # ruleid: VNX-DESER-002
    definition = yaml.unsafe_load(request.data)
    return {"steps": len(definition["steps"])}


@app.route("/pipelines/validate", methods=["POST"])
def validate_pipeline():
    # ok: VNX-DESER-002
    definition = yaml.safe_load(request.data)
    return {"valid": "steps" in definition}


def fetch_pipeline(repo_url):
    text = requests.get(f"{repo_url}/raw/main/.ci/pipeline.yml", timeout=10).text
    # ruleid: VNX-DESER-002
    return yaml.load(text, Loader=yaml.Loader)


def fetch_pipeline_fast(repo_url):
    text = requests.get(f"{repo_url}/raw/main/.ci/pipeline.yml", timeout=10).text
    # ok: VNX-DESER-002
    return yaml.load(text, Loader=yaml.CSafeLoader)


def fetch_pipeline_checked(repo_url):
    text = requests.get(f"{repo_url}/raw/main/.ci/pipeline.yml", timeout=10).text
    # ok: VNX-DESER-002
    return yaml.load(text, Loader=yaml.SafeLoader)


def parse_legacy(text):
    # No Loader: PyYAML < 5.1 builds arbitrary objects, 5.1-5.4 uses FullLoader, 6.0 raises TypeError.
    # ruleid: VNX-DESER-002
    return yaml.load(text)


def parse_full(text):
    # ruleid: VNX-DESER-002
    return yaml.full_load(text)


def parse_with_full_loader(text):
    # Same loader as full_load: exploitable before PyYAML 5.4, which nothing here rules out.
    # ruleid: VNX-DESER-002
    return yaml.load(text, Loader=yaml.FullLoader)


def parse_imported_names(text):
    # ruleid: VNX-DESER-002
    return load(text, Loader=Loader)


def parse_imported_safe(text):
    # ok: VNX-DESER-002
    return load(text, Loader=SafeLoader)


def parse_aliased_module(text):
    # ruleid: VNX-DESER-002
    return y.load(text, Loader=y.UnsafeLoader)


def parse_all_documents(text):
    # ok: VNX-DESER-002
    return list(yaml.safe_load_all(text))


def parse_all_documents_unsafe(text):
    # ruleid: VNX-DESER-002
    return list(yaml.load_all(text, Loader=yaml.UnsafeLoader))


def parse_round_trip(text):
    # ruamel.yaml's default (round-trip) and safe loaders build plain data.
    # ok: VNX-DESER-002
    return YAML().load(text), YAML(typ="safe").load(text)


def write_pipeline(definition, path):
    with open(path, "w") as handle:
        # ok: VNX-DESER-002
        yaml.safe_dump(definition, handle)


def main():
    with open(sys.argv[1]) as handle:
        # ruleid: VNX-DESER-002
        definition = yaml.load(handle, Loader=yaml.UnsafeLoader)
    print(yaml.dump(definition))


if __name__ == "__main__":
    main()
