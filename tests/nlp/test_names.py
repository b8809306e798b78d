import random
import time

import pytest

from nlp.names import ClientIndex, ClientRef, similarity, typed_score

CLIENTS = [
    ClientRef("c1", "华东机械", owner_id="r1"),
    ClientRef("c2", "恒达科技", ["恒达"], owner_id="r1"),
    ClientRef("c3", "金桥物流", owner_id="r2"),
    ClientRef("c4", "东方电气", owner_id="r1"),
    ClientRef("c5", "云帆科技", owner_id="r2"),
    ClientRef("c6", "云帆物流", owner_id="r3"),
    ClientRef("c7", "南方医药", ["南药"], owner_id="r2"),
]


@pytest.fixture(scope="module")
def index():
    return ClientIndex(CLIENTS)


@pytest.mark.parametrize(
    ("heard", "name", "kind"),
    [
        ("华东机械", "华东机械", "exact"),
        ("南药", "南方医药", "alias"),
        ("花东机械", "华东机械", "pinyin"),  # ASR: 华 → 花
        ("恒大科技", "恒达科技", "pinyin"),  # ASR: 达 → 大
        ("恒大", "恒达科技", "pinyin"),
        ("金乔物流", "金桥物流", "pinyin"),  # ASR: 桥 → 乔
        ("东方电器", "东方电气", "pinyin"),
        ("南方亿药", "南方医药", "pinyin"),
        ("华东", "华东机械", "alias"),  # the core alone
        ("华东机械有限公司", "华东机械", "exact"),
    ],
)
def test_heard_names_land_on_the_client(index, heard, name, kind):
    match = index.match(heard)
    assert (match.name, match.kind) == (name, kind)
    assert match.heard == heard


@pytest.mark.parametrize("heard", ["华南重工", "华东重工", "华中机械", "远航船舶"])
def test_unknown_names_are_new_clients(index, heard):
    match = index.match(heard)
    assert match.kind == "new"
    assert match.client_id is None and match.heard == heard


def test_weak_lookalikes_are_offered_not_forced(index):
    match = index.match("华东机")
    assert match.kind == "new"
    assert "华东机械" in {a.name for a in match.alternatives}


def test_near_tie_is_ambiguous_with_alternatives(index):
    match = index.match("云帆")
    assert match.kind == "ambiguous"
    assert {a.name for a in match.alternatives} == {"云帆科技", "云帆物流"}


def test_reps_own_account_breaks_a_tie(index):
    assert index.match("云帆", rep_id="r2").name == "云帆科技"
    assert index.match("云帆", rep_id="r3").name == "云帆物流"
    assert index.match("云帆", rep_id="r9").kind == "ambiguous"


def test_reps_own_account_does_not_beat_a_clearly_better_match():
    clients = [
        ClientRef("a", "恒达科技", owner_id="r1"),
        ClientRef("b", "恒大地产", owner_id="r2"),
    ]
    # 恒大地产 is an exact name; 恒达科技 would need pinyin and a different suffix.
    assert ClientIndex(clients).match("恒大地产", rep_id="r1").name == "恒大地产"


def test_empty_heard_is_none(index):
    assert index.match("  ").kind == "none"


def test_similarity_respects_the_industry():
    assert similarity("华南重工", "华东机械") < 0.5
    assert similarity("华东科技", "华东机械") < 0.5
    assert similarity("花东机械", "华东机械") > 0.9


def test_find_for_the_brief_command(index):
    assert [m.name for m in index.find("花东")][:1] == ["华东机械"]
    assert [m.name for m in index.find("东机")] == ["华东机械"]
    assert [m.name for m in index.find("南药")] == ["南方医药"]
    assert index.find("") == []
    assert [m.name for m in index.find("云帆", rep_id="r3")][:1] == ["云帆物流"]
    assert [m.name for m in ClientIndex(CLIENTS).find("金乔")] == ["金桥物流"]


@pytest.mark.parametrize("typed", ["huadong", "hua dong", "HuaDong", "huadongjixie", "hdjx"])
def test_find_by_typed_pinyin(index, typed):
    (first, *_) = index.find(typed)
    assert first.name == "华东机械" and first.kind == "pinyin" and first.score >= 0.9


def test_typed_pinyin_prefixes_and_ties(index):
    assert [m.name for m in index.find("huadongj")] == ["华东机械"]  # spelling cut short
    assert [m.name for m in index.find("nanyao")] == ["南方医药"]  # by the alias 南药
    top = index.find("hd", rep_id="r9")  # 华东机械 and 恒达科技 share initials: a near-tie
    assert {m.name for m in top[:2]} == {"华东机械", "恒达科技"}
    assert abs(top[0].score - top[1].score) < 0.02
    assert index.find("x") == []  # one letter is not a name


def test_exact_and_alias_rank_before_typed_pinyin():
    clients = [*CLIENTS, ClientRef("c8", "海德能源", ["HD"], owner_id="r2")]
    (first, *rest) = ClientIndex(clients).find("hd")
    assert first.name == "海德能源" and first.kind == "alias"
    assert {m.name for m in rest} >= {"华东机械", "恒达科技"}


def test_typed_score():
    syl = ["hua", "dong", "ji", "xie"]
    assert typed_score("huadongjixie", syl) == 0.95
    assert typed_score("hdjx", syl) == 0.9
    assert 0.7 < typed_score("huadong", syl) < 0.9
    assert typed_score("dongji", syl) == 0.0  # not at the start
    assert typed_score("", syl) == 0.0


def test_scan_skips_regions(index):
    assert index.scan("华东区的王经理") == []
    (hit,) = [h for h in index.scan("去了趟恒大那边") if h.kind != "core"]
    assert hit.client.name == "恒达科技" and (hit.start, hit.end) == (3, 5)


def test_a_few_thousand_clients_stay_fast():
    rng = random.Random(7)
    chars = "华东恒达金桥南方长城盛世天宇瑞丰中联博远海信宏图锦程明德鑫源蓝天星河百川云帆同创嘉禾"
    suffixes = ["机械", "科技", "物流", "医药", "电气", "重工", "软件", "食品", "建设", "电子"]
    names = {"".join(rng.sample(chars, 2)) + rng.choice(suffixes) for _ in range(6000)}
    clients = [ClientRef(str(i), n, owner_id=f"r{i % 30}") for i, n in enumerate(sorted(names))]
    assert len(clients) > 2500
    start = time.perf_counter()
    big = ClientIndex(clients)
    assert time.perf_counter() - start < 5.0
    start = time.perf_counter()
    for heard in ["花东机械", "恒大科技", "金乔物流", "华南重工", "东方"] * 40:
        big.match(heard, rep_id="r1")
    per_match = (time.perf_counter() - start) / 200
    assert per_match < 0.005
