"""`extract()`: one note in, one structured follow-up record out (rules only, pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from nlp.extract.actions import find_next_action
from nlp.extract.amounts import deal_amount
from nlp.extract.clients import bare_rivals, find_mentions, split_mentions
from nlp.extract.contacts import find_contact
from nlp.extract.dates import AfterHoliday, find_times, warm_up
from nlp.extract.entities import unique
from nlp.extract.model import Catalog, Extraction, missing_fields
from nlp.extract.sentiment import risk_flags, sentiment_of, stated_needs
from nlp.extract.text import normalize, split_clauses
from nlp.names import syllables

SHANGHAI = ZoneInfo("Asia/Shanghai")


def extract(
    text: str,
    *,
    now: datetime,
    catalog: Catalog,
    rep_id: str | None = None,
    tz: ZoneInfo = SHANGHAI,
    after_holiday: AfterHoliday | None = None,
) -> Extraction:
    """Structured follow-up record from a rep's note; dates are read relative to ``now``
    (``after_holiday``: what 节后 means, from the organisation's working calendar)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(tz)
    norm = normalize(text)
    clauses = split_clauses(norm)
    times = find_times(norm, local, clauses, after_holiday)

    # The note's pinyin (~0.3 ms) is shared by the client scan and the product sound match.
    sounds = syllables(norm.lower())
    mentions = find_mentions(norm, catalog.client_index, rep_id, sounds)
    client, rivals, turn = split_mentions(norm, mentions, catalog.competitors)
    listed = catalog.competitor_terms.find(norm)
    found_products = catalog.product_terms.find(norm, skip_negated=True, syl=sounds)
    taken = [(m.start, m.end) for m in mentions] + [(s, e) for s, e, _ in listed + found_products]
    rival_spans = sorted(
        [(s, e, name) for s, e, name in listed]
        + [(m.start, m.end, norm[m.start : m.end]) for m in rivals]
        + [(s, e, norm[s:e]) for s, e in bare_rivals(norm, taken)]
    )
    competitors = tuple(unique([name for _, _, name in rival_spans]))
    spans = [(s, e) for s, e, _ in rival_spans]
    reading = catalog.stage_rules.analyse(norm, clauses, times, spans)
    stage = reading.stage

    amount = deal_amount(norm, spans)
    if amount is not None and amount.is_integer():
        amount = int(amount)
    products = tuple(unique([name for _, _, name in found_products]))
    known: Sequence[str] = ()
    if client.matched and client.client_id is not None:
        ref = catalog.client_index.get(client.client_id)
        known = ref.contacts if ref else ()
    contact = (find_contact(norm[turn:], known) if turn else None) or find_contact(norm, known)
    action = find_next_action(norm, clauses, times)
    action_text = action.text if action else None
    due = action.due if action else None
    return Extraction(
        client=client,
        contact=contact,
        stage=stage,
        amount=amount,
        products=products,
        competitors=competitors,
        next_action=action_text,
        next_action_due=due,
        next_action_at=action.at if action else None,
        sentiment=sentiment_of(
            norm,
            catalog.stage_rules.kind_of(stage),
            clauses=clauses,
            times=times,
            competitor_spans=spans,
            stage_bias=reading.sentiment_bias,
        ),
        risks=tuple(risk_flags(norm, competitors)),
        needs=tuple(stated_needs(norm)),
        missing=missing_fields(client, stage, action_text, due),
    )


def warm_up_extractor(catalog: Catalog | None = None) -> None:
    """Pay jionlp's import and first-parse cost (~0.5 s) at startup instead of on a user."""
    warm_up(datetime.now(SHANGHAI))
    if catalog is not None:
        extract("今天拜访了客户", now=datetime.now(SHANGHAI), catalog=catalog)
