"""Approver references → people, relative to the requester. Pure: plain config people in, ids out.

``supervisor`` is the nearest person up the requester's chain, ``supervisor+N`` N rungs higher.
A managing role (``manager``, ``director``) is the nearest person up the chain holding at least
that rank — a south rep with no regional manager goes straight to the director. Other roles
(``legal``, ``finance``, ``admin``) are everyone holding the role, any one of whom may decide.
A person id is that person.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.config.org import ROLE_LABELS, Person, Role

# Rank of the managing roles: "at least a manager" is a manager or a director.
RANK: dict[Role, int] = {Role.supervisor: 1, Role.manager: 2, Role.director: 3}
_RELATIVE = re.compile(r"^supervisor(?:\+(\d+))?$")


def is_known_ref(ref: str, person_ids: set[str]) -> bool:
    return bool(_RELATIVE.match(ref)) or ref in Role.__members__ or ref in person_ids


def chain_of(requester: Person, by_id: Mapping[str, Person]) -> list[Person]:
    """Supervisors from the nearest up (a loop stops the walk; config checks report loops)."""
    out: list[Person] = []
    current = by_id.get(requester.supervisor) if requester.supervisor else None
    while current is not None and current not in out and current.id != requester.id:
        out.append(current)
        current = by_id.get(current.supervisor) if current.supervisor else None
    return out


def resolve_ref(ref: str, requester: Person, people: Sequence[Person]) -> tuple[str, ...]:
    """Person ids ``ref`` names for ``requester`` (any one of them may decide); empty when none.

    The requester never approves their own request, so they are left out of every result.
    """
    by_id = {p.id: p for p in people}
    relative = _RELATIVE.match(ref)
    if relative:
        chain = chain_of(requester, by_id)
        rung = int(relative[1] or 0)
        return (chain[rung].id,) if rung < len(chain) else ()
    if ref in Role.__members__:
        role = Role(ref)
        if role in RANK:
            chain = chain_of(requester, by_id)
            found = next((p for p in chain if RANK.get(p.role, 0) >= RANK[role]), None)
            return (found.id,) if found else ()
        return tuple(p.id for p in people if p.role is role and p.id != requester.id)
    if ref in by_id and ref != requester.id:
        return (ref,)
    return ()


def describe_ref(ref: str) -> str:
    """How a reference reads to a person: 直属上级, 上级的上级, 经理, or the id itself."""
    relative = _RELATIVE.match(ref)
    if relative:
        rung = int(relative[1] or 0)
        return "直属上级" if rung == 0 else f"直属上级往上第 {rung} 级"
    if ref in Role.__members__:
        return ROLE_LABELS[Role(ref)]
    return ref
