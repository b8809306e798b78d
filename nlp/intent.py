"""Is a plain text a visit note, a request, or chit-chat? (rules, pure, no I/O)

    guess = classify("华东本月漏斗怎么样", catalog=catalog)
    guess.kind, guess.topic, guess.confidence  # request, funnel, 0.9
    if guess.confidence < UNSURE: ask the user once whether it is a visit note

Cues are weighed, not looked up: visit narration (拜访/聊了), reported speech of someone on the
client's side (王经理说, 客户问…), what the rep did or promised, dated next steps, amounts, a
contact with a title and length speak for a note; a request topic (漏斗, 激励, 待办 …), a
question or imperative form and shortness speak for a request. A question the *client* asked
(客户问能不能再降5%) is narration, so question forms count only when nobody is quoted.
A lost note is a lost visit, so a request must clearly outweigh the note cues to be confident;
close calls come back below UNSURE and the caller asks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from nlp import intent_cues as cues
from nlp.extract.amounts import find_amounts
from nlp.extract.clients import find_mentions
from nlp.extract.contacts import find_contact
from nlp.extract.model import Catalog
from nlp.extract.text import normalize
from nlp.names import syllables

UNSURE = 0.6
_EMPTY_CATALOG = Catalog()  # immutable; company-shaped names are still found without clients
_SHORT = 12  # characters: requests are usually this short, notes rarely are
_LONG = 22


class Kind(StrEnum):
    note = "note"
    request = "request"
    chat = "chat"


class Topic(StrEnum):
    funnel = "funnel"
    conversion = "conversion"
    dwell = "dwell"
    ranking = "ranking"
    stall = "stall"
    forecast = "forecast"
    heatmap = "heatmap"
    export = "export"
    incentive = "incentive"
    brief = "brief"
    tasks = "tasks"
    approvals = "approvals"
    help = "help"
    status = "status"


@dataclass(frozen=True)
class IntentGuess:
    kind: Kind
    topic: Topic | None  # for requests: what is asked for
    confidence: float  # 0..1; below UNSURE the caller asks the user once
    reasons: tuple[str, ...]  # short English tags of the cues that decided
    subject: str = ""  # for brief requests: the client name/words asked about


def confident(guess: IntentGuess | None, kind: Kind) -> bool:
    """Whether ``guess`` is sure enough that the text is of ``kind`` to act on it unasked."""
    return guess is not None and guess.kind is kind and guess.confidence >= UNSURE


@dataclass(frozen=True)
class _Clients:
    named: tuple[str, ...]  # client (or company-shaped) names as typed


def _clients(norm: str, catalog: Catalog) -> _Clients:
    mentions = find_mentions(norm, catalog.client_index, None, syllables(norm.lower()))
    heard = (norm[m.start : m.end] for m in mentions)
    # 华东 in 华东本月漏斗 is a sales region, not the core of 华东机械.
    return _Clients(tuple(h for h in heard if not cues.REGION.match(h)))


def _is_chitchat(norm: str) -> bool:
    if not cues.CHAT_FILLER.sub("", norm):
        return True  # emoji and punctuation only: 👍 🙏🙏
    addressed = cues.ADDRESSEE.sub("", norm)
    without = cues.CHAT_WORDS.sub("", addressed)
    if without == addressed:
        return False
    return not cues.CHAT_FILLER.sub("", without)


def _greeting_only(norm: str, n_score: float, topic: Topic | None) -> bool:
    """您好，我是新来的小李: a greeting with a short self-introduction and nothing else;
    您好，今天去了华东机械 has narration and stays a note."""
    rest = cues.CHAT_FILLER.sub("", cues.CHAT_WORDS.sub("", norm))
    return bool(cues.GREETING_START.match(norm)) and len(rest) <= 10 and n_score < 2 and not topic


def _confidence(margin: float) -> float:
    """A margin of cue weight mapped to 0..1; 0 is a coin toss, 3 is about 0.9."""
    return round(1 / (1 + math.exp(-margin / 1.3)), 3)


def _note_cues(norm: str, clients: _Clients) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    if cues.RECORD_THIS.search(norm):
        found.append(("asked to record", 3.0))
    if cues.NARRATION.search(norm):
        found.append(("narration", 2.5))
    if cues.REPORTED.search(norm):
        found.append(("reported speech", 2.5))
    if cues.WE_DID.search(norm):
        found.append(("rep's own step", 1.5))
    events = len(set(cues.DEAL_EVENT.findall(norm)))
    if events:
        found.append(("deal event", min(events, 3) * 0.8))
    if cues.NEXT_STEP.search(norm):
        found.append(("dated next step", 1.5))
    if find_amounts(norm):
        found.append(("amount", 2.0))
    if find_contact(norm):
        found.append(("contact", 1.5))
    if clients.named:
        found.append(("client named", 0.7))
    if len(norm) >= _LONG:
        found.append(("long", 1.0 + min(len(norm) - _LONG, 40) / 20))
    return found


def _unknown_subject(norm: str) -> bool:
    """帮我查下青山建材: a brief on a name the catalogue does not know."""
    rest = cues.SUBJECT_NOISE.sub("", norm)
    return (
        bool(cues.LOOK_UP.search(norm))
        and 2 <= len(rest) <= 12
        and not cues.NOT_A_NAME.search(rest)
    )


def _topic(norm: str, clients: _Clients, asking: bool) -> Topic | None:
    for name, pattern in cues.TOPICS:
        if pattern.search(norm):
            if name == "brief" and not clients.named and not _unknown_subject(norm):
                continue  # 情况/怎么样 alone name no client to brief on
            return Topic(name)
    if clients.named and asking:
        return Topic.brief  # 帮我查下恒达科技 / 星河地产？
    return None


def _request_cues(norm: str, topic: Topic | None, reported: bool) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    if topic is not None:
        strong = topic in cues.SELF_STANDING
        found.append((f"topic {topic.value}", 2.5 if strong else 1.5))
    if not reported:
        # A question inside reported speech is the client's, not one asked of the bot.
        if cues.QUESTION.search(norm):
            found.append(("question form", 1.5))
        if cues.IMPERATIVE.search(norm):
            found.append(("imperative", 1.5))
    if len(norm) <= _SHORT:
        found.append(("short", 1.0))
    return found


def _subject(norm: str, clients: _Clients) -> str:
    if clients.named:
        return clients.named[0]
    return cues.SUBJECT_NOISE.sub("", norm)[:20]


def classify(text: str, *, catalog: Catalog | None = None) -> IntentGuess:
    """Note, request (with its topic) or chat, with a confidence and the cues that decided."""
    norm = normalize(text)
    if not norm or _is_chitchat(norm):
        return IntentGuess(Kind.chat, None, 0.9 if norm else 0.99, ("small talk",))
    clients = _clients(norm, catalog or _EMPTY_CATALOG)
    note = _note_cues(norm, clients)
    reported = any(tag == "reported speech" for tag, _ in note) or bool(
        cues.ASKED_BY_CLIENT.search(norm)
    )
    asking = bool(cues.QUESTION.search(norm) or cues.IMPERATIVE.search(norm)) and not reported
    topic = _topic(norm, clients, asking)
    request = _request_cues(norm, topic, reported)
    n_score = sum(w for _, w in note)
    r_score = sum(w for _, w in request)
    if _greeting_only(norm, n_score, topic):
        return IntentGuess(Kind.chat, None, 0.75, ("greeting", "no note cues"))
    bare = clients.named and not cues.CHAT_FILLER.sub("", "".join(norm.split(clients.named[0])))
    if bare and len(clients.named) == 1 and not cues.QUESTION.search(norm):
        # "金桥物流" alone: a brief asked for without a command, or a note cut short; ask.
        return IntentGuess(Kind.request, Topic.brief, 0.5, ("bare client name",), clients.named[0])
    asked_for = any(tag in ("question form", "imperative") for tag, _ in request)
    formed = asked_for or any(tag == "short" for tag, _ in request)
    if topic is not None and r_score > n_score and (formed or n_score == 0):
        # Each note cue also caps how sure a request can be: prefer asking over a lost note.
        long = any(tag == "long" for tag, _ in note)
        margin = r_score - n_score - (1.0 if n_score >= 2.5 or long else 0.0)
        subject = _subject(norm, clients) if topic is Topic.brief else ""
        reasons = tuple(tag for tag, _ in request) + tuple(f"against: {t}" for t, _ in note)
        return IntentGuess(Kind.request, topic, _confidence(margin), reasons, subject)
    if not note and cues.CHAT_WORDS.search(norm):
        return IntentGuess(Kind.chat, None, 0.7, ("small talk", "no note cues"))
    if not note:
        # Nothing a note or a request is made of: an unknown short remark; ask.
        return IntentGuess(Kind.note, None, 0.4, ("no cues",))
    # A question or an order with no topic still weighs against the note (王经理那个单子怎么样了):
    # the caller asks rather than drafting a card from it.
    # Shortness alone is no evidence against a note (瑞丰食品今天验收通过了).
    against = r_score if topic is not None or asked_for else 0.0
    reasons = tuple(tag for tag, _ in note)
    if against:
        reasons += tuple(f"against: {t}" for t, _ in request)
    return IntentGuess(Kind.note, None, _confidence(n_score - against), reasons)
