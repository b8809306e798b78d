"""Rules-first extraction of a structured follow-up record from a rep's note.

    catalog = Catalog(clients=[ClientRef("c1", "华东机械", owner_id="u1")], products=[...])
    result = extract("今天拜访了花东机械王经理…", now=message_time, catalog=catalog, rep_id="u1")
    result.to_json()  # the `salesbot parse` contract (CONTRACT_KEYS)

Pure functions over plain data: no database, no network. Build one Catalog per org and reuse it
(its name index and cue patterns are compiled on first use). Call warm_up_extractor() at
startup: jionlp's import and first parse cost ~0.5 s. The optional LLM fill is nlp.llm.
"""

from nlp.extract.core import SHANGHAI, extract, warm_up_extractor
from nlp.extract.entities import ProductRef
from nlp.extract.model import CONTRACT_KEYS, REQUIRED_FIELDS, Catalog, Extraction
from nlp.extract.stages import StageDef, default_stages, with_cues
from nlp.names import Alternative, ClientIndex, ClientMatch, ClientRef

__all__ = [
    "CONTRACT_KEYS",
    "REQUIRED_FIELDS",
    "SHANGHAI",
    "Alternative",
    "Catalog",
    "ClientIndex",
    "ClientMatch",
    "ClientRef",
    "Extraction",
    "ProductRef",
    "StageDef",
    "default_stages",
    "extract",
    "warm_up_extractor",
    "with_cues",
]
