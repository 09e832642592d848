"""A synthetic transcript archive shaped like real ones (the default profile of
``benchmarks/make_archive.py``), for tests and benchmarks.

Files go in nested year/month folders. Three front-matter styles are mixed as in the wild: PyYAML's
sorted keys with lists at column 0 and folded summaries; the "seed" order with lists indented by two; and
a title-first order with null values and unquoted dates. Half the files are Chinese, half English; bodies
are 5-15 KB of ``###`` sections, ``**[Speaker]**:`` turns, bold entity names, ``<details>`` blocks with
the original text and ``<!-- chunk -->`` comments. A few files have problems on purpose (missing summary,
near-duplicate tags, about one in a thousand broken).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

TAGS = [
    f"{a}-{b}"
    for a in (
        "ai",
        "data",
        "cloud",
        "edge",
        "robot",
        "chip",
        "bio",
        "climate",
        "media",
        "policy",
        "startup",
        "design",
        "security",
        "finance",
        "health",
    )
    for b in (
        "agents",
        "infra",
        "models",
        "policy",
        "tools",
        "research",
        "markets",
        "ethics",
        "ops",
        "hardware",
        "education",
        "culture",
    )
]
NEAR_DUPLICATES = ["AI Agents", "ai agents", "Ai-Agents", "cloud infra", "ＡＩ-models"]
PEOPLE = [
    "Maya Ortiz",
    "Devon Pike",
    "Priya Nair",
    "Sam Reyes",
    "Ada Whitlock",
    "林望舒",
    "周岚",
    "陈一鸣",
    "Tomás Ferreira",
    "Hana Sato",
    "Kofi Mensah",
    "Ingrid Berg",
    "王晓",
    "李思远",
    "Omar Haddad",
]
COMPANIES = [
    "Northwind Labs",
    "Harbor Foundry",
    "星河半导体",
    "Kestrel Systems",
    "Bluefin AI",
    "Open AI",
    "OpenAI",
    "Meridian Health",
    "灯塔科技",
    "Aster Robotics",
    "Pioneer Grid",
    "Lumen Bio",
]
PRODUCTS = ["Aurora-7B", "Kestrel", "Helix DB", "Nimbus Edge", "Orca Chat", "灯塔助手", "Atlas-2", "Quill"]
BOOKS = ["The Long Signal", "Quiet Machines", "河流与算力", "Designing Calm", "The Ledger"]
CATEGORIES = ["ai-ml", "semiconductors", "data-engineering", "tech-trends", "science", "business", "policy"]
AREAS = ["tech-engineering", "tech-insights", "society", "markets"]
EN_WORDS = [
    "the",
    "team",
    "built",
    "a",
    "system",
    "that",
    "learns",
    "from",
    "every",
    "request",
    "and",
    "we",
    "measured",
    "latency",
    "cost",
    "quality",
    "across",
    "regions",
    "while",
    "the",
    "model",
    "improved",
    "steadily",
    "but",
    "the",
    "hardest",
    "part",
    "was",
    "people",
    "process",
    "ownership",
    "trust",
    "and",
    "the",
    "long",
    "tail",
    "of",
    "edge",
    "cases",
    "nobody",
    "planned",
    "for",
    "in",
    "the",
    "first",
    "design",
]
ZH_CHARS = (
    "我们在过去一年里看到模型能力持续提升但真正的挑战在于工程组织成本与信任以及大量没有计划到的边缘情况"
    "数据平台推理芯片功耗生态开发者用户体验市场投资监管安全研究"
)


def en_sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(EN_WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def zh_sentence(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ZH_CHARS) for _ in range(n)) + "。"


def body(rng: random.Random, zh: bool, speakers: list[str], entities: list[str], size: int) -> str:
    parts: list[str] = []
    total = 0
    section = 0
    while total < size:
        section += 1
        parts.append(f"### {'第' + str(section) + '部分：' + zh_sentence(rng, 8) if zh else en_sentence(rng, 5)}\n")
        for _ in range(rng.randint(3, 6)):
            who = rng.choice(speakers)
            text = zh_sentence(rng, rng.randint(40, 120)) if zh else en_sentence(rng, rng.randint(25, 70))
            mention = rng.choice(entities)
            parts.append(f"**[{who}]**: {text} **{mention}** {text[: len(text) // 3]}\n")
            if zh and rng.random() < 0.5:
                parts.append(
                    "<details>\n<summary>View/Hide Original English</summary>\n"
                    f'<p class="english-text">{en_sentence(rng, 40)}</p>\n</details>\n'
                )
        if rng.random() < 0.4:
            parts.append("<!-- chunk -->\n")
        total = sum(len(p.encode()) for p in parts)
    return "\n".join(parts)


class IndentDumper(yaml.SafeDumper):
    """Lists indented under their key (``  - item``), as many hand-edited archives write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def front_matter(rng: random.Random, i: int, day: dt.date, zh: bool) -> tuple[dict[str, Any], int]:
    style = rng.randrange(3)
    tags = rng.sample(TAGS, rng.randint(2, 6))
    if rng.random() < 0.03:
        tags.append(rng.choice(NEAR_DUPLICATES))
    people = rng.sample(PEOPLE, rng.randint(0, 4))
    title = zh_sentence(rng, rng.randint(12, 30))[:-1] if zh else en_sentence(rng, rng.randint(5, 11))[:-1]
    summary = zh_sentence(rng, rng.randint(80, 200)) if zh else en_sentence(rng, rng.randint(40, 90))
    meta: dict[str, Any] = {
        "title": f"{title} #{i}",
        "date": day.isoformat() if style != 2 else day,
        "author": rng.choice(PEOPLE),
        "speaker": rng.choice(COMPANIES),
        "source": f"https://video.example.com/watch?v=v{i:07d}",
        "summary": summary,
        "insight": "" if style != 2 else None,
        "draft": rng.random() < 0.3,
        "status": rng.choice(["evergreen", "evergreen", "evergreen", "seedling"]),
        "category": rng.choice(CATEGORIES),
        "area": rng.choice(AREAS),
        "series": "" if style != 2 else None,
        "guest": "" if style != 2 else None,
        "layout": "post.njk",
        "tags": tags,
        "project": rng.sample(["edge-computing", "ai-impact-analysis", "platform-stories"], rng.randint(0, 2)),
        "people": people,
        "companies_orgs": rng.sample(COMPANIES, rng.randint(0, 4)),
        "products_models": rng.sample(PRODUCTS, rng.randint(0, 3)),
        "media_books": rng.sample(BOOKS, rng.randint(0, 1)),
    }
    if rng.random() < 0.02:
        del meta["summary"]
    return meta, style


def render(meta: dict[str, Any], style: int) -> str:
    if style == 0:  # PyYAML defaults: sorted keys, lists at column 0, folded at 80 columns
        return yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=80)
    if style == 1:  # seed order, lists indented, long lines kept
        order = [
            "author",
            "date",
            "guest",
            "layout",
            "source",
            "speaker",
            "tags",
            "title",
            "summary",
            "insight",
            "draft",
            "series",
            "category",
            "area",
            "project",
            "people",
            "companies_orgs",
            "products_models",
            "media_books",
            "status",
        ]
        ordered = {k: meta[k] for k in order if k in meta}
        return yaml.dump(ordered, Dumper=IndentDumper, allow_unicode=True, sort_keys=False, width=10**6)
    order = [
        "title",
        "summary",
        "area",
        "category",
        "project",
        "tags",
        "people",
        "companies_orgs",
        "products_models",
        "media_books",
        "date",
        "author",
        "speaker",
        "draft",
        "guest",
        "insight",
        "layout",
        "series",
        "source",
        "status",
    ]
    ordered = {k: meta[k] for k in order if k in meta}
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=80)


def make_archive(dest: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    paths = []
    for i in range(count):
        day = start + dt.timedelta(days=rng.randrange(1100))
        zh = rng.random() < 0.5
        meta, style = front_matter(rng, i, day, zh)
        speakers = rng.sample(PEOPLE, 2)
        entities = meta["people"] + meta["companies_orgs"] + meta["products_models"] or ["Kestrel"]
        text = "---\n" + render(meta, style) + "---\n\n" + body(rng, zh, speakers, entities, rng.randint(5000, 15000))
        if rng.random() < 0.001:
            text = text.replace("title:", "title: [broken", 1)
        if rng.random() < 0.5:
            text = text.rstrip("\n")
        data = text.encode("utf-8")
        if rng.random() < 0.05:
            data = data.replace(b"\n", b"\r\n")
        folder = dest / f"{day.year}" / f"{day.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"episode-{i:06d}.md"
        path.write_bytes(data)
        paths.append(path)
    return paths
