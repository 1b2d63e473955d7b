"""Only what pyproject.toml cannot say: the root templates/ folder ships as accmgr/templates.

The templates live at the repository root, where people look for them and where
``accmgr templates export`` copies from in a checkout; an installed wheel has no repository
root, so the folder is mapped into the package (accmgr.documents.render finds either).
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["accmgr*"]), "accmgr.templates"],
    package_dir={"accmgr.templates": "templates"},
)
