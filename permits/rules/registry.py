"""The registry's own facts (R-FAC-1, R-FAC-2, R-FAC-3, R-ORG-2): credit codes, sites and source
codes, industry codes and key industries, management levels agreeing, who keeps which part. Pure."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bureau import sections

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, S, V, Z); the 18th is a
# check character over the first 17 with these weights, modulo 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """What is wrong with a 统一社会信用代码 under GB 32100-2015 (R-FAC-1), or None if it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，现为 {len(code)} 位。"
    for position, character in enumerate(code, 1):
        if character not in CREDIT_CODE_ALPHABET:
            hint = "（不使用字母 I、O、S、V、Z，字母须大写）" if character.isalpha() else ""
            return f"统一社会信用代码第 {position} 位“{character}”不是允许的字符{hint}。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位应为登记管理机关行政区划码（数字）。"
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：按前 17 位计算，第 18 位应为“{expected}”，而不是“{code[17]}”。"
    return None


def normalise_credit_code(raw: str) -> str:
    return "".join(raw.split()).upper()


# R-ORG-2 (003 第八条): which section maintains which part of a facility. Another section may read it.
FIELD_OWNERS: dict[str, str] = {
    "name": "approval",
    "address": "approval",
    "town": "approval",
    "industry_code": "approval",
    "industry_name": "approval",
    "management_level": "approval",
    "contact_person": "approval",
    "contact_phone": "approval",
    "eia_document_no": "approval",
    "status": "approval",
    "is_key_regulated": "pollution",
    "risk_level": "pollution",
    "has_auto_monitoring": "pollution",
    "in_environmental_statistics": "ecology",
    "credit_rating": "legal",
    "credit_rated_on": "legal",
}
# Records other than facility fields, by the section that keeps them.
RECORD_OWNERS: dict[str, str] = {
    "permit": "approval",
    "registration": "approval",
    "quality_check": "approval",
    "rectification": "approval",
    "penalty": "enforcement",
}
# The sections that keep a part of the registry (R-ORG-2), by their full names (bureau.sections).
SECTION_NAMES = {
    code: sections.name(code) for code in ("approval", "ecology", "pollution", "legal", "enforcement")
}


def may_keep(section_code: str | None, record: str, *, is_superuser: bool = False) -> bool:
    """Whether ``section_code`` keeps ``record`` (a permit, a penalty …) under R-ORG-2."""
    return is_superuser or RECORD_OWNERS[record] == section_code


def fields_not_owned(
    section_code: str | None, fields: Iterable[str], *, is_superuser: bool = False
) -> list[str]:
    """The fields among ``fields`` that ``section_code`` may not change (R-ORG-2)."""
    if is_superuser:
        return []
    return [f for f in fields if FIELD_OWNERS.get(f) != section_code]


def ownership_message(field_labels: dict[str, str], fields: Sequence[str]) -> str:
    parts = [
        f"“{field_labels.get(f, f)}”由{SECTION_NAMES.get(FIELD_OWNERS.get(f, ''), '其他科室')}维护"
        for f in fields
    ]
    return "、".join(parts) + "，您所在的科室只能查看，不能修改。"


def key_industry_code(industry_code: str, key_codes: Iterable[str]) -> str | None:
    """The longest key-industry prefix matching a 国民经济行业分类 code (R-FAC-2)."""
    matches = [k for k in key_codes if industry_code.startswith(k)]
    return max(matches, key=len) if matches else None


# Sites (R-FAC-1) ------------------------------------------------------------------------------------
# A facility is one site of a unit. Its source code (污染源编码) is the unit's credit code followed by a
# three-digit site number, as the national platform writes the first 21 characters of a permit number
# (91330100MA2XXXXXXX001V: credit code, site 001, then the platform's own suffix).
SITE_NUMBER_LENGTH = 3
SOURCE_CODE_LENGTH = 18 + SITE_NUMBER_LENGTH
FIRST_SITE = "001"


def normalise_site_number(raw) -> str:
    """``1``, ``01`` or `` 001 `` (Excel drops leading zeros) read as ``001``; anything else as written."""
    text = "".join(str(raw if raw is not None else "").split())
    return text.zfill(SITE_NUMBER_LENGTH) if text.isdigit() and len(text) <= SITE_NUMBER_LENGTH else text


def site_number_error(site_number: str) -> str | None:
    """What is wrong with a site number (R-FAC-1), or None: three digits, 001 to 999."""
    if not (site_number.isdigit() and len(site_number) == SITE_NUMBER_LENGTH) or site_number == "000":
        return f"污染源序号“{site_number}”应为三位数字（001–999），如 001。"
    return None


def source_code(credit_code: str, site_number: str) -> str:
    """The source code of a unit's site: credit code + three-digit site number (R-FAC-1)."""
    return f"{credit_code}{site_number}"


def split_source_code(code: str) -> tuple[str, str]:
    """(credit code, site number) of a source code; check both with the functions above."""
    return code[:18], code[18:]


def source_code_error(code: str) -> str | None:
    """What is wrong with a 污染源编码 (21 characters: credit code + site number), or None."""
    if len(code) != SOURCE_CODE_LENGTH:
        return f"污染源编码应为 {SOURCE_CODE_LENGTH} 位（18 位统一社会信用代码 + 3 位序号），现为 {len(code)} 位。"
    credit, site = split_source_code(code)
    return credit_code_error(credit) or site_number_error(site)


@dataclass(frozen=True)
class SiteReference:
    """Which site a row of data names: its unit's credit code and its site number ('' when the data
    names the unit only), or the reason it names none."""

    credit_code: str = ""
    site_number: str = ""
    error: str | None = None
    error_field: str = "credit_code"

    @property
    def source_code(self) -> str:
        return source_code(self.credit_code, self.site_number) if self.site_number else ""


def platform_source_code(permit_number: str) -> str:
    """The source code a national-platform permit number starts with (R-FAC-1: a valid 18-character
    credit code, then a three-digit site number), or '' for a free-form local number."""
    prefix = normalise_credit_code(permit_number or "")[:SOURCE_CODE_LENGTH]
    return prefix if len(prefix) == SOURCE_CODE_LENGTH and source_code_error(prefix) is None else ""


def permit_number_mismatch_error(permit_number: str, facility_source_code: str) -> str | None:
    """Why a permit numbered ``permit_number`` cannot be a permit of the facility with
    ``facility_source_code``, or None (R-FAC-1): a platform number's first 21 characters are its
    holder's source code. Free-form local numbers are not checked."""
    code = platform_source_code(permit_number)
    if code and code != facility_source_code:
        return (
            f"许可证编号“{permit_number.strip()}”的前 21 位（{code}）与排污单位的污染源编码"
            f"“{facility_source_code}”不一致。"
        )
    return None


def unit_site_number(site_number: str, unit_sites: Sequence[str]) -> str | None:
    """The site number a reference means, given the site numbers its unit already has (R-FAC-1). The
    one rule for every way data arrives (form, API, import): a given number is that site; a credit code
    alone means site 001 of a unit not yet known, or the only site of a unit with one; None when the
    unit has several and the data must say which (``several_sites_error``)."""
    if site_number:
        return site_number
    if len(unit_sites) > 1:
        return None
    return next(iter(unit_sites), FIRST_SITE)


def several_sites_error(credit_code: str, unit_sites: Sequence[str]) -> str:
    """Why a credit code alone names no site of a unit with several (R-FAC-1)."""
    return (
        f"单位 {credit_code} 有 {len(unit_sites)} 个污染源（序号 {'、'.join(sorted(unit_sites))}），"
        "请填写污染源序号或污染源编码。"
    )


def next_site_number(unit_sites: Sequence[str]) -> str:
    """The lowest free site number of a unit with ``unit_sites`` (001 for a new unit), for a further
    site added without a number (R-FAC-1)."""
    taken = set(unit_sites)
    return next(f"{n:03d}" for n in range(1, 1000) if f"{n:03d}" not in taken)


def site_reference(
    *, source_code: str = "", credit_code: str = "", site_number: str = "", permit_number: str = ""
) -> SiteReference:
    """The site named by incoming data, in the three ways the national platform writes it (R-FAC-1):

    1. a source code (污染源编码, 21 characters);
    2. a credit code plus a site number;
    3. a permit number whose first 21 characters are the source code (with or without a credit code).

    Where two ways are given they must agree: a platform permit number (``platform_source_code``)
    naming another site is refused, naming both; a free-form local number names nothing. A credit
    code alone names the unit but no site (the caller decides, ``unit_site_number``)."""
    code = normalise_credit_code(source_code)
    credit = normalise_credit_code(credit_code)
    site = normalise_site_number(site_number)
    from_permit = platform_source_code(permit_number)
    if code:
        if error := source_code_error(code):
            return SiteReference(error=error, error_field="source_code")
        from_code = split_source_code(code)
        if credit and credit != from_code[0]:
            return SiteReference(
                error=f"污染源编码“{code}”与统一社会信用代码“{credit}”不一致。", error_field="source_code"
            )
        if site and site != from_code[1]:
            return SiteReference(
                error=f"污染源编码“{code}”与污染源序号“{site}”不一致。", error_field="source_code"
            )
        if from_permit and from_permit != code:
            return SiteReference(error=permit_number_mismatch_error(permit_number, code), error_field="permit_number")
        return SiteReference(*from_code)
    if site and not credit:
        return SiteReference(error="填写污染源序号时，须同时填写统一社会信用代码。")
    if credit and (error := credit_code_error(credit)):
        return SiteReference(error=error)
    if site and (error := site_number_error(site)):
        return SiteReference(error=error, error_field="site_number")
    if from_permit:
        if credit and credit != from_permit[:18]:
            return SiteReference(
                error=f"许可证编号“{permit_number.strip()}”的前 18 位（{from_permit[:18]}）与统一社会信用代码“{credit}”不一致。",
                error_field="permit_number",
            )
        if site and site != from_permit[18:]:
            return SiteReference(
                error=f"许可证编号“{permit_number.strip()}”的污染源序号（{from_permit[18:]}）与污染源序号“{site}”不一致。",
                error_field="permit_number",
            )
        credit, site = split_source_code(from_permit)
    if not credit:
        return SiteReference(error="请填写污染源编码，或统一社会信用代码（及污染源序号）。")
    return SiteReference(credit, site)


# Industry codes (R-FAC-2) ----------------------------------------------------------------------------
# GB/T 4754 writes a class with its section letter (C2641) and often its name after it ("C2641 涂料制造");
# the registry keeps the digits, which is what key industries match on.
INDUSTRY_CODE = re.compile(r"^\s*(?:[A-Ta-t]\s*)?(\d{2,4})(?:[\s　:：、,，].*)?$")


def normalise_industry_code(raw) -> str:
    """``C2641``, ``c 2641``, ``C2641 涂料制造`` and ``2641`` all read as ``2641`` (R-FAC-2). Text that is
    no industry code comes back stripped, for ``industry_code_error`` to name."""
    text = str(raw if raw is not None else "").strip()
    match = INDUSTRY_CODE.match(text)
    return match.group(1) if match else text


def industry_code_error(code: str) -> str | None:
    """What is wrong with a normalised industry code, or None: 2–4 digits of GB/T 4754."""
    if code.isdigit() and 2 <= len(code) <= 4:
        return None
    return f"行业类别代码“{code}”应为 2–4 位数字（国民经济行业分类，可带门类字母，如 C2641）。"


# R-FAC-2 (000 青环〔2023〕111号, 001 吉环执法字〔2023〕9号): the seed of the key-industry table, which the
# administrator extends. 221 纸浆制造 is listed with 造纸 because HJ 887 (造纸工业) covers pulping too.
KEY_INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("264", "涂料、油墨、颜料及类似产品制造", "000 青环〔2023〕111号"),
    ("336", "金属表面处理及热处理加工", "000 青环〔2023〕111号"),
    ("7724", "危险废物治理", "000 青环〔2023〕111号"),
    ("221", "纸浆制造", "001 吉环执法字〔2023〕9号（造纸）；HJ 887 涵盖制浆"),
    ("222", "造纸", "001 吉环执法字〔2023〕9号"),
    ("312", "炼钢", "001 吉环执法字〔2023〕9号"),
    ("441", "电力生产", "001 吉环执法字〔2023〕9号"),
    ("462", "污水处理及其再生利用", "001 吉环执法字〔2023〕9号"),
)


# Management levels agree (R-FAC-3) -------------------------------------------------------------------
LEVEL_LABELS = {"key": "重点管理", "simplified": "简化管理", "registered": "登记管理"}


def level_mismatch_error(permit_level: str, facility_level: str) -> str | None:
    """Why a permit of ``permit_level`` (``registered``: a 排污登记) cannot stand beside a facility of
    ``facility_level``, or None (R-FAC-3, 003 第六条: the facility's level agrees with its permit or
    registration; a mismatch is refused, never kept)."""
    if permit_level == facility_level:
        return None
    held = "排污登记" if permit_level == "registered" else "许可证"
    return (
        f"{held}管理类别（{LEVEL_LABELS.get(permit_level, permit_level)}）与排污单位管理类别"
        f"（{LEVEL_LABELS.get(facility_level, facility_level)}）不一致。"
    )


def level_mismatch_errors(permit_level: str, facility_level: str) -> dict[str, str]:
    """``level_mismatch_error`` as a form's errors: ``{"management_level": message}`` or ``{}``."""
    error = level_mismatch_error(permit_level, facility_level)
    return {"management_level": error} if error else {}
