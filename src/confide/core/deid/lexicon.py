"""Word lists the recognizers share, loaded once from files shipped in packages.

- given names and surnames: the 1990 US Census lists inside the `names` package;
- ordinary English words with a frequency level: SCOWL (data/english_words.txt.gz);
- US places: libphonenumber's area-code geodata (data/us_places.txt.gz);
- countries: pytz's ISO 3166 table;
- states, titles, relations, credentials, organization words: small generic tables here.
Nothing is downloaded at run time.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources

from .data.clinical import ABBREVIATIONS, MONTHS, NOT_IDENTIFIERS, WEEKDAYS

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "Virgin Islands",
}
STATE_NAMES = {v.lower(): k for k, v in US_STATES.items()}

TITLES = frozenset("""
dr dr. doctor mr mr. mrs mrs. ms ms. miss mx mx. prof prof. professor rev rev. reverend pastor
father fr fr. sister br. brother imam rabbi deacon elder bishop coach officer ofc ofc. det det.
detective sgt sgt. sergeant lt lt. lieutenant capt capt. captain cpl cpl. pvt pvt. judge hon
hon. attorney atty atty. nurse principal counselor supervisor agent trooper deputy chief
sr. jr. madam sir auntie uncle
""".split())

RELATIONS = frozenset("""
mother mom mommy mum mama ma father dad daddy papa pa parent parents stepmother stepmom
stepfather stepdad stepson stepdaughter stepbrother stepsister sister sis brother bro son
daughter child kid kids children wife husband spouse partner fiance fiancee fiancé fiancée
boyfriend girlfriend bf gf ex ex-wife ex-husband ex-partner ex-boyfriend ex-girlfriend
grandmother grandma granny nana grandfather grandpa granddad grandparent grandson
granddaughter grandchild aunt auntie uncle cousin niece nephew in-law mother-in-law
father-in-law sister-in-law brother-in-law godmother godfather friend bestie roommate
neighbor neighbour coworker co-worker colleague boss manager supervisor teacher coach
sponsor pastor counselor therapist caseworker worker guardian foster sibling siblings twin
classmate baby infant toddler peer member members client clients patient pt caller
""".split())

CREDENTIALS = frozenset("""
md do phd psyd edd lcsw licsw lisw lmsw msw bsw lpc lpcc lpc-s lpc-a lpc-associate lmhc lmhc-a
lmft lmfta mft lcpc lpcmh lcmhc lcmhc-a ncc cadc ladc lcadc cdp cap casac acsw rn np pmhnp
aprn fnp pa pa-c lpn cna lac lmhp lcat atr bcba ma ms med mft-i lsw lcdc cpc rpt cmhc
ndp ot slp lscsw lcsw-c lcsw-r qmhp cswa macc mac cac rpsgt psychologist psychiatrist limhp limft aamft lcsw-s
crna crnp cnm dnp bsn msn rrt rph pharmd mph mbbs mbchb facs facp facc facep faap facog fccp fasn frcpc mrcp
dpm dds dmd dpt od ccc-slp otr otr/l cota rd rdn ld cde cdces ibclc cnl ccrn cen cpn
esq esquire jd lmft-s lpcc-s bc-tmh cct csat cgp crc cpss cprs peer-specialist lisw-s lisw-cp licdc lcdc-i ladc-i mlads lmhc-s
""".split())

# Words that end an organization's name. STRONG ones name a kind of place on their own
# ("Lakeside Hospital"); the others ("... Health", "... Group") need a proper name before them.
ORG_STRONG = frozenset("""
school schools elementary academy university college institute hospital clinic clinics church parish cathedral
chapel temple mosque masjid synagogue pharmacy inc inc. llc llc. corp corp. corporation ltd logistics enterprises
industries pavilion library ymca ywca restaurant cafe café diner motors roofing dentistry pediatrics fellowship
ministries congregation courthouse penitentiary seminary preschool daycare montessori lutheran methodist baptist
presbyterian episcopal catholic medicine opera
""".split())
# a medical specialty or service that ends a practice's name ("Cornerstone Cardiology", "Westside
# Imaging"); alone or after clinical adjectives it is a hospital's service ("Interventional Radiology")
SPECIALTY_HEADS = frozenset("""
cardiology nephrology oncology hematology dialysis rehab rehabilitation orthopedics orthopaedics urology dermatology
gastroenterology pulmonology neurology endocrinology imaging radiology hospice
""".split())
ORG_WORDS = ORG_STRONG | frozenset("""
middle high prep preparatory center centre centers medical health healthcare behavioral wellness services associates
partners counseling counselling psychiatry psychological psychology recovery company co co. bank credit union
department dept dept. club gym fitness market store stores bar grill pub insurance mutual construction dental
hardware grocery supermarket dealership tavern laundromat pd fd precinct sheriff's courthouse tribunal
house homes shelter agency authority court jail prison base station mill plant factory farm farms ranch hotel motel
inn casino mall salon studio studios bakery brewery shop garage auto airlines airline transit railway network
solutions systems technologies consulting foundation society alliance coalition collective cooperative co-op
outreach resources memorial regional children's supply supplies towers housing council association collaborative
hub warehouse foods group practice ministry apartments village manor lodge general
care office sheriff district body
""".split()) | SPECIALTY_HEADS
# Chains and large employers a note names as a workplace or a place visited: general knowledge,
# matched only written as a name (capitalised, or in a note in capitals).
STORES = frozenset("""
walmart costco kroger safeway walgreens cvs rite-aid albertsons publix meijer aldi wegmans heb h-e-b
home-depot lowe's lowes menards ikea best-buy dollar-general dollar-tree family-dollar big-lots fred-meyer
whole-foods trader-joe's winco food-lion giant-eagle hy-vee piggly-wiggly sam's-club bj's kohl's macy's
jcpenney nordstrom tj-maxx marshalls ross petsmart petco autozone o'reilly jiffy-lube goodwill starbucks
mcdonald's wendy's burger-king taco-bell chipotle subway dunkin applebee's denny's ihop chick-fil-a
popeyes arby's sonic panera olive-garden red-lobster cracker-barrel waffle-house tyson cargill
target amazon fedex ups usps u-haul bi-mart rei michaels hobby-lobby staples office-depot gamestop dick's
old-navy gap foot-locker ulta sephora bed-bath jack-in-the-box carl's-jr dairy-queen five-guys in-n-out
""".split())
GENERIC_ORG_HEADS = frozenset("""
mental behavioral local general community psychiatric state public private high middle elementary medical new old
same other big small nearby first second third this that family county city day night summer sunday residential
outpatient inpatient intensive partial crisis emergency urgent primary specialty women's children's youth adult
adolescent senior student school university college hospital clinic center treatment recovery health care the a an
support therapy group program counseling services service substance abuse addiction wellness eating disorder
disorders sud dual diagnosis trauma grief bereavement anxiety depression home our your his her their
perinatal postpartum prenatal pediatric geriatric accessible education educational prevention relapse exposure
written individualized gambling peer parenting family-based integrated comprehensive specialized veterans
billing records intake admissions scheduling nursing pharmacy psychology psychiatry social work
""".split())

MONTHS_AND_DAYS = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(m[:3] for m in MONTHS)

PLACE_PREPOSITIONS = frozenset("in from near to at outside toward towards around of".split())


@lru_cache(maxsize=1)
def english_levels() -> dict[str, int]:
    """Lower-case ordinary English word -> SCOWL level (10 most common .. 70 rare)."""
    path = resources.files("confide.core.deid.data") / "english_words.txt.gz"
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as f:
        out: dict[str, int] = {}
        for line in f:
            word, _, level = line.rstrip("\n").partition("\t")
            out[word] = int(level)
    return out


@lru_cache(maxsize=1)
def clinical_words() -> frozenset[str]:
    """Single words of clinical language: ICD-10-CM's descriptions and one-word drug names
    (data/clinical_words.txt.gz, built by data/build_data.py; common names left out)."""
    path = resources.files("confide.core.deid.data") / "clinical_words.txt.gz"
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as f:
        return frozenset(line.partition("\t")[0] for line in f if line.strip())


@lru_cache(maxsize=65536)
def is_clinical(word: str) -> bool:
    """Is `word` clinical language (a drug, a disease word, an abbreviation), never a name?
    Ordinary English words ("feathers", "school") are left to the word list and context."""
    w = word.lower().rstrip(".")
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if w in NOT_IDENTIFIERS or w in ABBREVIATIONS:
        return True
    return w in clinical_words() and word_level(w) is None


def _census(filename: str) -> dict[str, float]:
    path = resources.files("names") / filename
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            out[parts[0].lower()] = float(parts[1])
    return out


@lru_cache(maxsize=1)
def first_names() -> dict[str, float]:
    """Census given names (lower-case) -> percent of people with it (men and women summed)."""
    out = _census("dist.female.first")
    for name, freq in _census("dist.male.first").items():
        out[name] = out.get(name, 0.0) + freq
    return out


@lru_cache(maxsize=1)
def last_names() -> dict[str, int]:
    """Census surnames (lower-case) -> rank (1 = Smith)."""
    path = resources.files("names") / "dist.all.last"
    out: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            out[parts[0].lower()] = int(parts[3])
    return out


@lru_cache(maxsize=1)
def us_places() -> dict[str, frozenset[str]]:
    """Lower-case US/Canadian place name -> the state or province codes it is found in."""
    path = resources.files("confide.core.deid.data") / "us_places.txt.gz"
    out: dict[str, set[str]] = {}
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as f:
        for line in f:
            city, _, state = line.rstrip("\n").partition("\t")
            out.setdefault(city.lower(), set()).add(state)
    for name in US_STATES.values():
        out.pop(name.lower(), None)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    import pytz
    from phonenumbers import SUPPORTED_REGIONS
    from phonenumbers.geocoder import _region_display_name

    names: set[str] = set()
    # pytz's ISO table and libphonenumber's English region names ("United Kingdom",
    # "South Korea", which pytz spells otherwise)
    for name in [*pytz.country_names.values(), *(_region_display_name(r, "en") for r in SUPPORTED_REGIONS)]:
        name = name.replace("&", "and").lower()
        if not name or "(" in name or "," in name:
            continue
        names.add(name)
    names |= {"vietnam", "viet nam", "russia", "iran", "syria", "laos", "korea", "south korea",
              "north korea", "congo", "tanzania", "venezuela", "bolivia", "moldova", "micronesia",
              "united states", "usa", "u.s.", "america", "england", "scotland", "wales", "great britain",
              "uk", "burma", "the philippines", "czech republic", "ivory coast", "palestine"}
    return frozenset(names)


@lru_cache(maxsize=1)
def place_words_max() -> int:
    return max(len(p.split()) for p in us_places())


@lru_cache(maxsize=65536)
def word_level(word: str) -> int | None:
    """SCOWL level of an ordinary word (lower-case), None when it is no ordinary word."""
    levels = english_levels()
    w = word.lower()
    if w in levels:
        return levels[w]
    for suffix in ("'s", "’s", "s'", "s", "es"):
        if w.endswith(suffix) and w[: -len(suffix)] in levels:
            return levels[w[: -len(suffix)]]
    if w.endswith("ies") and len(w) > 6 and w[:-3] + "y" in levels:  # "susceptibilities", "therapies"
        return levels[w[:-3] + "y"]
    if re.search(r"['’](?:s|t|ll|d|re|ve|m)$", w):  # a contraction: "I'm", "wouldn't" (not "d'arcy")
        return 10
    return None


def is_common_word(word: str, max_level: int = 50) -> bool:
    level = word_level(word)
    return level is not None and level <= max_level


def is_first_name(word: str) -> bool:
    return word.lower() in first_names()


def is_last_name(word: str) -> bool:
    return word.lower() in last_names()


@lru_cache(maxsize=65536)
def is_not_identifier(word: str) -> bool:
    w = word.lower().rstrip(".")
    if w in NOT_IDENTIFIERS or w in MONTHS or w in WEEKDAYS:
        return True
    return w.endswith("s") and (w[:-1] in WEEKDAYS or w[:-1] in NOT_IDENTIFIERS and len(w) > 4)


def warm() -> None:
    """Load every list now (the first note otherwise pays for it)."""
    english_levels(), first_names(), last_names(), us_places(), countries(), clinical_words()


@lru_cache(maxsize=65536)
def word_sense_dominates(word: str) -> bool:
    """Is `word` more likely the ordinary word than a name? "will", "hope", "mark": yes;
    "maria", "john", "earl" (rare as words, common as given names): no."""
    level = word_level(word)
    if level is None or level > 50:
        return False
    if level >= 35 and first_names().get(word.lower(), 0.0) >= 0.1:
        return False
    return True
