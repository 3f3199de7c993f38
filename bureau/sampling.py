"""Verifiable random selection: 双随机一公开 (R-INS-5, 002 十一, 000 四1) and the 30% sample of enforcement
monitoring (R-MON-1). Standard library only, so anyone can run this file on its own:

    python3 sampling.py pool.txt SEED

prints the selection of the draw whose pool file is ``pool.txt``; ``static/js/draw-verify.js`` does the
same in the browser. The algorithm, in words (the public page says the same):

1. The pool is a text file in UTF-8, one fact per line, each group sorted: ``pool v1``; ``sample N`` (how
   many units to draw); ``team K`` (officers per unit, 0 for a draw of units only); ``unit CODE`` for every
   unit in the pool (污染源编码); ``officer CERT`` for every officer (执法证号); ``avoid CERT CODE`` for
   every officer who may not check that unit (a declared conflict, or the officer's own town). Its
   fingerprint is the SHA-256 of the file, published before the draw.
2. The seed is 64 hexadecimal characters drawn by the system's cryptographic generator. Before the
   draw only its commitment, SHA-256 of the seed's text, is published; afterwards the seed itself, so
   anyone can check that it is the one committed to.
3. Every unit gets a ticket, SHA-256 of ``SEED|U|CODE``; units are ordered by ticket (then code) and the
   first N are drawn, in that order.
4. For each drawn unit in turn, every officer who need not avoid it gets a ticket, SHA-256 of
   ``SEED|O|CODE|CERT``; officers are ordered by how many units they already have in this draw, then by
   ticket, then by certificate number, and the first K are assigned to it.

The same seed and pool always give the same selection. Errors are ``DrawError`` with a Chinese message.
"""

import hashlib
import secrets
import sys
from dataclasses import dataclass

VERSION = "pool v1"


class DrawError(ValueError):
    """A draw that cannot be made as asked; the message says why, in Chinese."""


@dataclass(frozen=True)
class Pool:
    sample: int
    team: int
    units: tuple[str, ...]
    officers: tuple[str, ...] = ()
    avoid: frozenset[tuple[str, str]] = frozenset()  # (officer certificate, unit code)


@dataclass(frozen=True)
class Pick:
    unit: str
    officers: tuple[str, ...]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    return sha256(seed)


def sample_size(count: int, percent: int) -> int:
    """At least ``percent``% of ``count``, rounded up: 20% of 37 registered units is 8 (R-INS-3)."""
    return (count * percent + 99) // 100


def pool_text(pool: Pool) -> str:
    """The pool file: exactly the text whose SHA-256 is the published fingerprint."""
    lines = [VERSION, f"sample {pool.sample}", f"team {pool.team}"]
    lines += [f"unit {code}" for code in sorted(set(pool.units))]
    lines += [f"officer {cert}" for cert in sorted(set(pool.officers))]
    lines += [f"avoid {cert} {code}" for cert, code in sorted(pool.avoid)]
    return "\n".join(lines) + "\n"


def pool_hash(pool: Pool) -> str:
    return sha256(pool_text(pool))


def parse_pool(text: str) -> Pool:
    """The pool of a pool file; blank lines and lines starting with ``#`` are ignored."""
    sample = team = None
    units, officers, avoid = [], [], set()
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines or lines[0] != VERSION:
        raise DrawError(f"抽取池文件应以“{VERSION}”开头。")
    for line in lines[1:]:
        word, _, rest = line.partition(" ")
        parts = rest.split()
        if word in ("sample", "team") and len(parts) == 1 and parts[0].isdigit():
            if word == "sample":
                sample = int(parts[0])
            else:
                team = int(parts[0])
        elif word == "unit" and len(parts) == 1:
            units.append(parts[0])
        elif word == "officer" and len(parts) == 1:
            officers.append(parts[0])
        elif word == "avoid" and len(parts) == 2:
            avoid.add((parts[0], parts[1]))
        else:
            raise DrawError(f"抽取池文件有无法识别的一行：{line}")
    if sample is None or team is None:
        raise DrawError("抽取池文件缺少 sample 或 team 行。")
    return Pool(
        sample=sample, team=team, units=tuple(units), officers=tuple(officers), avoid=frozenset(avoid)
    )


def pool_errors(pool: Pool) -> list[str]:
    """Why the draw cannot be made, in Chinese: nothing to draw from, a sample larger than the pool,
    or a unit for which fewer officers than a team remain after avoidance."""
    units = sorted(set(pool.units))
    if not units:
        return ["抽取池为空：没有符合条件的单位，请放宽筛选条件。"]
    errors = []
    if pool.sample < 1:
        errors.append("抽取数量至少为 1。")
    elif pool.sample > len(units):
        errors.append(f"抽取数量 {pool.sample} 超过抽取池的 {len(units)} 家单位。")
    if pool.team:
        officers = set(pool.officers)
        if len(officers) < pool.team:
            errors.append(f"执法人员库只有 {len(officers)} 人，不足每组 {pool.team} 人。")
        else:
            short = [
                code
                for code in units
                if len(officers - {cert for cert, unit in pool.avoid if unit == code}) < pool.team
            ]
            if short:
                listed = "、".join(short[:5]) + ("等" if len(short) > 5 else "")
                errors.append(
                    f"回避后可派执法人员不足 {pool.team} 人的单位有 {len(short)} 家（{listed}），"
                    "请扩充执法人员库或调整回避设置。"
                )
    return errors


def verify_seed(seed: str, committed: str) -> None:
    """Raise DrawError unless ``seed`` is the one ``committed`` was made from."""
    if commitment(seed.strip()) != committed:
        raise DrawError("随机种子与事先公示的承诺值（SHA-256）不符，不能据此抽取。")


def draw(pool: Pool, seed: str) -> list[Pick]:
    """The selection of ``pool`` under ``seed`` (steps 3 and 4 of the module's description)."""
    errors = pool_errors(pool)
    if errors:
        raise DrawError(errors[0])
    units = sorted(set(pool.units), key=lambda code: (sha256(f"{seed}|U|{code}"), code))[: pool.sample]
    load = dict.fromkeys(sorted(set(pool.officers)), 0)
    picks = []
    for code in units:
        eligible = [cert for cert in load if (cert, code) not in pool.avoid]
        eligible.sort(key=lambda cert: (load[cert], sha256(f"{seed}|O|{code}|{cert}"), cert))
        team = tuple(eligible[: pool.team])
        for cert in team:
            load[cert] += 1
        picks.append(Pick(code, team))
    return picks


def seed_error(seed: str) -> str:
    """Why ``seed`` is not a seed this module makes (64 hexadecimal characters), or ""."""
    if len(seed) != 64 or any(c not in "0123456789abcdef" for c in seed):
        return "随机种子应为 64 位十六进制字符（0–9、a–f），请从公示页面复制。"
    return ""


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("用法：python3 sampling.py 抽取池文件 随机种子", file=sys.stderr)
        return 2
    if seed_error(argv[2]):
        print(seed_error(argv[2]), file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as handle:
            text = handle.read()
        pool = parse_pool(text)
    except OSError as error:
        print(f"无法读取抽取池文件 {argv[1]}：{error.strerror}", file=sys.stderr)
        return 2
    except (DrawError, UnicodeDecodeError) as error:
        print(f"抽取池文件 {argv[1]} 无法识别：{error}", file=sys.stderr)
        return 2
    print(f"抽取池指纹（SHA-256）：{sha256(text)}")
    print(f"随机种子承诺值（SHA-256）：{commitment(argv[2])}")
    for number, pick in enumerate(draw(pool, argv[2]), start=1):
        print(number, pick.unit, *pick.officers)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
