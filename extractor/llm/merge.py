"""Apply a model's choices to the rules' rows, never worse than the rules:

- every author the rules (or the listing, through extraction) found stays, in order;
- a confident rules answer (`candidates.is_confident`) is never replaced; a model that picks
  another record for it only flags the row ``rules_llm_disagree``;
- the model may link lines to an author the layout reader left without one, pick a record among
  an unsettled line's candidates, or fill what the rules left empty (a free-text institution that
  the registry knows, else the model's country, flagged ``llm_ungrounded``);
- a printed address still decides the country.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from ..flags import CLEARED_BY_LLM, Flag
from ..normalize import affiliation_row, with_country_flag
from ..normalize.rules import RuleMatcher, clean_affiliation
from ..records import AffiliationMatch, AuthorAffiliation, NormalizedPaper, Source
from ..registry.countries import country_from_address
from ..registry.text import normalize_name
from .candidates import acronyms, clean_line, is_confident
from .choose import NONE, ChoiceRequest, Choices, Line, LineChoice
from .grounding import UNGROUNDED_CONFIDENCE, llm_country

PICK_CONFIDENCE = 0.8  # a record the model chose among the candidates (rules' exact matches: 0.95)
# A pick is taken only when it is the rules' own record or one of the alternatives they weighed,
# a record an acronym of the line names ("KAIST Vision"), or a record whose name is this similar to the
# printed line (rapidfuzz token_sort_ratio of the normalized strings, 0-100). Chosen on the dev sets
# (PMLR silver sample + modern dev pages, the lines `auto` asks about): every wrong candidate there
# scored <= 66 ("ET International" for "BNU-HKBU United International College"; token_set_ratio
# gave wrong candidates up to 88), every right one with the same name 100.
PICK_MIN_SIMILARITY = 70.0


def apply_choices(
    request: ChoiceRequest, choices: Choices, rules: NormalizedPaper, matcher: RuleMatcher
) -> NormalizedPaper:
    decided = {
        line.label: decide_line(line, choices.lines[line.label], matcher)
        for line in request.asked_lines
        if line.label in choices.lines
    }
    rows: list[AuthorAffiliation] = []
    for row in rules.rows:
        author = next(a for a in request.authors if a.index == row.author_index)
        links = choices.authors.get(author.label) or []
        if row.affiliation_index == 0 and links:
            matches = [m for link in links for m in _line_matches(request.line(link), decided)]
            if not _agrees_with_email(row.match, matches):  # the e-mail named another institution or country
                rows.append(row.model_copy(update={"flags": [*row.flags, Flag.RULES_LLM_DISAGREE]}))
                continue
            for position, linked in enumerate(matches, start=1):
                rows.append(affiliation_row(row.author_index, row.author, position, linked, Source.LLM))
            continue
        label = request.label_of(row.match.affiliation) if row.affiliation_index > 0 else None
        choice = choices.lines.get(label) if label else None
        if label is None or choice is None:
            rows.append(row)
        elif is_confident(row.match):
            if choice.id not in (NONE, row.match.ror_id):
                rows.append(row.model_copy(update={"flags": [*row.flags, Flag.RULES_LLM_DISAGREE]}))
            else:
                rows.append(row)
        elif (match := decided.get(label)) is not None:
            row_flags: list[Flag] = [f for f in row.flags if f == Flag.RULES_LLM_DISAGREE]
            if row.match.ror_id and match.ror_id and match.ror_id != row.match.ror_id:
                row_flags.append(Flag.RULES_LLM_DISAGREE)
            rows.append(
                affiliation_row(row.author_index, row.author, row.affiliation_index, match, Source.LLM, row_flags)
            )
        else:
            rows.append(row)
    if rows == rules.rows:
        return rules
    paper_flags: list[Flag] = [f for f in rules.flags if f not in CLEARED_BY_LLM or f == Flag.NO_AUTHORS_FOUND]
    if Flag.NO_AFFILIATIONS_FOUND in rules.flags and not any(r.affiliation_index for r in rows):
        paper_flags.append(Flag.NO_AFFILIATIONS_FOUND)
    return rules.model_copy(update={"rows": rows, "flags": with_country_flag(paper_flags, rows)})


def _line_matches(line: Line, decided: dict[str, AffiliationMatch | None]) -> list[AffiliationMatch]:
    """What a line linked to an author gives it: the model's decision, else the rules' rows."""
    chosen = decided.get(line.label)
    return [chosen] if chosen is not None else line.matches


def decide_line(line: Line, choice: LineChoice, matcher: RuleMatcher) -> AffiliationMatch | None:
    """The model's answer for one unsettled line as a match, or None: keep the rules'."""
    if line.settled:
        return None
    address = country_from_address(clean_affiliation(line.text))
    if choice.id != NONE and _plausible(line, choice.id, matcher):
        org = matcher.registry.by_id(choice.id)
        if org is not None:
            flags = [Flag.COUNTRY_FROM_HQ] if not address and org.primary_type == "company" else []
            return AffiliationMatch(
                affiliation=line.text,
                institution=org.name,
                ror_id=org.ror_id,
                country=address or org.country,
                org_type=org.primary_type,
                confidence=PICK_CONFIDENCE,
                flags=flags,
            )
    if line.rules.ror_id:  # ambiguous or low-confidence record: only a candidate pick replaces it
        return None
    if choice.institution:
        named = matcher.match(choice.institution)
        if named.ror_id and is_confident(named) and _plausible_name(line, named.institution):
            return named.model_copy(
                update={
                    "affiliation": line.text,
                    "country": address or named.country,
                    "confidence": min(named.confidence, PICK_CONFIDENCE),
                }
            )
    country = llm_country(choice.country)
    if not line.rules.country and country:
        return line.rules.model_copy(
            update={
                "country": country,
                "confidence": UNGROUNDED_CONFIDENCE,
                "flags": [*line.rules.flags, Flag.LLM_UNGROUNDED],
            }
        )
    return None


def _plausible(line: Line, ror_id: str, matcher: RuleMatcher) -> bool:
    """The rules' own record or alternative, the one record an acronym of the line names, or a similar name."""
    if ror_id == line.rules.ror_id or any(ror_id in a for o in line.rules.organizations for a in o.alternatives):
        return True
    for word in acronyms(line.text):  # an acronym that names one record only ("KAIST"; not "OSU")
        named = matcher.registry.by_acronym(word)
        if len(named) == 1 and named[0].ror_id == ror_id:
            return True
    candidate = next((c for c in line.candidates if c.ror_id == ror_id), None)
    return candidate is not None and _plausible_name(line, candidate.name)


def _plausible_name(line: Line, name: str) -> bool:
    return similarity(line.text, name) >= PICK_MIN_SIMILARITY


def similarity(printed: str, name: str) -> float:
    return fuzz.token_sort_ratio(normalize_name(clean_line(printed)), normalize_name(name))


def _agrees_with_email(rules_match: AffiliationMatch, matches: list[AffiliationMatch]) -> bool:
    """Lines linked to an author the rules placed only by e-mail must not contradict it: one of them
    is the e-mail's institution, or (without one) in the e-mail's country."""
    if rules_match.ror_id:
        return any(m.ror_id == rules_match.ror_id for m in matches)
    if rules_match.country:
        return any(m.country == rules_match.country for m in matches)
    return True
