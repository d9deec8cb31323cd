"""The ``ogi_cjk`` FTS5 tokenizer (archive/cjk_tokenizer.c): what it makes of text, and its t2s table."""

from __future__ import annotations

import random
import sqlite3

import pytest

from archive import tokenizer


@pytest.fixture
def con() -> sqlite3.Connection:
    return sqlite3.connect(":memory:")  # conftest installed the tokenizer before


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("行政复议", "行政 政复 复议"),
        ("年", "年"),  # a lone character is a token of its own
        ("复议，年。诉讼", "复议 年 诉讼"),
        ("復議 國務院", "复议 国务 务院"),  # traditional folded to simplified
        ("2023年度报告", "2023 年度 度报 报告"),
        ("ＡＢＣ１２ Hello-World", "abc12 hello world"),  # full-width to ASCII, lower case
        ("（一）主动公开", "一 主动 动公 公开"),
        ("", ""),
        ("𠀀𠀁", "𠀀𠀁"),  # Han outside the BMP
    ],
)
def test_tokens(con, text, tokens):
    assert con.execute("SELECT cjk_tokens(?)", (text,)).fetchone()[0] == tokens


def test_malformed_and_random_text_is_tokenized_without_harm(con):
    assert con.execute("SELECT cjk_tokens(CAST(X'E8A1C3FF41E8A1' AS TEXT))").fetchone()[0] == "a"
    rng = random.Random(7)
    alphabet = "行政复议復議年 ,。\n\t0aZ９Ａ\u00e9\ufffd\U00020000"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        con.execute("SELECT cjk_tokens(?)", (text,)).fetchone()


def test_a_word_matches_as_the_phrase_of_its_bigrams_within_one_run(con):
    con.execute(f"CREATE VIRTUAL TABLE f USING fts5(t, tokenize='{tokenizer.NAME}')")
    texts = ["申请行政复议的案件", "行政\n复议", "國務院辦公廳", "答复 2023 年"]
    con.executemany("INSERT INTO f (rowid, t) VALUES (?, ?)", enumerate(texts, 1))

    def found(query: str) -> list[int]:
        return [r for (r,) in con.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid", (query,))]

    assert found("行政复议") == [1]  # not across the line break of text 2
    assert found("复议") == [1, 2]
    assert found("国务院办公厅") == [3]  # simplified query, traditional text
    assert found("复*") == [1, 2]  # one character: the bigrams that start with it
    assert found("2023") == [4]
    assert found("鬣狗") == []


def test_the_t2s_table_is_generated_from_opencc():
    assert tokenizer.T2S_HEADER.read_text(encoding="utf-8") == tokenizer.t2s_header()
