# The same loader in application code keeps its grade: a caller-chosen path, medium.
import pickle


def load_history(file):
    with open(file, "rb") as f:
        # ruleid: VNX-DESER-001 (medium)
        return pickle.load(f)
