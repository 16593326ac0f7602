"""Story grouping: order independence, short and long documents, consolidation, titles.

The articles here are invented by the team. The consolidation tests use hand-made vectors,
so that the similarities (and so the expected merges and splits) are exact.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from corroborator.pipeline import Pipeline
from corroborator.records import Article
from corroborator.store import open_store
from corroborator.stories import (
    MAX_TERMS,
    StoryFeatures,
    StoryFeaturizer,
    StoryGrouper,
    StoryOptions,
)

EVENTS: dict[str, list[tuple[str, str]]] = {
    "flood": [
        ("Marrowick river bursts its banks, 200 homes evacuated",
         "The River Tamsel burst its banks in Marrowick on Saturday after two days of heavy "
         "rain, and emergency crews evacuated about 200 homes in the low-lying Eastgate "
         "district. Mayor Ilse Brandt said no one had been hurt."),
        ("Hundreds leave homes as floodwater swamps Eastgate",
         "Floodwater from the Tamsel poured into Marrowick's Eastgate neighbourhood overnight. "
         "Firefighters used boats to reach residents, and the council opened the Marrowick "
         "sports hall as a shelter for the 200 evacuated households."),
        ("Marrowick flooding: mayor Brandt praises rescue crews",
         "Marrowick mayor Ilse Brandt thanked rescue crews who moved families out of Eastgate "
         "as the river Tamsel rose to its highest level in forty years. Forecasters expect "
         "the water to fall by Monday."),
    ],
    "rates": [
        ("Veldra central bank raises interest rate by half a point",
         "The Central Bank of Veldra raised its main interest rate by 0.5 percentage points "
         "to 4.25% on Thursday, its third increase this year, saying inflation of 6.1% was "
         "still far above its target. Governor Anton Reyes said more rises may follow."),
        ("Veldra lifts borrowing costs to 4.25% to fight inflation",
         "Borrowing costs in Veldra rose to 4.25% after the central bank's rate committee "
         "voted for a half-point increase. Governor Anton Reyes told reporters that prices "
         "were rising too fast for the bank to wait."),
        ("Reyes signals more rate rises after Veldra's half-point hike",
         "Anton Reyes, governor of Veldra's central bank, said the half-point rise in the "
         "benchmark rate to 4.25% might not be the last, as inflation stays above 6%. "
         "Mortgage lenders said they would pass on the increase."),
    ],
    "cup": [
        ("Kestrel United beat Ashford Rovers 2-1 to win the cup",
         "Kestrel United won the national cup final on Sunday, beating Ashford Rovers 2-1 "
         "with a late header from captain Tomas Vidal. It is the club's first cup since "
         "1998. Ashford had led at half-time."),
        ("Vidal header wins cup final for Kestrel",
         "Tomas Vidal headed the winner in the 88th minute as Kestrel United came from behind "
         "to beat Ashford Rovers 2-1 in the cup final, ending a 28-year wait for the trophy."),
        ("Ashford Rovers rue missed chances in cup final defeat to Kestrel",
         "Ashford Rovers manager Petra Holm said her side should have put the cup final out "
         "of reach before Kestrel United came back to win 2-1 through Tomas Vidal's late "
         "header."),
    ],
    "recall": [
        ("Lumora recalls 40,000 e-bikes over battery fire risk",
         "Electric bike maker Lumora is recalling 40,000 of its Strada e-bikes after reports "
         "that the battery pack can overheat and catch fire while charging. Owners should "
         "stop charging the bikes and contact Lumora for a free replacement battery."),
        ("Strada e-bike batteries can catch fire, Lumora warns",
         "Lumora has told owners of its Strada electric bikes to stop charging them at once: "
         "twelve battery fires have been reported, and the company is recalling 40,000 "
         "bikes to fit a new battery pack."),
        ("Lumora shares fall after e-bike battery recall",
         "Shares in Lumora fell 9% after the e-bike maker announced the recall of 40,000 "
         "Strada bikes because their batteries can overheat. The recall will cost the "
         "company about 30 million, its finance chief said."),
    ],
}  # fmt: skip
DATES = {"flood": "2026-03-14", "rates": "2026-03-12", "cup": "2026-03-15", "recall": "2026-03-13"}


def article(aid: str, title: str | None, text: str, published: str | None = None) -> Article:
    return Article(id=aid, source=aid, fmt="txt", original=text, text=text,
                   segments=((0, 0, len(text)),), title=title, published=published)  # fmt: skip


def invented() -> list[tuple[Article, str]]:
    out = []
    for event, items in EVENTS.items():
        for k, (title, text) in enumerate(items):
            day = f"{DATES[event]}T{8 + 3 * k:02d}:00:00"
            out.append((article(f"{event}{k}", title, text, day), event))
    return out


@pytest.fixture(scope="module")
def featurizer() -> StoryFeaturizer:
    return StoryFeaturizer()


def partition(grouper: StoryGrouper) -> set[frozenset[str]]:
    return {frozenset(s.members) for s in grouper.stories.values()}


def group(features: Sequence[StoryFeatures], articles: Sequence[Article]) -> StoryGrouper:
    grouper = StoryGrouper()
    for f, a in zip(features, articles, strict=True):
        grouper.assign(f, published=a.published)
    return grouper


def test_stories_invented_events_in_any_order(featurizer: StoryFeaturizer) -> None:
    items = invented()
    gold = {frozenset(a.id for a, e in items if e == event) for event in EVENTS}
    features = {f.article_id: f for f in featurizer([a for a, _ in items])}
    for seed in range(6):
        order = list(items)
        random.Random(seed).shuffle(order)
        grouper = group([features[a.id] for a, _ in order], [a for a, _ in order])
        assert partition(grouper) == gold, f"order {seed}"


def test_stories_features_do_not_depend_on_the_batch(featurizer: StoryFeaturizer) -> None:
    """An article's features are the same read alone or with others (one run or two, one
    process or Ray workers): the int8 encoder sees one text per call (STORY_BATCH)."""
    items = [a for a, _ in invented()]
    together = featurizer(items)
    for k in (0, len(items) // 2, len(items) - 1):
        (alone,) = featurizer([items[k]])
        assert np.array_equal(alone.dense, together[k].dense)
        assert np.array_equal(alone.weights, together[k].weights)


def test_stories_short_brief_and_long_page(featurizer: StoryFeaturizer) -> None:
    items = invented()
    brief_text = (
        "Lumora is recalling 40,000 Strada e-bikes because the battery can catch fire while "
        "charging, the company said. Owners should stop charging and ask for a new battery."
    )
    assert 150 < len(brief_text) <= 300
    brief = article("brief", None, brief_text, "2026-03-13T18:00:00")
    flood_lines = [
        "Live updates: the River Tamsel flood in Marrowick.",
        "Crews in boats reached families in Eastgate as the water kept rising.",
        "Mayor Ilse Brandt said the Marrowick sports hall will stay open as a shelter.",
        "The council said 200 homes in Eastgate were evacuated on Saturday.",
        "Forecasters expect the Tamsel to fall by Monday if the rain stops.",
    ]
    sidebar = [
        f"Most read {k}: a recipe for lemon cake, the best hiking boots of the year, "
        "celebrity wedding photos, and a quiz about capital cities."
        for k in range(300)
    ]
    body = "\n\n".join(flood_lines * 20 + sidebar)
    assert len(body) > 40_000
    page = article("page", "Marrowick flood: live updates", body, "2026-03-14T20:00:00")
    arts = [a for a, _ in items] + [brief, page]
    features = featurizer(arts)
    by_id = {f.article_id: f for f in features}
    assert len(by_id["page"].terms) <= MAX_TERMS
    for seed in range(3):
        order = list(range(len(arts)))
        random.Random(seed).shuffle(order)
        grouper = group([features[k] for k in order], [arts[k] for k in order])
        story_of = grouper.story_of
        assert story_of["brief"] == story_of["recall0"]
        assert story_of["page"] == story_of["flood0"]
        gold = {frozenset(a.id for a, e in items if e == event) for event in EVENTS}
        expected = {g | {"brief"} if "recall0" in g else g | {"page"} if "flood0" in g else g
                    for g in gold}  # fmt: skip
        assert partition(grouper) == expected


# --- consolidation, on hand-made vectors ---------------------------------------------------
def made(aid: str, vector: Sequence[float], title: str | None = None) -> StoryFeatures:
    dense = np.asarray(vector, dtype=np.float32)
    dense /= np.linalg.norm(dense)
    return StoryFeatures(
        aid, dense, np.zeros(0, np.int64), np.zeros(0, np.float32), title, title is not None
    )


OPTIONS = StoryOptions(threshold=0.5, time_weight=0.0, undated_penalty=0.0)


def merge_case() -> list[StoryFeatures]:
    """a.b = 0.4 (apart), c.a = 0.9, c.b = 0.7: once c joins a, the two stories are one."""
    return [
        made("a", [1.0, 0.0, 0.0]),
        made("b", [0.4, 0.78, math.sqrt(1 - 0.16 - 0.78**2)]),
        made("c", [0.9, math.sqrt(1 - 0.81), 0.0]),
    ]


def split_case() -> list[StoryFeatures]:
    """a.b = 0.55 (b joins a), c.b = 0.85, c.a = 0.2 (c joins {a, b} at 0.525), then a has
    drifted away from the story: {b, c} and {a}."""
    return [
        made("a", [1.0, 0.0, 0.0]),
        made("b", [0.55, math.sqrt(1 - 0.55**2), 0.0]),
        made("c", [0.2, 0.886, math.sqrt(1 - 0.04 - 0.886**2)]),
    ]


def run(features: Sequence[StoryFeatures]) -> tuple[StoryGrouper, list[object]]:
    grouper = StoryGrouper(options=OPTIONS)
    return grouper, [grouper.assign(f) for f in features]


def test_stories_consolidation_merges_stories_that_turn_out_to_be_one() -> None:
    grouper, updates = run(merge_case())
    assert partition(grouper) == {frozenset("abc")}
    last = updates[-1]
    assert last.removed  # type: ignore[attr-defined]
    moved = {m for m, _, _ in last.members}  # type: ignore[attr-defined]
    assert "b" in moved or "a" in moved
    for order in ([2, 0, 1], [1, 2, 0], [0, 2, 1]):
        grouper, _ = run([merge_case()[k] for k in order])
        assert partition(grouper) == {frozenset("abc")}


def test_stories_consolidation_splits_a_story_that_drifted_apart() -> None:
    grouper, updates = run(split_case())
    assert partition(grouper) == {frozenset("bc"), frozenset("a")}
    last = updates[-1]
    assert ("a", grouper.story_of["a"]) in {(m, s) for m, s, _ in last.members}  # type: ignore[attr-defined]
    assert len(last.stories) == 2  # type: ignore[attr-defined]
    for order in ([2, 0, 1], [1, 2, 0], [2, 1, 0]):
        grouper, _ = run([split_case()[k] for k in order])
        assert partition(grouper) == {frozenset("bc"), frozenset("a")}


class Made:
    """A featurizer that hands the pipeline the hand-made vectors."""

    def __init__(self, features: Sequence[StoryFeatures]) -> None:
        self.by_id = {f.article_id: f for f in features}

    def __call__(self, articles: Sequence[Article]) -> list[StoryFeatures]:
        out = []
        for a in articles:
            f = self.by_id[a.text.split()[0]]
            out.append(StoryFeatures(a.id, f.dense, f.terms, f.weights, a.title, True))
        return out


BODIES = {
    "a": "Gulls circled the empty quay while a ferry waited for the tide.",
    "b": "Three violinists rehearsed a new quartet in the old library hall.",
    "c": "A farmer counted sheep twice because the fog hid the far meadow.",
}


def files(folder: Path, names: str) -> Iterator[str]:
    for k, name in enumerate(names):
        path = folder / f"{name}.jsonl"
        record = {"text": f"{name} {BODIES[name]}", "title": f"Story {name.upper()}",
                  "published": f"2026-03-1{k}"}  # fmt: skip
        path.write_text(json.dumps(record) + "\n")
        yield str(path)


@pytest.mark.parametrize("case,expected", [(split_case, [["a"], ["b", "c"]]),
                                           (merge_case, [["a", "b", "c"]])])  # fmt: skip
def test_stories_consolidation_is_written_to_the_store(
    tmp_path: Path, case: object, expected: list[list[str]]
) -> None:
    store = open_store(str(tmp_path / "s.db"))
    pipeline = Pipeline(store)
    pipeline.options = pipeline.options.__class__(stories=OPTIONS)
    pipeline._story_featurizer = Made(case())  # type: ignore[assignment,operator]
    for path in files(tmp_path, "abc"):  # one at a time, as `corroborator check` does
        pipeline.run([path])
    text = {a.id: a.text.split()[0] for a in store.articles()}
    stored = sorted(sorted(text[i] for i in ids) for _, _, ids in store.stories())
    assert stored == expected
    n = {s.id: s.n for s in store.story_states()}
    assert sorted(n.values()) == sorted(len(g) for g in expected)
    # a new grouper read back from the store holds the same partition
    back = StoryGrouper(store.story_states(), store.story_members(), OPTIONS)
    assert sorted(sorted(text[m] for m in s.members) for s in back.stories.values()) == expected


def test_stories_title_is_the_most_representative_headline() -> None:
    grouper = StoryGrouper(options=OPTIONS)
    side = made("side", [0.8, 0.6, 0.0], "A side angle")
    centre = made("centre", [0.95, 0.3, 0.1], "The event itself")
    other = made("other", [0.9, 0.0, 0.43], "Another angle")
    untitled = StoryFeatures("untitled", centre.dense, centre.terms, centre.weights, None)
    for f in (side, other, untitled, centre):
        grouper.assign(f)
    (story,) = grouper.stories.values()
    assert story.title == "The event itself"


def test_stories_title_never_a_truncated_lead(featurizer: StoryFeaturizer) -> None:
    long_first = "The " + "very " * 60 + "long opening sentence of a report ends here. Then more."
    short_first = "Bridge closed after crack found. Engineers will inspect it on Monday."
    feats = featurizer([article("x", None, long_first), article("y", None, short_first)])
    assert feats[0].title is None
    assert feats[1].title == "Bridge closed after crack found."
    grouper = StoryGrouper()
    grouper.assign(feats[0])
    assert next(iter(grouper.stories.values())).title.startswith("untitled story ")
