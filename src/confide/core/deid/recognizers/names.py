"""Person names (NAME): first names, surnames, nicknames, initials, in any case.

Evidence, strongest first:
- context: a title before ("Dr.", "Pastor"), a credential after (", LCSW"), a relation
  word before ("her sister Rose", "son KEVIN"), a field label ("Client:", "Caller:"),
  a speaker label at a line start, an age after ("Walt (78)"), initials ("K.T.");
- the word lists: the 1990 US Census given names and surnames, minus ordinary English
  words (SCOWL), which need context;
- in mixed-case notes, capitalisation: a capitalised word that is no English word, no
  drug, no place is most likely a name;
- the note itself: a word found as a name once is a name everywhere in the note.
In ALL-CAPS and all-lower notes capitalisation says nothing, so the lists and the context
carry the weight; a name that is also a word ("WILL", "HOPE") needs context there.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..data.clinical import ABBREVIATIONS
from ..document import Document, Token
from ..spans import Span
from .base import Recognizer

LABELS = set("""
client patient pt name caller re clinician therapist provider counselor signed parent parents guardian guardians
participants participant attendees present cc referred referral emergency contact supervisor supervisee writer
author spouse partner facilitator co-facilitator cofacilitator interpreter prepared reviewed student child youth
member members ip resident caregiver collateral attn mother father mom dad son daughter sister brother husband
wife grandmother grandfather aunt uncle teacher coach psychiatrist pcp physician doctor manager worker caseworker
sponsor friend clients couple family identified by with between for to
witness attorney petitioner respondent plaintiff defendant claimant examiner examinee attending judge typist
dictated transcribed notary officer deputy
""".split())
FIELD_WORDS = set("""
dob mrn age date dos sex gender phone tel fax email e-mail address ins insurance member id ssn grade school time
session duration location modality cpt dx diagnosis icd npi license lic case claim auth plan payer medicaid medicare
program unit room rm pronouns language relation relationship of and
""".split())
NAME_PREPS = {"with", "and", "to", "for", "from", "told", "asked", "tell", "ask", "saw", "see", "called", "texted",
              "emailed", "about", "by", "named", "call", "text", "email", "visit", "visited", "met", "meet", "per"}
REPORT_VERBS = set("""
reports reported report said says states stated shared shares denies denied endorses endorsed agreed agrees arrived
attended presented presents described describes noted notes called calls texted came went skipped missed asked asks
wants wanted feels felt has had is was and appeared appears identified identifies explained explains admitted admits
responded responds continues continued expressed expresses acknowledged acknowledges returned returns tried tries
declined declines became becomes got gets left leaves laughed cried yelled smiled nodded began begins will would can
could did does doesn't didn't isn't wasn't brought brings gave gives told tells
""".split())
# in capitals, words that introduce a person by name ("SPOKE WITH HALVARD", "HI OSKAR")
CAPS_NAME_CUES = {"called", "named", "hi", "hello", "dear", "thanks", "with", "says", "per", "by", "kid", "son",
                  "daughter", "spoke", "told", "asked", "met", "saw", "tell", "ask", "visited", "from", "at", "mentioned",
                  "mentions", "named", "texted", "emailed"}
CAPS_REPORT_VERBS = {"said", "says", "reports", "reported", "states", "stated", "told", "asked", "called", "began",
                     "explained", "denies", "denied", "agreed", "agrees", "had", "has", "was", "is", "will", "lives",
                     "lived", "wrote", "writes", "came", "went", "feels", "felt", "wants", "wanted"}
WORDLIKE_TITLES = {"sister", "brother", "father", "uncle", "auntie", "nurse", "counselor", "supervisor", "principal",
                   "coach", "agent", "chief", "elder", "deacon", "bishop", "officer", "judge", "detective", "captain",
                   "sergeant", "lieutenant", "professor", "doctor", "pastor", "imam", "rabbi", "trooper", "deputy",
                   "attorney", "madam", "sir"}
_MONTH_STEMS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_MONTH_WORD_RE = re.compile(r"^(?:january|february|march|april|may|june|july|august|september|october|november|december"
                            r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)$")
DATE_AFTER_RE = re.compile(r"\.?,?\s{0,2}(?:\d{1,2}(?:st|nd|rd|th)?\b|(?:19|20)\d\d\b)", re.I)
SEASONS = {"spring", "summer", "fall", "autumn", "winter"}
PRONOUNS = {"he", "she", "they", "we", "i", "you", "it", "who", "that", "which", "this", "there", "one"}
AFTER_MODAL_NAME = {"at", "in", "on", "to", "with", "for", "from", "and", "or", "is", "was", "has", "had", "the",
                    "about", "as", "but", "who", "that", "when", "if", "by", "today", "yesterday", "tomorrow", "again",
                    "now", "later", "this", "last", "since", "over", "after", "before"}
PARTICLES = {"de", "del", "della", "da", "dos", "das", "di", "du", "van", "von", "der", "den", "ter", "bin", "ibn",
             "al", "el", "le", "la", "mac", "st"}
INITIALS_RE = re.compile(r"(?<![\w.])((?:[A-Z]\.\s?){2,5})(?![\w])")
SINGLE_INITIAL_RE = re.compile(r"(?<![\w.])([A-Z])\.(?=\s+[A-Z])")
TRAILING_INITIAL_RE = re.compile(r"^ ([A-Z])\.(?!\w)")
NOT_INITIALS = {"AM", "PM", "US", "EG", "IE", "MD", "RN", "BA", "MA", "MS", "NP", "PA", "DO", "DC", "AD", "BC", "ER",
                "OT", "PT", "LA", "NY", "UK", "PO", "SO", "NA", "AA", "PHD", "BS", "BSN", "MSN", "DDS", "JD", "MSW",
                "USA", "ED", "OR", "ICU", "ETC", "VS", "AKA", "ASAP", "RSVP", "ID", "IV", "IM", "PO", "QD",
                # legal citations: United States Code, Code of Federal Regulations, state codes
                "USC", "USCA", "CFR", "RCW", "WAC", "ORS", "NRS", "ILCS", "PL", "FR", "CCR", "NYCRR", "OAR"}
LONE_INITIAL_RE = re.compile(r"(?<![\w.])[A-Z]\.(?=,\s+[a-z]|\s*\((?:another|a|the|her|his|group|member|peer)\b|\s+(?:and|or|&)\s+[A-Z]|['’]s\s+[a-z]"
                             r"|\s+(?:reported|reports|said|says|shared|shares|stated|states|withdraws|withdrew|agreed|agrees|disclosed|discloses|asked|asks|was|is|has|had|did|does|felt|feels|wants|wanted|called|texted|left|came|went|choked|hit|yelled)\b)")
SPEAKER_RE = re.compile(r"(?m)^[ \t]*([A-Z]{1,2}):[ \t]")
TYPIST_RE = re.compile(r"(?m)^[ \t]*([A-Za-z]{2,3})[ \t]*[/:][ \t]*([A-Za-z]{2,3})[ \t]*$")
CLOSING_RE = re.compile(r"(?im)^[ \t]*(?:sincerely|thank you|thanks|best|regards|respectfully|warmly|cordially|yours truly"
                        r"|best regards|kind regards|with gratitude|take care)[,.!]?[ \t]*\n(?:[ \t]*\n)?([^\n]{1,40})$")
INITIALS_LINE_RE = re.compile(r"[-—–~]?\s*(?:[A-Za-z]\.\s?){2,3}|[-—–~]?\s*[A-Za-z]{2,3}")
SIGNATURE_RE = re.compile(r"(?m)(?:^|\s)[-—–~]\s?([A-Za-z]{2,3})\s*$")
GLUED_TITLE_RE = re.compile(r"(?<![\w.])(?:Dr|Mr|Mrs|Ms|Mx)\.?([A-Z][a-z]{2,})(?![\w-])")
# "-susan", "thanks -- caspian", "> - tiberius": one word after a dash, ending its line
SIGN_OFF_WORD_RE = re.compile(r"(?m)(?<!\S)[-—–~]{1,2}[ \t]?([A-Za-z][a-z'’]{2,}|[A-Z][A-Za-z'’]{2,})[ \t]*$")
# a nurse signs with a first name beside the credential, often lower-case: "luis RN", "-- colleen rn",
# "by shawna RN, read back", "RN: anh", "report given to oncoming RN jess."
CRED_SIGN_RES = (
    re.compile(r"(?<![\w'’/-])([A-Za-z][a-z]{1,11}|[A-Z]{2,12}),?[ \t]+(?:RN|rn|Rn|LPN|lpn|CNA)\b(?![/-]\w)"),
    re.compile(r"\b(?:RN|rn|LPN|lpn)[ \t]*:?[ \t]+([A-Za-z][a-z]{1,11}|[A-Z]{2,12})(?=[ \t]*(?:$|[,.;)]))", re.M),
)
# "transcribed 2/15 by kd", "typed by: jm": a typist's initials
TYPED_BY_RE = re.compile(r"(?i:\b(?:transcribed|typed|keyed|entered|dictated)\b[^.\n]{0,24}?\bby:?[ \t]+)([a-z]{2,3}|[A-Z]{2,3})(?![\w]|\.\w)")
# a dictation's footer: "D: 2/10/25 T: 2/11/25 hc" (dictated, transcribed, the typist's initials)
DICTATION_FOOTER_RE = re.compile(r"(?im)\bT:\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?\s+([A-Za-z]{2,3})[ \t]*$")
# "SIGNED: GARDNER, K. DO", "Lindgren, T., MD": the initial after a surname before a credential
SURNAME_INITIAL_CRED_RE = re.compile(r",[ \t]+([A-Za-z])\.?,?[ \t]+([A-Za-z]{2,6})\b")
WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z'’-]{2,})$")
AGE_AFTER_RE = re.compile(r"^(?:\s*\(\d{1,2}\)|,\s*\d{1,2}(?:\s*[,;·|)]|\s+(?:y|yo|y/o|year|years)\b))")


class NameRecognizer(Recognizer):
    name = "person_name"
    types = ("NAME",)

    def analyze(self, doc: Document) -> list[Span]:
        tokens = doc.tokens
        if not tokens:
            return []
        state = _Scores(len(tokens))
        for i, t in enumerate(tokens):
            s, why = self._lexical(doc, t)
            if s:
                state.mark(i, s, why)
        self._context(doc, state)
        if doc.all_caps:
            self._caps_evidence(doc, state)
        for i, t in enumerate(tokens):  # "Jan. 28", "June 5th", "MAY 2023": a month, not a name
            if state.score[i] and t.base[:3] in _MONTH_STEMS and _MONTH_WORD_RE.match(t.base) and DATE_AFTER_RE.match(doc.text, t.end):
                state.score[i] = 0.0
        initials = self._initials(doc, state)
        spans = self._build(doc, state)
        # the note's own evidence: a name once is a name everywhere in it
        strong = {tokens[i].base for sp in spans if sp[2] >= 0.7 for i in range(sp[0], sp[1] + 1)
                  if len(tokens[i].base) >= 2}
        if strong:
            covered = {i for sp in spans for i in range(sp[0], sp[1] + 1)}
            for i, t in enumerate(tokens):
                if i in covered or t.base not in strong or state.score[i] >= 0.7:
                    continue
                if self._propagation_ok(doc, i):
                    state.mark(i, 0.7, "the same word is a name elsewhere in this note")
            spans = self._build(doc, state)
        out = []
        for first, last, score, why, kind in spans:
            start, end = tokens[first].start, tokens[last].end
            if tokens[last].possessive:
                end -= 2
            start, end = self._with_initials(doc, start, end, initials)
            out.append(self.span(start, end, kind, why, score))
        for s, e in initials["standalone"]:
            out.append(self.span(s, e, "NAME", "initials (K.T.)", 0.7))
        if doc.cased:
            for m in LONE_INITIAL_RE.finditer(doc.text):
                out.append(self.span(m.start(), m.end(), "NAME", "a single initial used as a name ('K., shoved', 'R. (another')", 0.55))
        for m in SIGNATURE_RE.finditer(doc.text):
            if not lexicon.is_not_identifier(m.group(1)) and not lexicon.is_common_word(m.group(1), 20):
                out.append(self.span(m.start(1), m.end(1), "NAME", "initials signing off a note", 0.6))
        for m in (m for r in CRED_SIGN_RES for m in r.finditer(doc.text)):
            if _signing_word(m.group(1)):
                out.append(self.span(m.start(1), m.end(1), "NAME", "a name signing beside a nurse's credential", 0.7))
        for m in GLUED_TITLE_RE.finditer(doc.text):
            if not lexicon.is_not_identifier(m.group(1).lower()):
                out.append(self.span(m.start(1), m.end(1), "NAME", "a name glued to its title ('DrSmith')", 0.75))
        out.extend(self._speakers(doc))
        out.extend(self._sign_offs(doc))
        return _extend_left(doc, _drop_brand_words(doc, out))

    def _speakers(self, doc: Document) -> list[Span]:
        """Dialogue: one- or two-letter speaker labels at line starts ("T:", "M:"), when a label
        comes back (a SOAP note's "S:", "O:", "A:", "P:" come once each)."""
        found = [(m.start(1), m.end(1), m.group(1)) for m in SPEAKER_RE.finditer(doc.text)]
        if len(found) < 3:
            return []
        counts: dict[str, int] = {}
        for _, _, label in found:
            counts[label] = counts.get(label, 0) + 1
        if max(counts.values()) < 2 or len(counts) < 2:
            return []
        return [self.span(s, e, "NAME", "a speaker label in a dialogue", 0.7) for s, e, label in found
                if label not in ("Q", "A") and counts[label] >= 1]

    def _sign_offs(self, doc: Document) -> list[Span]:
        """Typist's initials ("lt/mk") and the line after a closing ("Thank you,\nM.P.")."""
        out = []
        text = doc.text
        tail = max(0, len(text.rstrip()) - 160)  # a letter's last lines
        for m in TYPIST_RE.finditer(text):
            if all(not lexicon.is_common_word(g.lower(), 20) and not lexicon.is_clinical(g) for g in m.groups()) or (
                    m.start() >= tail and text[m.start():m.end()].strip().count("/") == 1):
                for g in (1, 2):
                    out.append(self.span(m.start(g), m.end(g), "NAME", "typist's initials after a letter", 0.7))
        for m in CRED_INITIALS_RE.finditer(text):  # "-- Ines Lund, RN / il": the writer's initials after the credential
            if m.group(1).lower() in lexicon.CREDENTIALS and not lexicon.is_not_identifier(m.group(2)):
                out.append(self.span(m.start(2), m.end(2), "NAME", "initials after a signature's credential", 0.75))
        for m in (TYPED_BY_RE.finditer(text) if "by" in text.lower() else ()):
            if not lexicon.is_common_word(m.group(1).lower(), 20) or m.group(1).islower():
                out.append(self.span(m.start(1), m.end(1), "NAME", "typist's initials after 'transcribed by'", 0.7))
        for m in (DICTATION_FOOTER_RE.finditer(text) if "T:" in text or "t:" in text else ()):
            out.append(self.span(m.start(1), m.end(1), "NAME", "typist's initials in a dictation's footer", 0.7))
        for m in SIGN_OFF_WORD_RE.finditer(text):
            w = m.group(1)
            base = w.lower().rstrip("'’")
            if lexicon.is_not_identifier(base) or lexicon.is_clinical(base) and not lexicon.is_first_name(base):
                continue
            if lexicon.is_first_name(base) and not lexicon.word_sense_dominates(base) or lexicon.word_level(base) is None:
                out.append(self.span(m.start(1), m.end(1), "NAME", "a name signing off a message after a dash", 0.7))
        for m in SURNAME_INITIAL_CRED_RE.finditer(text):
            if m.group(2).lower() not in lexicon.CREDENTIALS:
                continue
            word = WORD_BEFORE_RE.search(text, max(0, m.start() - 40), m.start()) if m.start() >= 3 else None
            if word and not lexicon.is_common_word(word.group(1).lower(), 30):
                out.append(self.span(m.start(1), m.end(1), "NAME", "an initial after a surname, before a credential", 0.7))
        for m in CLOSING_RE.finditer(text):
            line = m.group(1)
            s = m.start(1)
            if INITIALS_LINE_RE.fullmatch(line.strip()):
                s2 = s + len(line) - len(line.lstrip())
                out.append(self.span(s2, s2 + len(line.strip()), "NAME", "initials signing off a letter", 0.75))
        return out

    # ---- evidence from the word itself -------------------------------------------------
    def _lexical(self, doc: Document, t: Token) -> tuple[float, str]:
        score, why = self._word_evidence(doc, t)
        if score and _eponym(doc, t):
            return 0.0, ""
        return score, why

    def _word_evidence(self, doc: Document, t: Token) -> tuple[float, str]:
        b = t.base
        if len(b) < 2 or _not_a_name_word(b):
            return 0.0, ""
        level = lexicon.word_level(b)
        common = lexicon.word_sense_dominates(b)
        first = b in lexicon.first_names()
        last_rank = lexicon.last_names().get(b)
        place = _is_place(b)
        if doc.cased:
            if t.upper:
                if (first or last_rank) and not common and not place and len(b) >= 4:
                    return 0.6, "given name or surname (Census list) in capitals"
                return 0.0, ""
            if not t.cap:
                return 0.0, ""
            if common:
                return 0.0, ""
            if first:
                return (0.55 if place else 0.75 if t.sent_start else 0.8), "given name (Census list)"
            if last_rank:
                if level is not None:
                    return 0.5, "surname (Census list) that is also a rare word"
                return (0.5 if place else 0.65 if t.sent_start else 0.7), "surname (Census list)"
            if level is None and not place and _name_like_spelling(t.text) and not _after_article(doc, t):
                return (0.45 if t.sent_start else 0.6), "capitalised word that is no English word, drug or place"
            return 0.0, ""
        # ALL CAPS or all lower: the lists, and words no dictionary knows
        if common:
            return 0.0, ""
        if len(b) < 3 or (len(b) == 3 and doc.all_caps):
            return 0.0, ""
        if place:
            # many towns carry a given name ("CHARLOTTE", "GARY"): a name unless it follows "in", "to" ...
            prev = doc.prev(t.index)
            if first and lexicon.first_names()[b] >= 0.01 and not (prev is not None and prev.lower in lexicon.PLACE_PREPOSITIONS):
                return 0.55, "given name (Census list) that is also a town"
            return 0.0, ""
        if first:
            return 0.7, "given name (Census list)"
        if last_rank and level is None and len(b) >= 4:
            return 0.5, "surname (Census list)"
        if doc.all_caps and level is None and len(b) >= 4 and _unknown_name_shape(t.text):
            # below the bar on its own: in capitals most unknown words are clinical jargon, so
            # it becomes a name only with evidence around it (a title, a given name beside it,
            # "LAST, FIRST", a relation word, a signature), which the context rules add
            return 0.45, "word no dictionary knows, in capitals"
        return 0.0, ""

    # ---- evidence from around the word -------------------------------------------------
    def _context(self, doc: Document, st: "_Scores") -> None:
        tokens = doc.tokens
        text = doc.text
        n = len(tokens)
        for i, t in enumerate(tokens):
            b = t.base
            nxt = tokens[i + 1] if i + 1 < n else None
            # titles: "Dr. Ugwuanyi", "MR. GRONDAHL", "Pastor Ezekiel Ndirangu"
            if b in lexicon.TITLES and nxt is not None and (t.cap or t.upper or not doc.cased or (
                    b in ("dr", "mr", "mrs", "ms") and text[t.end:t.end + 1] == ".")) and doc.between(t, nxt) in (". ", " ", ".  "):
                if b in WORDLIKE_TITLES and (not (t.cap or t.upper) or t.possessive or not (
                        lexicon.is_first_name(nxt.base) or lexicon.is_last_name(nxt.base)) or (
                        lexicon.word_sense_dominates(nxt.base) and not doc.cased)):
                    pass  # "father's house", "NURSE PLAN": not a title here
                else:
                    self._mark_run(doc, st, i + 1, 0.95, f"name after the title '{t.text}'", max_len=3)
            # "dr blackwood paged", "final dr Frost": a ward's lower-case "dr" with no period is a title too
            if b == "dr" and doc.cased and t.text == "dr" and nxt is not None and doc.between(t, nxt) == " " \
                    and not lexicon.is_clinical(nxt.base) and not lexicon.is_not_identifier(nxt.base) and (
                        (nxt.cap and not nxt.upper) or (nxt.text.islower() and len(nxt.text) > 2
                                                         and not lexicon.is_common_word(nxt.base, 50))):
                self._mark_run(doc, st, i + 1, 0.9, "name after a lower-case 'dr'", max_len=1)
            # relations: "her sister Ivy", "son ANSELM", "husband, Teodoro,"; in mixed case a capitalised
            # surname that is also a word ("sister Frost", "son Hunter")
            if b in lexicon.RELATIONS and b not in _NOT_RELATIONS and nxt is not None and doc.between(t, nxt) in (" ", ", ", " (", ": ", " - ", " — "):
                if self._name_shaped(doc, nxt, loose=True) and (
                        lexicon.is_first_name(nxt.base) or not lexicon.word_sense_dominates(nxt.base)
                        or (doc.cased and nxt.cap and not nxt.upper and not nxt.sent_start and lexicon.is_last_name(nxt.base))):
                    self._mark_run(doc, st, i + 1, 0.9, f"name after the relation word '{t.lower}'", max_len=3)
            # credentials: "Ottilie Fenwick, LMHC"
            if t.base in lexicon.CREDENTIALS and (t.upper or t.text in ("PsyD", "PhD", "EdD", "MSW")) and i > 0:
                gap = doc.between(tokens[i - 1], t)
                if gap in (", ", " ", ",") and (t.upper or gap.startswith(",")) and (len(t.text) > 2 or gap.startswith(",")):
                    self._mark_back(doc, st, i - 1, 0.9, f"name before the credential '{t.text}'")
            # field labels: "Client: Ana Ferreira", "CALLER: GRETA BRAMWELL"
            if b in LABELS and nxt is not None:
                colon = text[t.end:nxt.start]
                if re.fullmatch(r"\s*(?:name)?\s*:\s*|\s+name\s*:\s*|\s*\(s\)\s*:\s*", colon) or (
                        b in ("re", "dear", "attn") and re.fullmatch(r"\s*:?\s*", colon)):
                    self._label_line(doc, st, i + 1, t.text)
            # speaker labels: "Maria: I just ..."
            if t.line_start and nxt is not None and text[t.end:t.end + 1] == ":" and b not in LABELS and b not in FIELD_WORDS:
                if self._name_shaped(doc, t, loose=False) and (
                        (lexicon.word_level(b) is None and _speaker_repeats(doc, t)) or (
                        lexicon.is_first_name(b) and not lexicon.word_sense_dominates(b))):
                    st.mark(i, 0.85, "speaker label at a line start")
            # a possessive given name: "Ned's PHQ-9", "ODILE'S MOTHER"
            if t.possessive and (t.cap or t.upper) and lexicon.is_first_name(b) and not _not_a_name_word(b) and st.score[i] < 0.7:
                st.mark(i, 0.7, "possessive given name")
            # a given name with a surname initial: "WALT R.", "Greta B."
            if (t.cap or t.upper) and lexicon.is_first_name(b) and not _not_a_name_word(b) and TRAILING_INITIAL_RE.match(text[t.end:t.end + 4]):
                st.mark(i, 0.75, "given name followed by an initial")
            # an age after the name: "Walt (78)", "Ines, 47,"
            if AGE_AFTER_RE.match(text[t.end:t.end + 12]) and self._name_shaped(doc, t, loose=True) and not lexicon.is_not_identifier(b):
                if lexicon.is_first_name(b) or st.score[i] > 0:
                    st.mark(i, 0.8, "name followed by an age")
            # a reporting verb after a given name that is also a word: "Will reports", "HOPE SAID"
            if nxt is not None and nxt.lower in REPORT_VERBS and doc.between(t, nxt) == " " and st.score[i] < 0.7:
                if lexicon.is_first_name(b) and not _not_a_name_word(b) and (t.cap or t.upper) and (t.sent_start or doc.cased or not doc.cased):
                    if not (lexicon.is_common_word(b, 50) and nxt.lower in ("will", "would", "can", "could", "is", "was", "has", "had", "and", "did", "does")):
                        if not (i > 0 and tokens[i - 1].lower in ("the", "a", "an", "this", "that", "my", "your", "our")):
                            st.mark(i, 0.7, f"given name before the verb '{nxt.lower}'")
            # a capitalised given name mid-sentence in mixed case, even if it is also a word
            if doc.cased and t.cap and not t.sent_start and st.score[i] == 0 and lexicon.is_first_name(b) and not _not_a_name_word(b) \
                    and b not in SEASONS and (lexicon.word_level(b) or 99) > 10:
                prev = tokens[i - 1] if i > 0 else None
                title_case = (prev is not None and prev.cap and doc.between(prev, t) == " ") or (
                    nxt is not None and nxt.cap and doc.between(t, nxt) == " " and not lexicon.is_last_name(nxt.base))
                if not title_case and not (prev is not None and prev.lower in ("the", "a", "an", "of")):
                    st.mark(i, 0.6 if not t.possessive else 0.7, "capitalised given name mid-sentence")

    def _caps_evidence(self, doc: Document, st: "_Scores") -> None:
        """In capitals a word no dictionary knows scores below the bar (it is mostly jargon:
        "PNEUMOPERITONEUM", "BIOFIRE"). It becomes a name with evidence beside it: another
        name-like word in the same phrase ("ABBAS KADYROV", "KONYA, BECKER AND VASQUEZ"), a
        possessive ("MATEJ'S"), a word that introduces a person ("MY NAME IS", "CALLED",
        "HI", "SPOKE WITH", "CALL ME") or a reporting verb after it ("RINTANEN SAID")."""
        tokens = doc.tokens
        n = len(tokens)
        raised = []
        for i, t in enumerate(tokens):
            if st.kind[i] != "unknown" or not 0.4 <= st.score[i] < 0.5:
                continue
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < n else None
            why = ""
            if t.possessive:
                why = "a possessive"
            elif prev is not None and doc.between(prev, t) == " " and (
                    prev.lower in CAPS_NAME_CUES or (prev.lower == "is" and i > 1 and tokens[i - 2].lower == "name")
                    or (prev.lower == "me" and i > 1 and tokens[i - 2].lower in ("call", "calls", "called"))):
                why = f"after '{prev.text}'"
            elif nxt is not None and doc.between(t, nxt) == " " and nxt.lower in CAPS_REPORT_VERBS:
                why = f"before '{nxt.text}'"
            else:
                for j in (i - 1, i + 1):
                    if not 0 <= j < n:
                        continue
                    a, b = (tokens[j], t) if j < i else (t, tokens[j])
                    gap = doc.between(a, b)
                    other = tokens[j]
                    if gap == " " and (st.score[j] >= 0.4 or len(other.base) >= 3 and other.base.isalpha()
                                       and lexicon.word_level(other.base) is None and not _not_a_name_word(other.base)) \
                            or gap in (", ", " AND ") and st.score[j] >= 0.5 and st.kind[j] == "name":
                        why = "beside another name"
                        break
            if why:
                raised.append((i, why))
        for i, why in raised:
            st.mark(i, 0.5, f"word no dictionary knows, in capitals, {why}")

    def _label_line(self, doc: Document, st: "_Scores", j: int, label: str) -> None:
        """Names after a field label, up to the end of the line or the next field."""
        tokens = doc.tokens
        n = len(tokens)
        count = 0
        while j < n and count < 8:
            t = tokens[j]
            if "\n" in doc.text[tokens[j - 1].end:t.start] and j > 0:
                break
            if count == 0 and 2 <= len(t.text) <= 3 and t.text.isupper() and doc.cased \
                    and re.match(r"[ \t]*(?:$|\n|[ \t]{2})", doc.text[t.end:t.end + 3]) \
                    and not lexicon.is_not_identifier(t.base) and t.text not in lexicon.US_STATES:
                st.mark(j, 0.85, f"initials after the label '{label}:'")  # "Taken by: DU"
                break
            if t.base in FIELD_WORDS and t.base not in ("and",):
                break
            if t.base in lexicon.TITLES or t.base in lexicon.CREDENTIALS:
                j += 1
                continue
            if t.base in ("and", "or", "&") or t.base in PARTICLES:
                j += 1
                continue
            if t.base in lexicon.RELATIONS:
                j += 1
                continue
            if self._name_shaped(doc, t, loose=True) and not (
                    lexicon.word_sense_dominates(t.base) and not lexicon.is_first_name(t.base)):
                st.mark(j, 0.9, f"name after the label '{label}:'")
                count += 1
                j += 1
                continue
            alone = re.match(r"[ \t]*(?:$|\n|[ \t]{2}|,)", doc.text[t.end:t.end + 3]) is not None
            if alone and (lexicon.is_last_name(t.base) or lexicon.is_first_name(t.base)) and (t.cap or t.upper) \
                    and not lexicon.is_not_identifier(t.base) and not lexicon.is_clinical(t.base):
                st.mark(j, 0.85, f"a name alone after the label '{label}:'")  # "DICTATED BY: CHURCH"
                count += 1
                j += 1
                continue
            break

    def _name_shaped(self, doc: Document, t: Token, loose: bool) -> bool:
        b = t.base
        if len(b) < 2 or _not_a_name_word(b) or b in lexicon.TITLES or b in lexicon.CREDENTIALS:
            return False
        if b in lexicon.ORG_WORDS and not lexicon.is_first_name(b):
            return False
        if doc.cased:
            if not (t.cap or (t.upper and len(b) >= 3 and (lexicon.is_first_name(b) or lexicon.is_last_name(b)))):
                if not (loose and not lexicon.is_common_word(b, 60) and lexicon.is_first_name(b)):
                    return False
            return True
        if b in _STOP_WORDS or b in REPORT_VERBS:
            return False
        if lexicon.is_first_name(b) or lexicon.is_last_name(b):
            return True
        return lexicon.word_level(b) is None and len(b) >= 3 and re.search(r"[aeiouy]", b) is not None

    def _mark_run(self, doc: Document, st: "_Scores", j: int, score: float, why: str, max_len: int) -> None:
        tokens = doc.tokens
        k = 0
        while j < len(tokens) and k < max_len:
            t = tokens[j]
            if k and doc.between(tokens[j - 1], t) not in (" ", "-"):
                break
            if k and t.lower in PARTICLES and j + 1 < len(tokens):
                j += 1
                continue
            shaped = self._name_shaped(doc, t, loose=(k == 0))
            if not shaped and (t.cap or t.upper) and (lexicon.is_first_name(t.base) or lexicon.is_last_name(t.base)) \
                    and t.base not in lexicon.TITLES and t.base not in lexicon.RELATIONS and t.base not in _STOP_WORDS:
                shaped = "title" in why  # "Mr. Ed Pellegrino", "Dr. Lu"
            if not shaped and k == 0 and doc.cased and t.lower == t.text and "title" in why \
                    and not lexicon.is_common_word(t.base, 50) and not _not_a_name_word(t.base) and len(t.base) >= 2:
                shaped = True  # "dr. ahn" in a hastily typed note
            if not shaped:
                break
            if k and doc.cased and not (t.cap or t.upper):
                break
            if k and not doc.cased and lexicon.word_sense_dominates(t.base) and not lexicon.is_first_name(t.base):
                break
            st.mark(j, score, why)
            j += 1
            k += 1

    def _mark_back(self, doc: Document, st: "_Scores", j: int, score: float, why: str) -> None:
        tokens = doc.tokens
        k = 0
        while j >= 0 and k < 4:
            t = tokens[j]
            if k and doc.between(t, tokens[j + 1]) not in (" ", "-", ". ", ", "):
                break
            if k and doc.between(t, tokens[j + 1]) == ", " and not (j + 1 < len(tokens) and st.score[j + 1] > 0 and k == 1):
                break
            if not self._name_shaped(doc, t, loose=False) and not (len(t.text) == 1 and t.text.isupper()):
                break
            if len(t.text) > 1:
                st.mark(j, score, why)
            j -= 1
            k += 1
            if t.line_start:
                break

    # ---- initials ----------------------------------------------------------------------
    def _initials(self, doc: Document, st: "_Scores") -> dict:
        text = doc.text
        standalone: list[tuple[int, int]] = []
        before: dict[int, int] = {}
        for m in INITIALS_RE.finditer(text):
            letters = re.sub(r"[^A-Z]", "", m.group(1))
            if letters in NOT_INITIALS or lexicon.is_not_identifier(letters.lower()):
                continue
            s, e = m.start(1), m.start(1) + len(m.group(1).rstrip())
            nxt = doc.token_at(e + 1) if e + 1 < len(text) else None
            if nxt is not None and text[e:e + 1] == " " and self._name_shaped(doc, doc.tokens[nxt], loose=False):
                before[doc.tokens[nxt].start] = s
                st.mark(nxt, 0.8, "surname after initials")
            else:
                standalone.append((s, e))
        for m in SINGLE_INITIAL_RE.finditer(text):
            if text[max(0, m.start() - 3):m.start()].strip().lower() in ("st", "mt", "ft"):
                continue
            if m.start() > 0 and text[m.start() - 1] in "/&+":
                continue  # "no C/C/E. Skin:": the last of a list of letters, then a heading
            k = doc.token_at(m.end() + 1)
            if k is None:
                continue
            t = doc.tokens[k]
            if t.start != m.end() + 1 or not self._name_shaped(doc, t, loose=False):
                continue
            prev = doc.token_at(m.start() - 2) if m.start() >= 2 else None
            if m.group(1) in ("A", "I") and prev is None and not doc.tokens:
                continue
            if lexicon.is_common_word(t.base, 50) and not lexicon.is_first_name(t.base) and st.score[k] < 0.5 \
                    and (pw := re.search(r"([a-z]{2,})[ \t]*$", doc.text[max(0, m.start() - 12):m.start()])) \
                    and pw.group(1) not in NAME_PREPS and pw.group(1) not in lexicon.TITLES and pw.group(1) not in REPORT_VERBS:
                continue  # "Team B. Pager", "min A. Speech": a letter ends a phrase, an ordinary word starts the next
            before.setdefault(t.start, m.start())
            st.mark(k, 0.8, "surname after an initial")
        return {"standalone": standalone, "before": before}

    @staticmethod
    def _with_initials(doc: Document, start: int, end: int, initials: dict) -> tuple[int, int]:
        text = doc.text
        start = initials["before"].get(start, start)
        m = TRAILING_INITIAL_RE.match(text[end:end + 4])
        if m and not (end + 3 < len(text) and text[end + 3:end + 5].strip() and text[end + 3].isalpha()):
            end += 3
        return start, end

    # ---- from token scores to spans ----------------------------------------------------
    def _build(self, doc: Document, st: "_Scores") -> list[tuple[int, int, float, str, str]]:
        tokens = doc.tokens
        n = len(tokens)
        out = []
        i = 0
        while i < n:
            if st.score[i] < 0.5:
                i += 1
                continue
            first = i
            last = i
            while last + 1 < n:
                a, b = tokens[last], tokens[last + 1]
                gap = doc.between(a, b)
                if gap not in (" ", "-"):
                    break
                if a.possessive:
                    break
                if st.score[last + 1] >= 0.5 or self._extends(doc, last + 1):
                    last += 1
                    continue
                if b.lower in PARTICLES and last + 2 < n and doc.between(b, tokens[last + 2]) == " " and (
                        st.score[last + 2] >= 0.5 or tokens[last + 2].cap):
                    last += 2
                    continue
                break
            # a given name that is also a word, just before a surname: "Hope Ferreira"
            if first > 0:
                p = tokens[first - 1]
                if doc.between(p, tokens[first]) == " " and (p.cap or p.upper) and lexicon.is_first_name(p.base) \
                        and not _not_a_name_word(p.base) and (not p.sent_start or st.score[first] >= 0.7) \
                        and lexicon.is_last_name(tokens[first].base) and not lexicon.word_sense_dominates(tokens[first].base):
                    first -= 1
            scores = [st.score[k] for k in range(first, last + 1)]
            score = max(scores)
            why = st.why[first + scores.index(score)]
            kind = "NAME"
            prev = tokens[first - 1] if first > 0 else None
            at_place = prev is not None and prev.lower in ("at", "in", "from", "near") and doc.between(prev, tokens[first]) == " "
            lastword = tokens[last].base
            if at_place and score < 0.7 and (
                    all(st.kind[k] == "unknown" or st.score[k] == 0 for k in range(first, last + 1))
                    or (st.kind[last] in ("unknown", "") and not lexicon.is_first_name(lastword) and not lexicon.is_last_name(lastword))):
                kind = "LOCATION"
                why = f"unknown proper name after '{prev.lower}'"
            out.append((first, last, score, why, kind))
            i = last + 1
        return out

    def _extends(self, doc: Document, k: int) -> bool:
        """May token k continue a name begun just before it (a surname after a given name)?"""
        t = doc.tokens[k]
        b = t.base
        if _not_a_name_word(b) or b in lexicon.TITLES or b in lexicon.CREDENTIALS or b in lexicon.ORG_WORDS:
            return False
        if doc.cased:
            if not t.cap or t.sent_start:
                return False
            return not lexicon.word_sense_dominates(b) or lexicon.is_last_name(b) or lexicon.is_first_name(b)
        if b in _STOP_WORDS or b in REPORT_VERBS:
            return False
        return (lexicon.is_last_name(b) or lexicon.is_first_name(b)) and not lexicon.is_common_word(b, 35) or lexicon.word_level(b) is None

    def _propagation_ok(self, doc: Document, i: int) -> bool:
        t = doc.tokens[i]
        b = t.base
        common = lexicon.word_sense_dominates(b)
        if doc.cased:
            if t.cap or t.upper:
                return not (common and t.sent_start and not self._name_use(doc, i))
            return not common
        return not common or self._name_use(doc, i)

    def _name_use(self, doc: Document, i: int) -> bool:
        return name_use(doc, i)


def name_use(doc: Document, i: int) -> bool:
    """Is token i, a name that is also an ordinary word ("WILL", "Hope"), used as a name here?"""
    tokens = doc.tokens
    t = tokens[i]
    prev = tokens[i - 1] if i > 0 and doc.between(tokens[i - 1], t) in (" ", ", ", " (", ": ") else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) and doc.between(t, tokens[i + 1]) == " " else None
    after = doc.text[t.end:t.end + 6]
    if doc.cased and not (t.cap or t.upper):
        return False
    if t.possessive:
        return True
    if prev is not None and (prev.base in lexicon.RELATIONS or prev.base in lexicon.TITLES or prev.base in NAME_PREPS
                             or prev.base in ("client", "pt", "patient")):
        if not (prev.base == "to" and t.base in ("hope", "grant", "bill", "will", "may", "drew", "frank", "rose")):
            return True
    if AGE_AFTER_RE.match(after + doc.text[t.end + 6:t.end + 12]):
        return True
    if nxt is not None and nxt.lower in REPORT_VERBS and nxt.lower not in ("will", "would", "can", "could", "is", "was", "has", "had", "and"):
        return True
    if t.base in ("will", "may", "can", "must", "might", "shall"):
        if prev is not None and prev.lower in PRONOUNS:
            return False
        if nxt is None:
            return re.match(r"\s*[,.;:)!?]", after) is not None and not doc.all_caps
        if nxt.lower in AFTER_MODAL_NAME or (nxt.lower.endswith(("ed", "s")) and len(nxt.lower) > 3 and nxt.lower not in ("was", "has", "is")):
            return True
        return False
    if doc.cased and not t.sent_start:
        return True
    return False


# "this is grant, ...", "my name is hope": a name said as one, whatever its case
INTRODUCED_RE = re.compile(r"\b(?:this\s+is|it'?s|i'?m|i\s+am|name\s+is|named|called)\s+$", re.I)
DETERMINERS = {"the", "a", "an", "some", "no", "any", "much", "more", "less", "little", "this", "these",
               "those", "his", "her", "their", "my", "your", "our", "its", "all", "every", "such", "what", "whose",
               "over", "during", "since", "until", "next", "last", "early", "late", "mid", "each", "false", "real",
               "new", "great", "good", "bad", "big", "first", "lot", "lots", "full", "blue", "bright"}
MODALS = {"will", "may", "can", "must", "might", "shall"}


def record_word_use(doc: Document, i: int) -> bool:
    """Is token i, a value the record knows as a name, used here as the ordinary word?

    The record says the person is called this, so the default is "name"; only clear
    signs of the word win: lower case in a mixed-case note, a determiner before it
    ("some hope", "this summer"), a hyphen ("blue-sky"), a modal before a verb
    ("will send"), or the word repeated as a verb after the name ("drew drew").
    """
    tokens = doc.tokens
    t = tokens[i]
    text = doc.text
    if t.base in MODALS and not t.possessive and t.text.islower() and i + 1 < len(tokens) \
            and doc.between(t, tokens[i + 1]) == " " and _bare_verb(tokens[i + 1]):
        return True  # "Pt will be traveling", "she may need": the modal before a verb
    if doc.cased and not doc.casual and not (t.cap or t.upper):
        if INTRODUCED_RE.search(text[max(0, t.start - 16):t.start]):
            return False
        return not _lower_name_signs(doc, i)
    for j, hyphen in ((i + 1, text[t.end:t.end + 1] == "-"), (i - 1, t.start > 0 and text[t.start - 1] == "-")):
        if hyphen and 0 <= j < len(tokens):
            other = tokens[j].base
            if lexicon.is_common_word(other, 50) and not lexicon.is_first_name(other):
                return True  # "blue-sky", "will-power"
    prev = tokens[i - 1] if i > 0 and doc.between(tokens[i - 1], t) == " " else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) and doc.between(t, tokens[i + 1]) == " " else None
    if prev is not None and prev.lower in DETERMINERS and not (doc.cased and t.cap and prev.lower in ("her", "his", "their", "my", "our", "your")):
        return True
    if prev is not None and prev.lower == t.lower:
        return True
    if t.base in MODALS and not t.possessive:
        if prev is not None and prev.lower in PRONOUNS:
            return True
        if nxt is not None and nxt.lower not in AFTER_MODAL_NAME and nxt.lower not in REPORT_VERBS \
                and not (nxt.lower.endswith(("ed", "s")) and len(nxt.lower) > 3) and lexicon.is_common_word(nxt.base, 50):
            return True
    if nxt is not None and nxt.lower in ("meth", "clear", "ball", "light", "lights", "bowl", "blue", "skies", "line", "lines"):
        return True
    if doc.cased and not doc.casual:
        return False
    # ALL CAPS or lower case: capitals say nothing, so the word needs a sign that it names someone
    return not _name_signs(doc, i, prev, nxt)


def _bare_verb(nxt: Token) -> bool:
    return (nxt.lower not in AFTER_MODAL_NAME and nxt.lower not in REPORT_VERBS
            and not (nxt.lower.endswith(("ed", "s")) and len(nxt.lower) > 3) and lexicon.is_common_word(nxt.base, 50))


CRED_INITIALS_RE = re.compile(r"(?m),\s*([A-Za-z][A-Za-z-]{1,8})(?:,\s*[A-Za-z-]{2,8})?[ \t]*/[ \t]*([A-Za-z]{2,3})[ \t]*$")
# a word after a drug's name is its brand's second word ("Invega Sustenna", "HYDROXYZINE PAMOATE"); a word
# before a device's noun is its maker ("MEDTRONIC INSULIN PUMP", "Holter monitor")
DEVICE_NOUNS = {"monitor", "pump", "catheter", "meter", "vest", "lifevest", "line", "port", "device", "stent", "valve",
                "implant", "pacemaker", "defibrillator", "sensor", "cgm", "lift", "bed", "boot", "brace", "collar",
                "walker", "wheelchair", "cane", "splint", "sling", "mask", "machine", "system", "patch", "pen", "inhaler",
                "nebulizer", "glucometer", "scale", "tube", "drain", "filter", "shunt", "icd", "lvad", "cpap", "bipap"}


def _drop_brand_words(doc: Document, spans: list[Span]) -> list[Span]:
    out = []
    text = doc.text
    for s in spans:
        if not s.in_record and s.type == "NAME" and s.score < 0.9:
            before = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, s.start - 30):s.start])
            after = re.match(r"[ \t]+([^\W\d_]+)", text[s.end:s.end + 30])
            w = before.group(1) if before else ""
            if len(w) > 3 and lexicon.is_clinical(w) and w.lower() not in lexicon.TITLES and w.lower() not in ABBREVIATIONS:
                continue  # "Invega Sustenna", "HYDROXYZINE PAMOATE": the second word of a drug's name
            if after and (after.group(1).lower() in DEVICE_NOUNS or (
                    len(after.group(1)) > 3 and lexicon.is_clinical(after.group(1)) and after.group(1).lower() in lexicon.NOT_IDENTIFIERS)):
                continue
        out.append(s)
    return out


def _extend_left(doc: Document, spans: list[Span]) -> list[Span]:
    """"Witness: Lorcan Brzezinski": a capitalised word no list knows, right before a name, is
    the name's first part."""
    if not doc.cased:
        return spans
    out = []
    for s in spans:
        if s.type == "NAME" and s.score >= 0.7:
            i = doc.token_at(s.start)
            if i is not None and i > 0 and doc.tokens[i].start == s.start:
                p = doc.tokens[i - 1]
                if doc.between(p, doc.tokens[i]) == " " and p.cap and not p.possessive and lexicon.word_level(p.base) is None \
                        and p.base not in lexicon.TITLES and p.base not in lexicon.CREDENTIALS \
                        and not lexicon.is_not_identifier(p.base) and not lexicon.is_clinical(p.base) \
                        and p.base not in lexicon.ORG_WORDS and p.base not in lexicon.us_places() and len(p.base) >= 3:
                    s = Span(p.start, s.end, s.type, s.recognizer, s.explanation + " (with the word before it)", s.score, s.in_record)
        out.append(s)
    return out


LINE_LABEL_RE = re.compile(r"(?m)^[ \t]*([^\W\d_][\w'’-]*)[ \t]*:")


def _speaker_repeats(doc: Document, t: Token) -> bool:
    """"Ximena: ..." is a speaker when the label comes back at another line start (a dialogue);
    once, an unknown word before a colon is a heading ("Dispo:", "PPx:", "Neuro:")."""
    labels = doc.__dict__.get("_line_labels")
    if labels is None:
        labels = {}
        for m in LINE_LABEL_RE.finditer(doc.text):
            labels[m.group(1)] = labels.get(m.group(1), 0) + 1
        doc.__dict__["_line_labels"] = labels
    return labels.get(t.text, 0) >= 2


GREETINGS = {"hi", "hello", "hey", "dear", "thanks", "thank", "sorry", "love", "cheers", "bye", "regards", "xo", "cc"}


WITH_PERSON_VERBS = {"spoke", "speak", "speaks", "speaking", "talked", "talk", "talks", "talking", "met", "meet", "meets",
                     "meeting", "lives", "live", "living", "lived", "stays", "staying", "stayed", "fought", "fight",
                     "argued", "arguing", "argues", "broke", "visited", "visiting", "consulted", "staffed", "texting",
                     "texted", "dating", "hanging", "hung", "spent", "spending", "sleeping", "slept", "along"}


def _lower_name_signs(doc: Document, i: int) -> bool:
    """A lower-case word the chart knows as a name, in a note written in mixed case: a name
    only on strong signs on either side: a relation or title before it ("my partner bill"),
    a greeting before it ("thanks, grace"), alone on its line (a signature), or a verb of
    reporting after it ("frank missed", "hope called")."""
    tokens = doc.tokens
    t = tokens[i]
    text = doc.text
    prev = tokens[i - 1] if i > 0 and re.fullmatch(r"[ ,]{1,2}|\n", doc.between(tokens[i - 1], t)) else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) and doc.between(t, tokens[i + 1]) == " " else None
    if prev is not None and prev.lower in DETERMINERS:
        return False
    if prev is not None and (prev.base in lexicon.RELATIONS or prev.base in lexicon.TITLES or prev.lower in GREETINGS):
        return True
    line_start = text.rfind("\n", 0, t.start) + 1
    line_end = text.find("\n", t.end)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if line.strip().lstrip("-–—~").strip().rstrip(".,! \t") == t.text:
        return True  # a signature: the name alone on its line
    if nxt is not None and nxt.lower in REPORT_VERBS and nxt.lower not in ("and", "is", "has", "will", "would", "can", "could"):
        return True
    # "calling about mark.", "worried about lily?": the person a call or a worry is about, ending the clause
    if prev is not None and prev.lower in ("about", "regarding", "re") and re.match(r"\s*(?:[.,;:!?)]|$)", text[t.end:t.end + 2]):
        return True
    # "RE: ray", "Caller: mark": the value of a label that names a person
    label = re.search(r"\b([A-Za-z][A-Za-z-]*)[ \t]*:[ \t]*$", text[max(0, t.start - 24):t.start])
    if label and label.group(1).lower() in LABELS and label.group(1).lower() not in ("to", "for", "with", "by", "and", "of"):
        return True
    # "spoke with clay,", "lives with ivy.": someone one talks or lives with
    if prev is not None and prev.lower == "with" and i >= 2 and tokens[i - 2].lower in WITH_PERSON_VERBS \
            and re.match(r"\s*(?:[.,;:!?)]|$|and\b|who\b|today\b|yesterday\b)", text[t.end:t.end + 10]):
        return True
    return False


def _name_signs(doc: Document, i: int, prev: Token | None, nxt: Token | None) -> bool:
    t = doc.tokens[i]
    text = doc.text
    if t.possessive:
        return True
    if prev is not None and (prev.base in lexicon.RELATIONS or prev.base in lexicon.TITLES or prev.base in NAME_PREPS
                             or prev.base in ("client", "pt", "patient", "re", "refer", "referred", "encouraged",
                                              "invite", "invited", "remind", "reminded", "helped", "asked", "told")):
        return True
    if nxt is not None:
        n = nxt.lower
        if n in REPORT_VERBS or n in AFTER_MODAL_NAME or n in ("will", "would", "can", "could", "should", "may", "might", "be"):
            return True
        if n.endswith(("n't", "n’t", "'ll", "'d", "’ll")):
            return True
        if len(n) > 3 and n.endswith(("ed", "s")) and not n.endswith("ss"):
            return True
    after = text[t.end:t.end + 3]
    if re.match(r"\s*[,.;:)!?\"”(]|\s*$", after) or t.end == len(text):
        return True
    before = text[max(0, t.start - 2):t.start]
    if re.search(r"[(\"“:]\s*$", before) or t.line_start or t.sent_start:
        return True
    return AGE_AFTER_RE.match(text[t.end:t.end + 12]) is not None


_STOP_WORDS = {"a", "an", "the", "at", "to", "in", "on", "from", "with", "by", "for", "of", "and", "or", "but", "as",
               "is", "are", "was", "were", "be", "he", "she", "they", "we", "i", "you", "it", "his", "her", "their",
               "our", "my", "your", "its", "this", "that", "not", "no", "yes", "per", "via", "re", "if", "so", "also"}


_NOT_RELATIONS = {"pt", "client", "clients", "patient", "caller", "member", "members", "peer", "worker", "baby", "infant",
                  "toddler", "kid", "kids", "child", "children", "ex", "parents", "siblings", "twin"}
_NAME_SUFFIX_RE = re.compile(
    r"(?:tion|sion|ment|ness|ity|ing|ive|ous|ical|ology|ologist|ism|ist|ize|ise|ized|ised|ee|ees|ics|able|ible|ful|less"
    r"|ward|wise|ship|hood|ance|ence|ency|ancy|ated|ates|ify|ified|logy|graphy|pathy|phobia|philia|mania|scope|gram"
    # drug names by their stems: -zepam, -oxetine, -triptyline, -azole, -olol, -pril, -statin, ...
    r"|zepam|zolam|azine|apine|idone|oxetine|ipramine|triptyline|azole|mab|olol|pril|sartan|statin|profen|codone"
    # clinical words by their endings: -emia, -itis, -osis, -ectomy; more drug stems
    r"|emia|itis|osis|algia|plegia|ectomy|otomy|ostomy|plasty|uria|rrhea|alate|onide|asone|olone|cillin|mycin"
    r"|cycline|floxacin|parin|xaban|gatran|glutide|gliflozin|gliptin|lukast|tropium|terol|metasone"
    r"|perone|morphine|barbital|tadine|afil|mycin|cillin|cycline|oxacin|tinib|lukast|prazole|tidine|setron|triptan|gliptin"
    r"|gliflozin|glutide|dronate|vudine|navir|sertib|plasty|ectomy|otomy|itis|osis|emia|algia"
    # more clinical word endings (cells, organs, signs, procedures): -cyte, -phageal, -penia, -megaly, -scopy
    r"|cytes?|cytic|cytosis|phageal|penia|trophy|trophic|megaly|cardia|pnea|scopy|oscopic|ography|ogram|lysis|uresis"
    r"|plasia|plastic|ectomies|otomies|ostomies|emic|uric|ptysis|rrhage|rrhagic|sclerosis|stenosis|ectasis|ectasia"
    # anatomy, procedures, organisms and lab words: -centesis, -peritoneum, -alveolar, -coccus, -bacter, -stains
    r"|centesis|peritoneum|cardium|thorax|alveolar|vascular|cellular|ocele|ostasis|ectomy|pexy|rrhaphy|desis"
    r"|coccus|cocci|bacter|bacterium|genes|philus|plasma|mycosis|virus|viridae|carcinoma|sarcoma|lymphoma|adenoma"
    r"|melanoma|blastoma|stains?|assay|globulin|globin|protein|kinase|(?:transfer|phosphat|dehydrogen|amyl|lip|prote|reduct|oxid|synth|isomer|ester)ases?|ergic|ogenic|otic|uretic|vasc)$")


# Nouns that make the word before them an eponym, not a person mentioned: "Murphy's sign",
# "Hodgkin lymphoma", "Dobhoff tube", "Glasgow Coma Scale", "Mallory-Weiss tear".
EPONYM_HEADS = frozenset("""
sign signs test tests maneuver manoeuvre reflex reflexes score scale scales criteria grade grading staging
classification syndrome disease diseases lymphoma sarcoma carcinoma tumor tumour palsy phenomenon phenomena
triad lesions nodes node murmur murmurs respirations procedure operation repair fracture fractures catheter
catheters tube tubes drain drains needle trocar stent stents filter valve clamp forceps retractor stapler
dressing area pouch triangle fibers fibres ligament gland glands cyst canal duct fascia ring tear tears
contracture foot gait esophagus diverticulum malformation encephalopathy thyroiditis dementia anomaly anomalies
virus cardiomyopathy deformity aneurysm hernia incision stain agar
""".split())


# a disease or procedure word after an eponym: "Nissen fundoplication", "Hashimoto thyroiditis"
_EPONYM_NOUN_RE = re.compile(r"(?:ectomy|otomy|ostomy|plasty|plication|pexy|rrhaphy|itis|osis|oma|pathy|emia|algia|plegia"
                             r"|ectomies|ostomies|plasties)$")
# anatomy named "X of Y": "ampulla of Vater", "pouch of Douglas", "circle of Willis", "bundle of His"
ANATOMY_OF_HEADS = frozenset("""
ampulla pouch circle sphincter ligament ligaments foramen canal canals bundle loop islets islet organ organs space
triangle crypts crypt tetralogy duct ducts node nodes gland glands plexus nucleus column columns fissure ridge
tract tubercle body bodies corpuscles capsule membrane angle line lines sign
""".split())


def _eponym(doc: Document, t: Token) -> bool:
    """Is `t` (possibly possessive, possibly the first of a hyphenated pair) directly before a
    clinical noun that eponyms name ("MURPHY'S SIGN", "Hodgkin lymphoma", "Cheyne-Stokes respirations")?"""
    k = t.index
    if k >= 2 and doc.tokens[k - 1].lower == "of" and doc.tokens[k - 2].base in ANATOMY_OF_HEADS \
            and doc.between(doc.tokens[k - 2], doc.tokens[k - 1]) == " " == doc.between(doc.tokens[k - 1], t):
        return True
    for _ in range(3):
        nxt = doc.next(k)
        if nxt is None:
            return False
        gap = doc.between(doc.tokens[k], nxt)
        if nxt.lower in EPONYM_HEADS or nxt.base in EPONYM_HEADS or (
                len(nxt.base) > 6 and _EPONYM_NOUN_RE.search(nxt.base) and (gap == " " or lexicon.is_clinical(nxt.base))):
            return gap in (" ", "'s ", "’s ", "' ", "s' ")
        if gap == "-" or (gap == " " and (nxt.cap or nxt.upper) and k == t.index and nxt.base not in _STOP_WORDS):
            k = nxt.index  # "Mallory-Weiss tear", "Austin Flint murmur"
            continue
        return False
    return False


def _after_article(doc: Document, t: Token) -> bool:
    """"a Medtronic pacemaker", "an Optiflow", "a FreeStyle Libre": an unknown capitalised word
    after an indefinite article (over at most one more capitalised word) names a thing, not a
    person ("the Peppermill" may still be a place)."""
    j = t.index - 1
    for _ in range(2):
        if j < 0:
            return False
        p = doc.tokens[j]
        if doc.between(p, doc.tokens[j + 1]) not in (" ", "-"):
            return False
        if p.lower in ("a", "an"):
            return True
        if not p.cap and not p.upper and not re.search(r"[a-z][A-Z]", p.text):
            return False
        j -= 1
    return False


def _signing_word(word: str) -> bool:
    """Could a word beside a credential ("luis RN", "RN: anh") be the signer's first name? Not an
    ordinary word ("charge RN", "RN aware"), a title, or clinical language."""
    w = word.lower()
    if len(w) < 2 or lexicon.is_not_identifier(w) or lexicon.is_clinical(w) or w in lexicon.TITLES \
            or w in lexicon.CREDENTIALS or w in _STOP_WORDS:
        return False
    if lexicon.is_first_name(w):
        return not lexicon.is_common_word(w, 35)
    return not lexicon.is_common_word(w, 60)


def _unknown_name_shape(word: str) -> bool:
    """In capitals, could a word no dictionary knows be a name? It must read like a word
    (vowels, letters only, no drug or jargon ending), not like an acronym ("HTN", "SCHIZ")."""
    w = word.lower()
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if not w.isalpha() or len(w) < 4 or _NAME_SUFFIX_RE.search(w):
        return False
    vowels = sum(c in "aeiouyáàâäãåæéèêëíìîïóòôöõøúùûüýœ" for c in w)
    if vowels < 2 or vowels * 5 < len(w):
        return False
    if re.search(r"[^aeiouy]{4}", w) and w.isascii():
        return False
    return not _compound_or_misspelling(w) and not _clipped_clinical_word(w)


_CLINICAL_PREFIXES = ("bi", "peri", "retro", "hemi", "poly", "epi", "para", "intra", "supra", "infra")


@lru_cache(maxsize=16384)
def _clipped_clinical_word(w: str) -> bool:
    """"TACHY", "SEROSANG", "DESATTED", "BIBASILAR": in capitals, a clinical word clipped to its
    first letters (and inflected: "desat" + "ted"), or one with a prefix before it, is jargon,
    not a name no dictionary knows. The clinical words are ICD-10-CM's and the drug lexicon's."""
    stems = {w}
    for suffix in ("ted", "ed", "ing", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            stem = w[:-len(suffix)]
            stems.add(stem)
            if len(stem) > 4 and stem[-1] == stem[-2]:
                stems.add(stem[:-1])  # "desatt" -> "desat"
    prefixes = _clinical_word_prefixes()
    if any(len(x) >= 5 and x in prefixes for x in stems):
        return True
    clinical = lexicon.clinical_words()
    return any(w.startswith(p) and len(w) - len(p) >= 5 and w[len(p):] in clinical for p in _CLINICAL_PREFIXES)


@lru_cache(maxsize=1)
def _clinical_word_prefixes() -> frozenset[str]:
    """The first 5 to 8 letters of clinical words at least two letters longer."""
    out: set[str] = set()
    for word in lexicon.clinical_words():
        if word.isalpha():
            for k in range(5, min(9, len(word) - 1)):
                out.add(word[:k])
    return frozenset(out)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_WORD_PREFIXES = ("re", "un", "non", "pre", "post", "inter", "intra", "co", "dys", "over", "under", "self", "multi",
                  "sub", "super", "anti", "de", "dis", "mis", "hyper", "hypo", "counter", "trans", "semi", "tele")


@lru_cache(maxsize=16384)
def _compound_or_misspelling(w: str) -> bool:
    """"grandkids", "hotline": two common words run together; "reprots", "referal": one
    letter away from a common word. Either reads as a word, not a name."""
    common = lexicon.is_common_word
    for k in range(3, len(w) - 2):
        if common(w[:k], 50) and common(w[k:], 50):
            return True
    for prefix in _WORD_PREFIXES:
        rest = w[len(prefix):]
        if w.startswith(prefix) and len(rest) >= 4 and (common(rest, 60) or lexicon.is_not_identifier(rest)
                                                         or common(rest[:-1], 60) or common(rest[:-2], 60)):
            return True  # "reframed", "intergenerational", "comorbid"
    if len(w) <= 6 and w in _common_prefixes():
        return True  # "eval", "indiv": the start of a longer word, an abbreviation
    if len(w) < 6 or not w.isascii():
        return False
    edits = {w[:i] + w[i + 1:] for i in range(len(w))}
    edits |= {w[:i] + w[i + 1] + w[i] + w[i + 2:] for i in range(len(w) - 1)}
    edits |= {w[:i] + c + w[i + 1:] for i in range(len(w)) for c in _ALPHABET}
    edits |= {w[:i] + c + w[i:] for i in range(len(w) + 1) for c in _ALPHABET}
    # (the word list holds a few plurals of adverbs, "oddlys", that no one writes)
    return any(common(e, 50) or lexicon.is_not_identifier(e) for e in edits if e != w and not e.endswith("lys"))


@lru_cache(maxsize=1)
def _common_prefixes() -> frozenset[str]:
    """The first 4 to 6 letters of common words at least two letters longer."""
    out: set[str] = set()
    for word, level in lexicon.english_levels().items():
        if level <= 50 and word.isalpha():
            for k in range(4, min(7, len(word) - 1)):
                out.add(word[:k])
    return frozenset(out)


def _name_like_spelling(word: str) -> bool:
    """Could an unknown capitalised word be a name? Not jargon ("Psychoeducation"), not a
    brand written in CamelCase ("LanguageLine"), not a contraction."""
    w = word.lower()
    if "'" in w and not re.match(r"^(?:o|d|l)'", w) and not w.endswith(("'s", "’s")):
        return False
    if _NAME_SUFFIX_RE.search(w[:-2] if w.endswith(("'s", "’s")) else w):
        return False
    if re.search(r"[a-z][A-Z]", word) and not re.match(r"^(?:Mc|Mac|De|Di|La|Le|Van|Von|O')", word):
        return False
    if sum(c.isupper() for c in word) >= 2 and not re.match(r"^(?:Mc|Mac|O'|D'|De|Di|La|Le)", word):
        return False  # "PRNs", "IDs"
    return True


@lru_cache(maxsize=65536)
def _not_a_name_word(b: str) -> bool:
    return (lexicon.is_not_identifier(b) or lexicon.is_clinical(b) or b in lexicon.RELATIONS or b in _STOP_WORDS or b in FIELD_WORDS
            or b in lexicon.TITLES or b in lexicon.CREDENTIALS or b in ("attn", "dear", "re", "cc"))


_PLACE_CACHE: dict[str, bool] = {}


def _is_place(b: str) -> bool:
    hit = _PLACE_CACHE.get(b)
    if hit is None:
        hit = b in lexicon.us_places() or b in lexicon.countries() or b in lexicon.STATE_NAMES
        _PLACE_CACHE[b] = hit
    return hit


class _Scores:
    def __init__(self, n: int):
        self.score = [0.0] * n
        self.why = [""] * n
        self.kind = [""] * n

    def mark(self, i: int, score: float, why: str) -> None:
        if score > self.score[i]:
            self.score[i] = score
            self.why[i] = why
            self.kind[i] = "unknown" if why.startswith(("capitalised word that is no", "word no dictionary knows")) else "name"
