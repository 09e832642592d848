"""The ``--realistic`` archive profile: shaped like a real transcript archive, not like a toy.

Figures (for 10,000 files, from a real archive of 9,764 transcripts): bodies of mean ~38 KB (median
~24 KB, p99 ~205 KB, a few over 1 MB); front matter of median ~1 KB with 20 keys; most files in one
folder; ~4.7 tags per file from ~15,000 distinct tags with a long tail (Zipf-like: most used once or
twice, a few hundreds of times); 2-4 items per entity list (people, companies_orgs, products_models,
media_books) from ~6,000-7,000 distinct values each; ~600 near-duplicate groups (one value written two
or three ways: case, full-width letters, space/hyphen/none). Chinese and English files mixed; bodies of
``###`` sections, ``**[Speaker]**:`` turns, bold entity names, ``<details>`` blocks and
``<!-- chunk -->`` comments. Deterministic for a seed; bodies are assembled from paragraph pools so
10,000 files (~380 MB) are written in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from masthead.core.vocabulary import normalize

# distinct values per list field (before near-duplicate variants) and near-duplicate groups per field,
# for 10,000 files; scaled for other counts
DISTINCT = {"tags": 15_110, "people": 6_015, "companies_orgs": 6_928, "products_models": 5_998, "media_books": 7_016}
NEAR_DUP_GROUPS = {"tags": 300, "people": 70, "companies_orgs": 120, "products_models": 70, "media_books": 64}
ZIPF = 0.7  # count of the k-th most used value ~ 1 / k**ZIPF (top tag ~800 files, ~3/4 used once or twice)
ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "st"]
ONSETS += ["tr", "pl", "qu", "sh", "ch", "gr", "kr", "fl"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
CODAS = ["", "", "n", "r", "s", "l", "x", "m", "nd", "rt", "ck"]
ZH = (
    "我们在过去一年里看到模型能力持续提升但真正的挑战在于工程组织成本与信任以及大量没有计划到的边缘情况"
    "数据平台推理芯片功耗生态开发者用户体验市场投资监管安全研究云端边缘机器人医疗教育能源金融媒体设计"
)
ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
ZH_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇晨欣怡思远望舒岚一鸣晓"
EN_TEXT = (
    "the team built a system that learns from every request and we measured latency cost quality across regions "
    "while model improved steadily but hardest part was people process ownership trust long tail of edge cases "
    "nobody planned for in first design when scale grows data pipeline breaks quietly so you need observability "
    "investment market policy chips power budget developer experience research agents inference training"
)
EN_WORDS = EN_TEXT.split()
SUFFIX_CO = ["Labs", "Systems", "AI", "Inc", "Group", "Capital", "Robotics", "Bio", "Foundry", "Networks", "Health"]
SUFFIX_CO_ZH = ["科技", "智能", "半导体", "资本", "集团", "研究院", "实验室"]
SUFFIX_PRODUCT = ["", "-7B", "-70B", " 2", " Pro", " DB", " Chat", " Edge", " Studio", "-X", " Cloud", " OS"]
FOLDERS = ["drafts", "2022", "archive/old", "interviews", "podcasts"]
CATEGORIES = ["ai-ml", "semiconductors", "data-engineering", "tech-trends", "science", "business", "policy"]
CATEGORIES += ["health", "energy", "robotics", "finance", "media"]
AREAS = ["tech-engineering", "tech-insights", "society", "markets", "science-health", "culture"]
STATUSES = ["evergreen", "evergreen", "evergreen", "seedling", "budding"]


def _words(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct pronounceable pseudo-words."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(rng.choice((1, 2, 2, 3)))
        )
        if len(word) > 2 and word not in seen:
            seen.add(word)
            out.append(word)
    return out


def _zh(rng: random.Random, n: int, alphabet: str = ZH) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _distinct(rng: random.Random, count: int, make: Callable[[random.Random], str]) -> list[str]:
    """``count`` values whose near-duplicate keys all differ (so the only near-duplicates are the planted ones)."""
    keys: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        value = make(rng)
        key = normalize(value)
        if key and key not in keys:
            keys.add(key)
            out.append(value)
    return out


def _makers(rng: random.Random) -> dict[str, Callable[[random.Random], str]]:
    words = _words(rng, 4000)
    cap = [w.capitalize() for w in words]

    def tag(r: random.Random) -> str:
        roll = r.random()
        if roll < 0.45:
            return f"{r.choice(words)}-{r.choice(words)}"
        if roll < 0.6:
            return r.choice(words) + r.choice(("", "-ai", "-ops", "-data", "-policy", "-chips"))
        if roll < 0.9:
            return _zh(r, r.randint(2, 5))
        return r.choice(("AI", "GPU", "LLM", "芯片", "数据")) + _zh(r, r.randint(2, 3))

    def person(r: random.Random) -> str:
        if r.random() < 0.35:
            return r.choice(ZH_SURNAMES) + _zh(r, r.randint(1, 2), ZH_GIVEN)
        return f"{r.choice(cap)} {r.choice(cap)}"

    def company(r: random.Random) -> str:
        if r.random() < 0.3:
            return _zh(r, r.randint(2, 3)) + r.choice(SUFFIX_CO_ZH)
        return f"{r.choice(cap)} {r.choice(SUFFIX_CO)}" if r.random() < 0.7 else r.choice(cap) + r.choice(cap).lower()

    def product(r: random.Random) -> str:
        if r.random() < 0.2:
            return _zh(r, 2) + r.choice(("助手", "大模型", "云", "芯"))
        return r.choice(cap) + r.choice(SUFFIX_PRODUCT)

    def book(r: random.Random) -> str:
        if r.random() < 0.35:
            return "《" + _zh(r, r.randint(3, 7)) + "》"
        return " ".join(["The", *(r.choice(cap) for _ in range(r.randint(1, 3)))])

    return {"tags": tag, "people": person, "companies_orgs": company, "products_models": product, "media_books": book}


_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def _variant(rng: random.Random, value: str, taken: set[str]) -> str | None:
    """The same value written another way (same near-duplicate key), not already taken."""
    options = []
    if value.lower() != value:
        options.append(value.lower())
    if value.upper() != value:
        options += [value.upper(), value.title()]
    if " " in value:
        options += [value.replace(" ", "-"), value.replace(" ", "")]
    if "-" in value:
        options += [value.replace("-", " "), value.replace("-", "_")]
    if any(c.isascii() and c.isalnum() for c in value):
        options.append(value.translate(_FULL_WIDTH))
    if len(value) > 2 and not value.isascii():
        options.append(value[:2] + " " + value[2:])
    rng.shuffle(options)
    for option in options:
        if option != value and option not in taken and normalize(option) == normalize(value):
            return option
    return None


def _zipf_counts(distinct: int, uses: int) -> list[int]:
    """Counts per value, most used first, Zipf-like, every value used at least once, summing to ``uses``."""
    lo, hi = 0.0, float(uses)
    for _ in range(60):
        scale = (lo + hi) / 2
        total = sum(max(1, round(scale / (k + 1) ** ZIPF)) for k in range(distinct))
        lo, hi = (scale, hi) if total < uses else (lo, scale)
    counts = [max(1, round(hi / (k + 1) ** ZIPF)) for k in range(distinct)]
    counts[0] += uses - sum(counts)  # the rounding remainder (a few uses) goes to the top value
    return counts


def _uses(rng: random.Random, name: str, values: list[str], uses: int, groups: int) -> list[str]:
    """Every use of the field's values across the archive, shuffled, with ``groups`` near-duplicate groups."""
    counts = _zipf_counts(len(values), uses)
    taken = set(values)
    candidates = [k for k, c in enumerate(counts) if c >= 2]
    rng.shuffle(candidates)
    variants: dict[int, list[str]] = {}
    for k in candidates:
        if len(variants) >= groups:
            break
        for _ in range(1 if counts[k] < 6 or rng.random() < 0.8 else 2):
            variant = _variant(rng, values[k], taken)
            if variant:
                taken.add(variant)
                variants.setdefault(k, []).append(variant)
    pool: list[str] = []
    for k, (value, count) in enumerate(zip(values, counts, strict=True)):
        written = variants.get(k, [])
        n = min(len(written) + count // 8, count - 1) if written else 0
        others = [written[i % len(written)] for i in range(n)]
        pool += [value] * (count - len(others)) + others
    rng.shuffle(pool)
    return pool


def _deal(rng: random.Random, pool: list[str], sizes: list[int]) -> list[list[str]]:
    """Split ``pool`` into lists of ``sizes`` with no value twice in one list."""
    out: list[list[str]] = []
    p = 0
    for size in sizes:
        chosen: list[str] = []
        for _ in range(size):
            if p >= len(pool):
                break
            if pool[p] in chosen:
                for j in range(p + 1, min(p + 200, len(pool))):
                    if pool[j] not in chosen:
                        pool[p], pool[j] = pool[j], pool[p]
                        break
            if pool[p] not in chosen:
                chosen.append(pool[p])
            p += 1
        out.append(chosen)
    return out


def _body_sizes(rng: random.Random, count: int) -> list[int]:
    """Lognormal body sizes (files of median ~24 KB, mean ~38 KB, p99 ~205 KB) plus a few over 1 MB
    (the target is a little under the size: a body ends at the end of a section past it)."""
    sigma = math.sqrt(2 * math.log(38 / 24))
    sizes = [min(int(20_500 * math.exp(rng.gauss(0, sigma))), 900_000) for _ in range(count)]
    sizes = [max(size, 1500) for size in sizes]
    for k in rng.sample(range(count), max(1, count // 1600)):
        sizes[k] = rng.randint(1_050_000, 2_600_000)
    return sizes


class _Pools:
    """Paragraphs, headings and original-English blocks to assemble bodies from (bytes precomputed)."""

    def __init__(self, rng: random.Random) -> None:
        def en(n: int) -> str:
            return " ".join(rng.choice(EN_WORDS) for _ in range(n)).capitalize() + "."

        self.en = [" ".join(en(rng.randint(8, 24)) for _ in range(rng.randint(1, 4))) for _ in range(1500)]
        self.zh = [
            "，".join(_zh(rng, rng.randint(8, 30)) for _ in range(rng.randint(2, 6))) + "。" for _ in range(1500)
        ]
        self.en_heading = [en(rng.randint(3, 7))[:-1] for _ in range(300)]
        self.zh_heading = [_zh(rng, rng.randint(4, 12)) for _ in range(300)]
        self.details = [
            "<details>\n<summary>View/Hide Original English</summary>\n\n"
            f'<p class="english-text">{p}</p>\n</details>\n\n'
            for p in self.en[:400]
        ]


def _body(rng: random.Random, pools: _Pools, zh: bool, speakers: list[str], entities: list[str], size: int) -> str:
    paragraphs, headings = (pools.zh, pools.zh_heading) if zh else (pools.en, pools.en_heading)
    parts: list[str] = []
    total = 0
    section = 0
    factor = 2.6 if zh else 1.0  # bytes per character, roughly
    while total < size:
        section += 1
        heading = f"第{section}部分：{rng.choice(headings)}" if zh else rng.choice(headings)
        parts.append(f"### {heading}\n\n")
        for _ in range(rng.randint(3, 8)):
            text = rng.choice(paragraphs)
            turn = f"**[{rng.choice(speakers)}]**: {text} **{rng.choice(entities)}** {rng.choice(paragraphs)}\n\n"
            parts.append(turn)
            total += int(len(turn) * factor)
            if zh and rng.random() < 0.25:
                block = rng.choice(pools.details)
                parts.append(block)
                total += len(block)
        if rng.random() < 0.4:
            parts.append("<!-- chunk -->\n\n")
    return "".join(parts)


class _IndentDumper(yaml.CSafeDumper):
    pass


def _render(meta: dict[str, Any], style: int) -> str:
    """Three front-matter styles as in the wild: sorted keys with lists at column 0 and folded long lines;
    the given order with lists indented by two and long lines kept; the given order with nulls."""
    if style == 0:
        return yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=True, width=80)
    if style == 1:
        text = yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10**6)
        return text.replace("\n- ", "\n  - ")
    return yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=80)


def make_realistic_archive(dest: Path, count: int = 10_000, seed: int = 12) -> list[Path]:
    """Write ``count`` transcripts under ``dest`` (most in ``dest/transcripts``); return their paths."""
    rng = random.Random(seed)
    scale = count / 10_000
    makers = _makers(rng)
    sizes = {"tags": [min(max(1, round(rng.gauss(4.7, 1.8))), 12) for _ in range(count)]}
    for name in ("people", "companies_orgs", "products_models", "media_books"):
        sizes[name] = [rng.randint(2, 4) for _ in range(count)]
    lists: dict[str, list[list[str]]] = {}
    for name, distinct in DISTINCT.items():
        uses = sum(sizes[name])
        n = min(max(1, round(distinct * scale)), uses)
        groups = round(NEAR_DUP_GROUPS[name] * scale)
        values = _distinct(rng, max(1, n - groups), makers[name])
        lists[name] = _deal(rng, _uses(rng, name, values, uses, groups), sizes[name])
    projects = _distinct(rng, 25, makers["tags"])
    series = _distinct(rng, 40, makers["media_books"])
    authors = _distinct(rng, 12, makers["people"])
    pools = _Pools(rng)
    body_sizes = _body_sizes(rng, count)
    start = dt.date(2021, 1, 1)
    paths: list[Path] = []
    for i in range(count):
        zh = rng.random() < 0.5
        day = start + dt.timedelta(days=rng.randrange(1900))
        style = rng.choice((0, 1, 1, 2))
        people = lists["people"][i]
        title = _zh(rng, rng.randint(12, 30)) if zh else rng.choice(pools.en_heading) + " " + rng.choice(EN_WORDS)
        summary = rng.choice(pools.zh if zh else pools.en)[: rng.randint(120, 220) if zh else rng.randint(300, 650)]
        insight = rng.choice(pools.zh if zh else pools.en)[:200] if rng.random() < 0.3 else ""
        empty: str | None = None if style == 2 else ""
        meta: dict[str, Any] = {
            "title": f"{title} #{i}",
            "date": day if style == 2 else day.isoformat(),
            "author": rng.choice(authors),
            "speaker": people[0] if people else "",
            "source": f"https://www.youtube.com/watch?v=v{i:07d}{rng.randrange(10**4):04d}",
            "summary": summary,
            "insight": insight or empty,
            "draft": rng.random() < 0.25,
            "status": rng.choice(STATUSES),
            "category": rng.choice(CATEGORIES),
            "area": rng.choice(AREAS),
            "series": rng.choice(series) if rng.random() < 0.15 else empty,
            "layout": "post.njk",
            "tags": lists["tags"][i],
            "project": rng.sample(projects, rng.choice((0, 0, 1, 1, 2))),
            "people": people,
            "companies_orgs": lists["companies_orgs"][i],
            "products_models": lists["products_models"][i],
            "media_books": lists["media_books"][i],
            "guest": empty,
        }
        if rng.random() < 0.02:
            del meta["summary"]
        speakers = [*(people or ["Host"])[:2], "Host"]
        entities = people + lists["companies_orgs"][i] + lists["products_models"][i] or ["Host"]
        text = "---\n" + _render(meta, style) + "---\n\n" + _body(rng, pools, zh, speakers, entities, body_sizes[i])
        if rng.random() < 0.0005:
            text = text.replace("title:", "title: [broken", 1)
        data = text.encode("utf-8")
        if rng.random() < 0.02:
            data = data.replace(b"\n", b"\r\n")
        folder = dest / ("transcripts" if rng.random() < 0.94 else rng.choice(FOLDERS))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{day.isoformat()}-{i:05d}.md"
        path.write_bytes(data)
        paths.append(path)
    return paths
