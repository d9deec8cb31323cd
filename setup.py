# The Chinese search tokenizer is C (archive/cjk_tokenizer.c, an FTS5 tokenizer SQLite loads), which
# pyproject.toml cannot declare. setup.py is also what `scrapyd-deploy` builds its egg with
# (`python setup.py bdist_egg`). Everything else is declared in pyproject.toml.
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "archive._cjk_tokenizer",
            sources=["archive/cjk_tokenizer.c"],
            depends=["archive/t2s.h"],
            extra_compile_args=["-O2"],
        )
    ]
)
