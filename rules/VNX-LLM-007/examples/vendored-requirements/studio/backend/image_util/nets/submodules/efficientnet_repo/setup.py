from setuptools import find_packages, setup

setup(
    name="geffnet",
    version="1.0.2",
    packages=find_packages(exclude=["data"]),
    install_requires=["torch >= 1.4", "torchvision"],
)
