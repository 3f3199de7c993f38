"""The verifiable selection of 双随机一公开 (R-INS-5) and the monitoring sample (R-MON-1): ``bureau.sampling``
is pure (standard library only), so these tests need no database."""

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bureau import sampling

VECTOR = json.loads((Path(__file__).parent / "sampling_vector.json").read_text(encoding="utf-8"))
SEED = "ab" * 32

codes = st.lists(st.from_regex(r"[0-9A-Z]{6}", fullmatch=True), min_size=1, max_size=25, unique=True)
certs = st.lists(st.from_regex(r"[0-9]{5}", fullmatch=True), min_size=2, max_size=8, unique=True)
seeds = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@st.composite
def pools(draw, *, avoidance=True):
    units = draw(codes)
    officers = draw(certs)
    team = draw(st.integers(min_value=0, max_value=2))
    avoid = frozenset()
    if avoidance:
        # Each unit keeps at least ``team`` officers: one officer per unit may be kept away.
        pairs = draw(st.lists(st.tuples(st.sampled_from(officers), st.sampled_from(units)), max_size=10))
        seen, kept = set(), set()
        for cert, code in pairs:
            if code not in seen and len(officers) - 1 >= team:
                seen.add(code)
                kept.add((cert, code))
        avoid = frozenset(kept)
    sample = draw(st.integers(min_value=1, max_value=len(units)))
    return sampling.Pool(sample=sample, team=team, units=tuple(units), officers=tuple(officers), avoid=avoid)


@settings(deadline=None, max_examples=60)
@given(pools(), seeds)
def test_r_ins_5_draw_is_deterministic_and_sound(pool, seed):
    picks = sampling.draw(pool, seed)
    assert picks == sampling.draw(pool, seed)
    assert len(picks) == pool.sample
    assert len({pick.unit for pick in picks}) == len(picks)  # no unit twice
    assert {pick.unit for pick in picks} <= set(pool.units)
    for pick in picks:
        assert len(pick.officers) == len(set(pick.officers)) == pool.team
        assert set(pick.officers) <= set(pool.officers)
        assert not any((cert, pick.unit) in pool.avoid for cert in pick.officers)


@settings(deadline=None, max_examples=60)
@given(pools(avoidance=False), seeds)
def test_r_ins_5_load_is_balanced_without_avoidance(pool, seed):
    picks = sampling.draw(pool, seed)
    if not pool.team:
        return
    load = Counter({cert: 0 for cert in pool.officers})
    load.update(cert for pick in picks for cert in pick.officers)
    assert max(load.values()) - min(load.values()) <= 1


@settings(deadline=None, max_examples=60)
@given(pools())
def test_r_ins_5_pool_file_round_trips(pool):
    text = sampling.pool_text(pool)
    parsed = sampling.parse_pool(text)
    assert sampling.pool_text(parsed) == text
    assert (parsed.sample, parsed.team, parsed.avoid) == (pool.sample, pool.team, pool.avoid)
    assert sorted(parsed.units) == sorted(pool.units)
    assert sorted(parsed.officers) == sorted(pool.officers)
    assert sampling.pool_hash(pool) == sampling.sha256(text)


def test_r_ins_5_the_seed_changes_the_selection():
    pool = sampling.Pool(sample=5, team=0, units=tuple(f"U{i:03d}" for i in range(100)))
    assert sampling.draw(pool, "0" * 64) != sampling.draw(pool, "1" * 64)


def test_r_ins_3_sample_size_rounds_up():
    assert sampling.sample_size(37, 20) == 8
    assert sampling.sample_size(40, 20) == 8
    assert sampling.sample_size(41, 20) == 9
    assert sampling.sample_size(0, 20) == 0
    assert sampling.sample_size(10, 100) == 10


@pytest.mark.parametrize(
    ("pool", "words"),
    [
        (sampling.Pool(sample=1, team=0, units=()), "抽取池为空"),
        (sampling.Pool(sample=0, team=0, units=("A",)), "抽取数量至少为 1"),
        (sampling.Pool(sample=3, team=0, units=("A", "B")), "抽取数量 3 超过抽取池的 2 家单位"),
        (
            sampling.Pool(sample=1, team=2, units=("A",), officers=("1",)),
            "执法人员库只有 1 人，不足每组 2 人",
        ),
        (
            sampling.Pool(
                sample=1, team=2, units=("A", "B"), officers=("1", "2"), avoid=frozenset({("1", "B")})
            ),
            "回避后可派执法人员不足 2 人的单位有 1 家（B）",
        ),
    ],
)
def test_r_ins_5_pool_errors(pool, words):
    errors = sampling.pool_errors(pool)
    assert any(words in error for error in errors), errors
    with pytest.raises(sampling.DrawError):
        sampling.draw(pool, SEED)


def test_r_ins_5_pool_errors_none_for_a_good_pool():
    pool = sampling.Pool(
        sample=1, team=2, units=("A", "B"), officers=("1", "2", "3"), avoid=frozenset({("1", "B")})
    )
    assert sampling.pool_errors(pool) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sample 1\nteam 0\nunit A\n", "pool v1"),
        ("pool v1\nteam 0\nunit A\n", "缺少 sample 或 team"),
        ("pool v1\nsample 1\nteam 0\nfacility A\n", "无法识别的一行：facility A"),
        ("pool v1\nsample x\nteam 0\n", "无法识别"),
    ],
)
def test_r_ins_5_bad_pool_files(text, words):
    with pytest.raises(sampling.DrawError, match=words):
        sampling.parse_pool(text)


def test_r_ins_5_comments_and_blank_lines_are_ignored():
    text = "# 抽取池\npool v1\n\nsample 1\nteam 0\nunit A\n"
    assert sampling.parse_pool(text) == sampling.Pool(sample=1, team=0, units=("A",))


def test_r_ins_5_commitment_and_seed():
    seed = sampling.new_seed()
    assert len(seed) == 64 and int(seed, 16) >= 0
    assert sampling.new_seed() != seed
    sampling.verify_seed(seed, sampling.commitment(seed))
    sampling.verify_seed(f" {seed}\n", sampling.commitment(seed))  # as pasted
    with pytest.raises(sampling.DrawError, match="承诺值"):
        sampling.verify_seed("0" * 64, sampling.commitment(seed))


def test_r_ins_5_fixed_vector():
    """The vector the browser script (``static/js/draw-verify.js``) is checked against too."""
    pool = sampling.parse_pool(VECTOR["pool_text"])
    assert sampling.sha256(VECTOR["pool_text"]) == VECTOR["pool_hash"] == sampling.pool_hash(pool)
    assert sampling.commitment(VECTOR["seed"]) == VECTOR["commitment"]
    picks = sampling.draw(pool, VECTOR["seed"])
    assert [{"unit": p.unit, "officers": list(p.officers)} for p in picks] == VECTOR["selection"]


def test_r_ins_5_command_prints_the_selection(tmp_path, capsys):
    path = tmp_path / "pool.txt"
    path.write_text(VECTOR["pool_text"], encoding="utf-8")
    assert sampling.main(["sampling.py", str(path), VECTOR["seed"]]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(VECTOR["pool_hash"])
    assert out[1].endswith(VECTOR["commitment"])
    assert out[2:] == [
        f"{n} {row['unit']} {' '.join(row['officers'])}" for n, row in enumerate(VECTOR["selection"], start=1)
    ]


def test_r_ins_5_command_usage(capsys):
    assert sampling.main(["sampling.py"]) == 2
    assert "用法" in capsys.readouterr().err


def test_r_ins_5_command_refuses_a_malformed_seed_and_a_missing_file_in_chinese(tmp_path, capsys):
    path = tmp_path / "pool.txt"
    path.write_text(VECTOR["pool_text"], encoding="utf-8")
    assert sampling.main(["sampling.py", str(path), "abc"]) == 2
    assert "64 位十六进制" in capsys.readouterr().err
    assert sampling.main(["sampling.py", str(tmp_path / "missing.txt"), VECTOR["seed"]]) == 2
    assert "无法读取抽取池文件" in capsys.readouterr().err
    (tmp_path / "bad.txt").write_text("not a pool\n", encoding="utf-8")
    assert sampling.main(["sampling.py", str(tmp_path / "bad.txt"), VECTOR["seed"]]) == 2
    assert "无法识别" in capsys.readouterr().err
