# Loading trained models: scikit-learn estimators through joblib, pickled classifiers, a checkpoint path
# from the configuration. The path is chosen by whoever deploys the service, not by a request: the risk is
# a tampered or downloaded model file, graded low and worded as such (safetensors, skops, a scanner).
# The same loader on a request's upload stays critical.
import pickle

import joblib
from fastapi import FastAPI, UploadFile

app = FastAPI()


class IntentClassifier:
    def __init__(self, model_path: str):
        # ruleid: VNX-DESER-001 (low)
        self.estimator = joblib.load(model_path)

    def predict(self, texts):
        return self.estimator.predict(texts)


def load_classifier(classifier_file: str):
    with open(classifier_file, "rb") as f:
        # ruleid: VNX-DESER-001 (low)
        return pickle.load(f)


def load_user_profile(profile_file: str):
    # Not a model file and nothing in this module writes pickles: data of a caller-chosen path, medium.
    with open(profile_file, "rb") as f:
        # ruleid: VNX-DESER-001 (medium)
        return pickle.load(f)


@app.post("/models")
async def upload_model(file: UploadFile):
    # ruleid: VNX-DESER-001 (critical)
    model = joblib.load(file.file)
    return {"type": type(model).__name__}
