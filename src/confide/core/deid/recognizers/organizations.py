"""Schools, employers, clinics, churches and other named organizations (LOCATION).

A run of capitalised words that ends in an organization word ("... High School",
"... Medical Center", "... Logistics", "... LLC"), or starts with one ("University of
Kansas", "St. Columba's"), or follows "works at", "employed by", "attends" and the like.
In ALL-CAPS notes the run is bounded by function words instead of capitals.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..document import Document, Token
from ..spans import Span
from .base import Recognizer

SUFFIXES = lexicon.ORG_WORDS
# Words that may sit inside an organization's name without being capitalised.
CONNECTORS = {"of", "for", "the", "and", "&", "de", "la", "on", "at", "in"}
PREFIX_HEADS = {"university", "college", "church", "bank", "school", "academy", "institute", "hospital", "clinic",
                "center", "centre", "department", "office", "city", "county", "state", "our", "saint", "st", "mount",
                "mt", "camp", "fort", "lake"}
# Words that end an ALL-CAPS run going left (function words, verbs a note uses around places).
STOP = set("""
a an the at to in into on from with by for of and or but as is are was were be been being has have had do does did
he she they we i you it his her their our my your its this that these those there here who whom which what when where
why how not no yes per via re w w/ s/p and/or if then than so also again still just only very
works work worked working employed employs job hired attends attend attended attending goes go went going
started starts start enrolled transferred admitted discharged hospitalized seen called met visited visits
pt client patient reports reported states stated says said denies denied saw sees
about around after before during since until while because anxious worried upset said told asked some any all
more most less very really also just even still again new same other another each every both either neither
""".split())
# words that name a hospital's service with its specialty: "Department of Radiology", "Radiation Oncology"
SERVICE_WORDS = {"department", "dept", "division", "service", "services", "section", "unit", "surgery", "surgical", "medicine",
                 "medical", "pediatric", "pediatrics", "adult", "general", "radiation", "interventional", "clinical", "outpatient",
                 "inpatient", "consult", "consults", "team", "heme", "onc", "renal", "cardiac", "pulmonary", "vascular",
                 "neuro", "ortho", "transplant", "hospital", "clinic", "center", "nuclear", "diagnostic", "body",
                 "musculoskeletal", "thoracic", "abdominal", "breast", "sports", "spine", "hand", "plastic", "palliative"}
SERVICE_ADJ_ENDINGS = ("al", "ic", "ive", "ary", "ory", "ion", "ar")
GEO_WORDS = set("""
north south east west northern southern eastern western valley river lake mountain hill hills park city county bay
harbor creek ridge springs heights summit pine oak cedar maple elm green grand great new saint st sunrise sunset
golden gate lakeside riverside central united american national royal first northeast northwest southeast southwest
""".split())
_PLACED_AFTER = {"at", "attends", "attend", "attended", "attending", "from", "to"}
# labels of a form line or a sentence frame whose value is an organization
ORG_LABEL_RE = re.compile(
    r"(?:^|\n|\s{2})[ \t]*(?:facility|agency|school|employer|hospital|pharmacy|practice|insurer|placement|program|"
    r"referred\s+(?:to|by)|referring\s+(?:agency|facility|practice)|follow[- ]?up(?:\s+(?:with|at))?|discharged?\s+to|"
    r"transferred\s+to|place\s+of\s+(?:service|employment)|provider\s+(?:group|agency)|pcp\s+(?:office|practice)|"
    r"records?\s+from|to|from)[ \t]*[:,][ \t]*|\bcustodian\s+of\s+records,[ \t]*", re.I)
PLACE_LABELS = {"facility", "agency", "school", "employer", "hospital", "pharmacy", "practice", "insurer", "placement",
                "program", "place", "custodian"}
ORG_VALUE_RE = re.compile(r"[ \t]*((?:[^\W\d_][\w'’.&-]*)(?:[ \t]+(?:[^\W\d_][\w'’.&-]*))*?)"
                          r"(?=[ \t]*(?:$|\n|[,;:()|]|\s{2}|[ \t]+(?:on|ON|in|IN|at|AT|for|FOR|x|X|by|BY|re|RE|\d)\b))")
# organizations a town's name makes specific: "BEND PD", "Duluth Urgent Care", "Spokane Public Schools"
TOWN_ORGS = {"pd", "fd", "police", "department", "sheriff", "office", "court", "schools", "school", "district", "care",
             "clinic", "hospital", "library", "college", "jail", "center", "centre", "county", "body", "auto", "co",
             "union", "bank", "pediatrics", "practice", "co-op", "market", "church", "health", "services"}
EMPLOY_RE = re.compile(r"\b(?:works?|worked|working|employed|job|jobs|hired|volunteers?|shifts?|interns?|attends?|attended|"
                       r"attending|attend|enrolled|student|teacher|nurse|manager|cashier|driver|dispatcher)\s+(?:(?:nights|days|part-time|full-time)\s+)?(?:as\s+an?\s+(?:[\w-]+\s+){1,3})?(?:at|for|by|in|with)?\s*$", re.I)
STORE_RE = re.compile(r"\b(?:at|to|from)\s+((?:[A-Z][\w'’-]*\s+)?[A-Z][A-Za-z'’-]*['’][sS])(?![\w])")
CAPS_ACRONYM_AT_RE = re.compile(r"\b(?:AT|TO|FROM|ATTENDS|ATTENDED)\s+(?:THE\s+)?([A-Z]{3,5})(?=[\s,.;)]|$)")
ACRONYM_AT_RE = re.compile(r"\b(?:at|attend|attends|attending|attended|to|from)\s+(?:the\s+)?([A-Z]{2,5})(?:\s+([A-Z][a-z]+))?(?![\w-])")


class OrganizationRecognizer(Recognizer):
    name = "organization"
    types = ("LOCATION",)

    def analyze(self, doc: Document) -> list[Span]:
        out: list[Span] = []
        tokens = doc.tokens
        used_until = -1
        for i, t in enumerate(tokens):
            if t.base in SUFFIXES and (t.cap or t.upper) and i > used_until \
                    and not (t.base == "office" and i + 1 < len(tokens) and tokens[i + 1].lower == "of"):
                span = self._ending_at(doc, i)
                if span and self._a_service(doc, span):
                    span = None
                if span:
                    out.append(span)
                    used_until = doc.token_at(span.end - 1) or i
        out.extend(self._after_context(doc))
        out.extend(self._saints(doc))
        out.extend(self._stores(doc))
        out.extend(self._chains(doc))
        out.extend(self._labelled(doc))
        out.extend(self._placed_runs(doc))
        return out

    # "Dollar General", "TRADER JOE'S", "works at Costco": chains and large employers by name
    def _chains(self, doc: Document) -> list[Span]:
        out = []
        tokens = doc.tokens
        n = len(tokens)
        i = 0
        firsts = _chain_firsts()
        while i < n:
            hit = 0
            if tokens[i].lower not in firsts and tokens[i].base not in firsts:
                i += 1
                continue
            for k in (3, 2, 1):
                if i + k > n:
                    continue
                run = tokens[i:i + k]
                if any(doc.between(a, b) not in (" ", "-") for a, b in zip(run, run[1:])):
                    continue
                key = "-".join(t.lower for t in run)
                base_key = "-".join([t.lower for t in run[:-1]] + [run[-1].base])
                if key not in lexicon.STORES and base_key not in lexicon.STORES:
                    continue
                if doc.cased and not all(t.cap or t.upper or t.text[:1].isupper() for t in run):
                    continue
                if k == 1 and lexicon.is_common_word(run[0].base, 50):
                    prev = doc.prev(i)
                    if prev is None or prev.lower not in ("at", "to", "from", "for") or run[0].sent_start:
                        continue
                hit = k
                break
            if hit:
                last = tokens[i + hit - 1]
                prev = doc.prev(i)
                # "at the Kroger", "from Safeway": a place word before it says the store, not a person of that name
                score = 0.75 if prev is not None and prev.lower in ("the", "at", "from") else 0.7
                out.append(self.span(tokens[i].start, self._end(last), "LOCATION", "a chain store or employer by name", score))
                i += hit
            else:
                i += 1
        return out

    # "Facility: Silver Pines", "FOLLOW UP: SAFE HAVEN HOUSE ON 8/19", "Custodian of Records, Cedar Hollow"
    def _labelled(self, doc: Document) -> list[Span]:
        out = []
        text = doc.text
        for m in ORG_LABEL_RE.finditer(text):
            start = m.end()
            run = ORG_VALUE_RE.match(text, start)
            if not run:
                continue
            value = run.group(1)
            words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", value)
            if not words or len(words) > 6:
                continue
            lowered = [w.lower() for w in words]
            if lowered[0] in lexicon.TITLES or lowered[0] in lexicon.RELATIONS or lowered[0] in STOP:
                continue  # "PCP: Dr. Lund", "Follow up: mother to call"
            if doc.cased and not all(w[0].isupper() or w.lower() in CONNECTORS for w in words):
                continue
            named = [w for w in lowered if w not in SUFFIXES and w not in CONNECTORS and w not in lexicon.GENERIC_ORG_HEADS
                     and not lexicon.is_not_identifier(w) and not lexicon.is_clinical(w) and w not in lexicon.MONTHS_AND_DAYS]
            if not named:
                continue
            label = m.group().strip(" \t\n:,").lower()
            if label in ("to", "from") and not any(w in SUFFIXES for w in lowered):
                continue  # "To: Tove Lund": a person unless the value names a kind of organization
            if label.split()[0] in PLACE_LABELS:
                pass  # "Facility: Willow Bend": the label says what it is
            elif len(words) == 1 and (lexicon.is_first_name(lowered[0]) or lexicon.is_last_name(lowered[0])) \
                    and lowered[0] not in SUFFIXES:
                continue  # "Witness: Lund" is a person
            elif len(words) == 2 and lexicon.is_first_name(lowered[0]) and lexicon.is_last_name(lowered[1]) \
                    and not any(w in SUFFIXES for w in lowered):
                continue
            out.append(self.span(start + run.start(1) - run.start(), start + run.start(1) - run.start() + len(value),
                                 "LOCATION", f"an organization named after '{m.group().strip()}'", 0.6))
        return out

    # "screened at Silver Pines", "moved to Harbor Lights": two or more capitalised words after
    # "at", "to", "from" in the middle of a sentence of a mixed-case note are a named place
    def _placed_runs(self, doc: Document) -> list[Span]:
        out = []
        if not doc.cased:
            return out
        tokens = doc.tokens
        for i, t in enumerate(tokens[:-2]):
            if t.text not in ("at", "to", "from"):
                continue
            run = []
            j = i + 1
            while j < len(tokens) and len(run) < 4 and tokens[j].cap and doc.between(tokens[j - 1], tokens[j]) == " ":
                run.append(tokens[j])
                if tokens[j].possessive:
                    break
                j += 1
            if len(run) < 2:
                continue
            lowered = [r.base for r in run]
            if any(w in lexicon.TITLES or w in lexicon.RELATIONS or lexicon.is_not_identifier(w) or lexicon.is_clinical(w)
                   or w in lexicon.MONTHS_AND_DAYS for w in lowered):
                continue
            if lexicon.is_first_name(lowered[0]) and not lexicon.word_sense_dominates(lowered[0]):
                continue  # "to Maria Lund": a person
            if all(w in lexicon.GENERIC_ORG_HEADS or w in SUFFIXES for w in lowered):
                continue
            out.append(self.span(run[0].start, self._end(run[-1]), "LOCATION",
                                 f"capitalised words after '{t.text}' name a place", 0.45))
        return out

    # "at Dillard's", "TO BOUDREAUX'S", "attend UTEP", "at UTEP El Paso"
    def _stores(self, doc: Document) -> list[Span]:
        out = []
        text = doc.text
        for m in STORE_RE.finditer(text):
            words = re.findall(r"[A-Za-z]+", m.group(1))
            base = words[-2].lower() if len(words) >= 2 and words[-1].lower() == "s" else words[-1].lower()
            if lexicon.is_first_name(base) or lexicon.is_not_identifier(base) or lexicon.word_sense_dominates(base) or base in lexicon.RELATIONS:
                continue
            out.append(self.span(m.start(1), m.end(1) - 2, "LOCATION", "a business named in the possessive ('at Dillard's')", 0.6))
        if doc.all_caps:
            for m in CAPS_ACRONYM_AT_RE.finditer(text):
                acro = m.group(1)
                if acro in lexicon.US_STATES or lexicon.word_level(acro.lower()) is not None or lexicon.is_clinical(acro) \
                        or acro.lower() in lexicon.TITLES or acro.lower() in lexicon.CREDENTIALS \
                        or lexicon.is_not_identifier(acro.lower()) or (len(acro) > 4 and re.search(r"[AEIOUY]", acro)):
                    continue  # a state, a word, clinical shorthand, or a five-letter word no list holds
                out.append(self.span(m.start(1), m.end(1), "LOCATION", "an organization's initials after 'at', 'to', 'from'", 0.55))
        if doc.cased:
            for m in ACRONYM_AT_RE.finditer(text):
                acro = m.group(1)
                if lexicon.is_not_identifier(acro.lower()) or acro in lexicon.US_STATES or acro in ("ED", "ER", "OR", "US", "USA", "AM", "PM", "I", "ID"):
                    continue
                if acro.lower() in lexicon.TITLES or acro.lower() in lexicon.CREDENTIALS:
                    continue  # "called to DR. X", "sent to NP": a title or a credential, never an organization
                end = m.end(2) if m.group(2) and not lexicon.is_common_word(m.group(2).lower(), 35) else m.end(1)
                out.append(self.span(m.start(1), end, "LOCATION", "an organization's initials after 'at', 'attend'", 0.55))
        return out

    def _ending_at(self, doc: Document, i: int) -> Span | None:
        tokens = doc.tokens
        # extend right over further suffix words ("Medical Center", "School for the Deaf")
        end_i = i
        while end_i + 1 < len(tokens):
            nxt = tokens[end_i + 1]
            gap = doc.between(tokens[end_i], nxt)
            if gap.strip() not in ("", "&") or "\n" in gap:
                break
            if (nxt.cap or nxt.upper) and nxt.base in SUFFIXES:
                end_i += 1
                continue
            if nxt.lower in ("of", "for") and end_i + 2 < len(tokens):
                k = end_i + 2
                if tokens[k].lower == "the" and k + 1 < len(tokens):
                    k += 1
                if doc.cased and tokens[k].cap and not lexicon.is_not_identifier(tokens[k].base):
                    end_i = k
                    continue
                # in capitals: "UNIVERSITY OF OREGON", "SCHOOL FOR THE DEAF" up to a function word
                if (not doc.cased or tokens[i].upper) and all(doc.between(tokens[x], tokens[x + 1]) == " " for x in range(end_i, k)):
                    last = k
                    while last < len(tokens) and last - k < 3 and tokens[last].lower not in STOP \
                            and not lexicon.is_not_identifier(tokens[last].base) \
                            and (last == k or doc.between(tokens[last - 1], tokens[last]) == " "):
                        last += 1
                    if last > k:
                        end_i = last - 1
                        continue
            break
        # extend left over the name
        start_i = i
        j = i - 1
        names = 0
        while j >= 0 and i - j <= 6:
            p = tokens[j]
            gap = doc.between(p, tokens[start_i])
            if "\n" in gap or gap.strip() not in ("", "&", ".", "'", "’") and gap != "-":
                break
            if gap.strip() == "." and len(p.text) > 3:
                break  # "REFUSED TAR SHAMPOO. LARKSPUR CT HOUSE": a sentence ends there ("ST. MARY'S" goes on)
            if doc.cased:
                if p.cap or p.upper or (p.lower in ("&", "of", "and", "the", "de", "la") and j > 0 and (tokens[j - 1].cap or tokens[j - 1].upper)):
                    if p.lower in STOP and not p.cap and p.lower not in ("of", "and", "the", "de", "la"):
                        break
                    if p.sent_start and p.lower in STOP:
                        break
                    start_i = j
                    names += p.base not in SUFFIXES and p.lower not in CONNECTORS
                    if p.sent_start:
                        break
                    j -= 1
                    continue
                break
            else:
                if p.lower in STOP or lexicon.is_not_identifier(p.base) or p.base in lexicon.RELATIONS:
                    break
                if p.base not in SUFFIXES and p.base not in GEO_WORDS and lexicon.is_common_word(p.base, 20) and j < i - 1:
                    break
                start_i = j
                names += p.base not in SUFFIXES
                if p.line_start:
                    break
                j -= 1
        while start_i < i and tokens[start_i].lower in CONNECTORS:
            start_i += 1
        span_toks = tokens[start_i:end_i + 1]
        head = [t for t in span_toks if t.base not in SUFFIXES and t.lower not in CONNECTORS]
        if not head:
            # "University of Kansas": a head word then "of" + name
            if span_toks[0].base in PREFIX_HEADS and end_i > i:
                return self.span(span_toks[0].start, self._end(span_toks[-1]), "LOCATION", "organization ('University of ...')", 0.75)
            return None
        proper = [t for t in head if _proper(doc, t)]
        strong = any(t.base in lexicon.ORG_STRONG for t in span_toks)
        capitals = not doc.cased or all(t.upper for t in span_toks)  # a line in capitals says nothing by its case
        specific = [t for t in head if t.base not in lexicon.GENERIC_ORG_HEADS and not lexicon.is_not_identifier(t.base)
                    and (not capitals or t.base in GEO_WORDS or not lexicon.is_common_word(t.base, 35)
                         or (t.base in lexicon.us_places() and tokens[i].base in TOWN_ORGS))]
        if tokens[i].base == "office" and any(t.possessive and t.base not in ("sheriff", "attorney", "coroner") for t in span_toks):
            return None  # "Dr. Lund's office": a person's office, not an organization's name
        if (span_toks[0].start > 0 and doc.text[span_toks[0].start - 1] == "-") or doc.text[span_toks[-1].end:span_toks[-1].end + 1] == "-":
            return None  # "school-based clinic"
        geo = [t for t in head if t.base in GEO_WORDS and (t.cap or t.upper)]
        # in capitals, "AT JEWISH HEALTHCARE CENTER": a place-like preposition before, and a name word that is not a kind
        prev = tokens[start_i - 1] if start_i > 0 else None
        placed = (not doc.cased and prev is not None and prev.lower in _PLACED_AFTER and doc.between(prev, span_toks[0]) == " "
                  and any(t.base not in lexicon.GENERIC_ORG_HEADS and not lexicon.is_not_identifier(t.base) for t in head))
        town = any(t.base in lexicon.us_places() for t in head) and tokens[i].base in TOWN_ORGS
        if not proper and not placed and not town and not (strong and specific) and not (geo and specific) \
                and not (len(head) >= 2 and len(specific) >= 1 and doc.cased and not all(t.upper for t in span_toks)):
            return None  # "Intensive Outpatient Program", "Support Group": a kind of thing, not a named one
        last = tokens[i].base
        return self.span(span_toks[0].start, self._end(span_toks[-1]), "LOCATION",
                         f"named organization ending in '{last}'", 0.75)

    @staticmethod
    def _end(t: Token) -> int:
        return t.end - 2 if t.possessive else t.end

    @staticmethod
    def _a_service(doc: Document, span: Span) -> bool:
        """"Interventional Radiology", "Radiation Oncology", "Vascular Surgery and Neurology", "DEPARTMENT
        OF RADIOLOGY": a hospital's service or department, named by its specialty and clinical
        adjectives, not an organization's name ("Cornerstone Cardiology", "Granite Nephrology")."""
        words = re.findall(r"[^\W\d_]+", doc.text[span.start:span.end].lower())
        if not words or words[-1] not in lexicon.SPECIALTY_HEADS:
            return False
        return all(w in lexicon.SPECIALTY_HEADS or w in CONNECTORS or w in SERVICE_WORDS or lexicon.is_clinical(w)
                   or w in lexicon.clinical_words() or lexicon.is_not_identifier(w)
                   or (w.endswith(SERVICE_ADJ_ENDINGS) and not lexicon.is_first_name(w) and not lexicon.is_last_name(w))
                   for w in words)

    # "works at Corvane", "attends Hollins", "employed by Pelham & Birch"
    def _after_context(self, doc: Document) -> list[Span]:
        out = []
        tokens = doc.tokens
        text = doc.text
        for i, t in enumerate(tokens):
            if not (t.cap or (t.upper and not doc.cased and len(t.text) > 2)):
                continue
            if doc.cased and i > 0 and (tokens[i - 1].cap or tokens[i - 1].upper) and doc.between(tokens[i - 1], t) == " ":
                continue  # not the first word of a run
            before = text[max(0, t.start - 40):t.start]
            if not EMPLOY_RE.search(before) or t.base in lexicon.TITLES:
                continue  # "his teacher Mrs. Lund": a title, then a name
            seq = [t]
            j = i + 1
            while j < len(tokens) and len(seq) < 5:
                nxt = tokens[j]
                if doc.between(seq[-1], nxt) not in (" ", " & ", "-", "'", "’"):
                    break
                if doc.cased and not (nxt.cap or nxt.upper):
                    break
                if not doc.cased and (nxt.lower in STOP or lexicon.is_common_word(nxt.base, 35)):
                    break
                seq.append(nxt)
                j += 1
            head = [s for s in seq if s.base not in SUFFIXES]
            if any(lexicon.is_not_identifier(s.base) for s in seq):
                continue
            if len(seq) > 1 and seq[-1].base in lexicon.CREDENTIALS and seq[-1].upper:
                continue  # "ATTENDING EMMETT KACZMAREK MD": a physician, not a workplace
            if head and all(lexicon.is_common_word(s.base, 35) for s in head) and not (doc.cased and len(seq) > 1):
                continue
            if len(seq) == 1 and lexicon.is_first_name(seq[0].base) and not lexicon.is_common_word(seq[0].base):
                continue
            out.append(self.span(seq[0].start, self._end(seq[-1]), "LOCATION", "workplace or school after 'works at', 'attends'", 0.65))
        return out

    # "St. Columba's", "Saint Jude", "St. Agnes Academy", "Our Lady of Lourdes"
    def _saints(self, doc: Document) -> list[Span]:
        out = []
        tokens = doc.tokens
        for i, t in enumerate(tokens):
            if t.lower not in ("st", "saint", "our", "ste") or i + 1 >= len(tokens):
                continue
            if t.lower == "our":
                if i + 3 < len(tokens) and tokens[i + 1].lower == "lady" and tokens[i + 2].lower == "of":
                    seq = [t, tokens[i + 1], tokens[i + 2]]
                    j = i + 3
                    while j < len(tokens) and len(seq) < 7 and (tokens[j].cap or tokens[j].upper) and doc.between(seq[-1], tokens[j]) == " ":
                        seq.append(tokens[j])
                        j += 1
                    if len(seq) > 3:
                        out.append(self.span(t.start, self._end(seq[-1]), "LOCATION", "parish ('Our Lady of ...')", 0.75))
                continue
            nxt = tokens[i + 1]
            if doc.between(t, nxt) not in (". ", " ") or not (nxt.cap or nxt.upper):
                continue
            prev = doc.prev(i)
            if t.lower == "ste" and re.search(r"\d[ \t]*$", text_before(doc, t)):
                continue  # "12 STE": steps to enter a home
            if t.lower == "st" and (nxt.base in ST_CLINICAL or lexicon.is_clinical(nxt.base) and not lexicon.is_first_name(nxt.base)):
                continue  # "ST SEGMENTS", "ST elevation": the ECG's ST segment
            if t.lower == "st" and prev is not None and (prev.cap or prev.upper) and doc.between(prev, t) == " " and not doc.cased:
                continue  # "MAIN ST" is a street
            if t.lower == "st" and doc.cased and prev is not None and prev.cap and doc.between(prev, t) == " ":
                continue
            seq = [t, nxt]
            j = i + 2
            while j < len(tokens) and len(seq) < 5 and (tokens[j].cap or tokens[j].upper) and doc.between(seq[-1], tokens[j]) == " ":
                if not doc.cased and tokens[j].lower in STOP:
                    break
                seq.append(tokens[j])
                j += 1
            # a city ("St. Louis") is the place recognizer's; a church or school is ours either way
            out.append(self.span(t.start, self._end(seq[-1]) if seq[-1].base in SUFFIXES else seq[-1].end, "LOCATION",
                                 "name beginning with 'Saint'", 0.65))
        return out


def text_before(doc: Document, t: Token) -> str:
    """The short stretch of text before a word (a number, a punctuation mark)."""
    return doc.text[max(0, t.start - 5):t.start]


ST_CLINICAL = {"segment", "segments", "elevation", "elevations", "depression", "depressions", "changes", "change", "wave",
               "waves", "abnormality", "abnormalities", "interval", "stemi"}


def _proper(doc: Document, t: Token) -> bool:
    """Is this word of a name a proper name (not an ordinary word, nor clinical)?"""
    b = t.base
    if lexicon.is_not_identifier(b) or b in lexicon.GENERIC_ORG_HEADS or lexicon.is_clinical(b):
        return False
    if b in lexicon.clinical_words() and not lexicon.is_last_name(b) and not lexicon.is_first_name(b):
        return False  # "Palliative Care", "Bariatric Surgery Center": kinds of care, not names
    if doc.cased and t.upper and len(b) >= 2 and not _in_caps_line(doc, t):
        return True  # "XYZ Medical Center", "ABC Family Services"
    level = lexicon.word_level(b)
    if level is None or level > 35:
        return True
    return lexicon.is_first_name(b) or lexicon.is_last_name(b) and level > 20


@lru_cache(maxsize=1)
def _chain_firsts() -> frozenset[str]:
    """The first word of every chain's name ("dollar" of "dollar-general"): most words start none."""
    return frozenset(k.split("-")[0] for k in lexicon.STORES)


def _in_caps_line(doc: Document, t: Token) -> bool:
    """Is `t` on a line written all in capitals (a heading, a form's title)?"""
    text = doc.text
    start = text.rfind("\n", 0, t.start) + 1
    end = text.find("\n", t.end)
    line = text[start:len(text) if end < 0 else end]
    return not any(c.islower() for c in line)
