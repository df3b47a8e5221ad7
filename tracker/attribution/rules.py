"""Claim candidates: who said what, found by rules in plain article text.

A reporter reading coverage logs the sentences that carry a sourced claim: a
quotation, an attributed statement, a denial or confirmation, a "declined to
comment", a hedged report. This module finds those sentences so the reporter
triages a short list instead of rereading every article. It is pure (text in,
candidates out) so it runs the same in the scraper, the CLI and the tests.

Why rules and not a model: the cues newsrooms use for attribution are few and
conventional ("said", "according to", "declined to comment", a quotation
followed by "— Name" on the next line), the rules are explainable to a
reporter, they run in well under a millisecond per sentence, and nothing has
to be downloaded. Every sentence yields at most one candidate; the text, the
quote and their offsets always point into the input exactly, so evidence can
be attached to a revision without re-searching.

Input is plain text with one paragraph per line, which is how revisions are
stored; stray HTML tags are blanked (offsets kept) rather than parsed.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from scrapers.outletwords import OUTLET_NAME_WORDS
from tracker.vocab import CLAIMANT_TYPES  # noqa: F401 - the types a candidate's claimant can have

KINDS = ("quote", "claim", "denial", "confirmation", "no_comment", "hedged")

# Sentences longer than this are not prose a reporter would log (a run-on
# scrape, a data dump); skipping them keeps the rules linear on hostile input.
MAX_SENTENCE = 1500


@dataclass
class Candidate:
    """One sentence that may carry a claim; text[start:end] of the input is exactly ``text``."""

    kind: str
    text: str
    start: int
    end: int
    claimant: str | None = None
    claimant_type: str = "unattributed"
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    # The attributed words alone (quotation marks stripped); pieces of a quotation split by "she said"
    # are joined in content and each keeps its offsets in content_spans.
    content: str | None = None
    content_start: int | None = None
    content_end: int | None = None
    content_spans: list[tuple[int, int]] = field(default_factory=list)
    cue: str | None = None  # "said", "according to", "denied"
    cue_start: int | None = None
    cue_end: int | None = None
    # Where the source is named in the text ("he" even when the claimant resolved to a name).
    source_start: int | None = None
    source_end: int | None = None
    fingerprint: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.fingerprint:
            self.fingerprint = fingerprint(self.text)


# --------------------------------------------------------------------------- normalisation

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`\u2039\u203a"), "'") | dict.fromkeys(
    map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'
)
_DASHES_AND_QUOTES = {chr(k): v for k, v in (_DASHES | _QUOTES).items()}
_DASH_OR_QUOTE = re.compile("[" + "".join(_DASHES_AND_QUOTES) + "]")
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Casefolded, quotes and dashes unified, whitespace collapsed: what two outlets' copies share."""
    text = text or ""
    if not text.isascii() or "`" in text:
        text = unicodedata.normalize("NFKC", text)
        text = _DASH_OR_QUOTE.sub(lambda m: _DASHES_AND_QUOTES[m.group()], text)
    return _WS.sub(" ", text).strip().casefold()


def fingerprint(text: str) -> str:
    """Same sentence from another outlet (curly vs straight quotes, spacing, case) → same fingerprint."""
    return hashlib.sha1(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------- lexicon

_WORDS = str.split
HONORIFICS = set(_WORDS("mr. mrs. ms. dr. prof. mx. sir dame rev. mr mrs ms dr prof"))
# Offices, looked up without a full stop (_tok strips it): "Sen. Tom Hale" is Tom Hale, as "Mayor Ana Ruiz" is Ana
# Ruiz. An honorific (HONORIFICS: "Dr.", "Prof.", "Ms.") is how a person is addressed, and stays with the name.
TITLES = set(
    _WORDS(
        "minister senator sen president governor gov mayor secretary chancellor chairman chairwoman chair "
        "ceo cfo coo cto chief executive director judge justice commissioner councillor councilman "
        "councilwoman congressman congresswoman rep mp deputy prime general gen attorney prosecutor sheriff "
        "spokesperson spokesman spokeswoman founder co-founder inspector superintendent ambassador premier "
        "king queen prince princess pope lawyer economist analyst officer head manager"
    )
)
# The same in the other languages the rules read: "sagte Bürgermeisterin Anna Weber", "dijo la Alcaldesa Ana Ruiz".
# An office written in lower case ("la maire Anne Leroy") is left out as any lower-case role is; these lists are for
# the capitalised ones. French "maire" is not listed: "Bruno Le Maire" is a name.
TITLES_DE = set(
    _WORDS(
        "bürgermeister bürgermeisterin oberbürgermeister oberbürgermeisterin ministerin ministerpräsident "
        "ministerpräsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin senatorin staatssekretär "
        "staatssekretärin landrat landrätin abgeordnete abgeordneter sprecher sprecherin präsident präsidentin"
    )
)
TITLES_FR = set(_WORDS("ministre président présidente sénateur sénatrice député députée préfet préfète porte-parole"))
TITLES_ES = set(
    _WORDS(
        "alcalde alcaldesa ministro ministra presidente presidenta senador senadora diputado diputada "
        "gobernador gobernadora portavoz"
    )
)
TITLES |= TITLES_DE | TITLES_FR | TITLES_ES
PARTICLES = set(_WORDS("de del della der den van von da di du la le bin ibn al el dos das ter"))
ORG_WORDS = set(
    _WORDS(
        "inc inc. corp corp. corporation co. company companies ltd ltd. llc plc ag gmbh sa nv group holdings "
        "partners capital bank traders trading toys works industries systems technologies tech labs "
        "laboratories software airlines airways motors foods energy pharmaceuticals pharma union unions "
        "ministry department dept. agency authority commission council committee board bureau office service "
        "services police court university college institute school foundation association federation society "
        "party government parliament senate congress assembly army navy hospital fund trust club church "
        "network studios insurance securities ventures solutions consulting electric retail stores markets "
        "exchange organization organisation alliance coalition center centre cooperative administration "
        "regulator watchdog reserve treasury cabinet municipality county republic health healthcare medical "
        "clinic clinics pharmacy coffee travel tours winery wineries brewery breweries importers exporters "
        "distributors logistics shipping freight transport transit railways rail mining metals steel chemicals "
        "oil gas power utilities water automotive finance financial investments asset assets management wealth "
        "payments lending realty properties hotels resorts restaurants apparel fashion beverages brands "
        "cosmetics electronics devices instruments telecom communications wireless mobile digital media games "
        "entertainment robotics analytics bakery farms mills construction builders engineering architects "
        "design developments enterprises associates advisors advisers agencies manufacturing aerospace "
        "defense defence semiconductors biotech therapeutics diagnostics sciences"
    )
)
# Words that make a run of capitalised words a place, not a person: one opening it ("North Korea", "West Virginia",
# "New Hampshire", "United States") or one closing it ("Saudi Arabia", "the White House", "Wall Street"). Only in
# those places: "Allen West" and "Oliver North" are people. A country or the White House speaks as an institution.
PLACE_OPENERS = set(_WORDS("north south east west northern southern eastern western new united saudi hong sri"))
PLACE_HEADS = set(
    _WORDS(
        "korea arabia africa america asia europe carolina dakota virginia jersey hampshire mexico zealand "
        "kingdom states emirates island islands house street kong lanka"
    )
)
# Words that make a run of capitalised words an outlet's name: those outlets' names are made of, shared with bylines
# (scrapers.outletwords), and what names an outlet only in a sentence: "the Ledger" and "The Economist" (in a byline
# a writer's surname and job, "Heath Ledger", "Jane Doe, Chief Economist"), and the agencies and broadcasters a story
# credits by name (a byline tells those by its own rules: a wire service signs beside a person, where another
# outlet is where the person works). Bylines' own words ("Mail", "Star", "Independent", German outlets' words) open
# other names in a sentence ("Royal Mail", "Independent Commission") and are not read here.
OUTLET_WORDS = set(OUTLET_NAME_WORDS) | set(_WORDS("ledger economist reuters ap afp bbc cnn cnbc npr"))
ANON_NOUNS = set(
    _WORDS(
        "employee employees worker workers engineer engineers manager managers contractor contractors official "
        "officials analyst analysts source sources people person staff staffer staffers critic critics observer "
        "observers expert experts insider insiders executive executives colleague colleagues member members "
        "resident residents witness witnesses lawmaker lawmakers officer officers investigator investigators "
        "researcher researchers economist economists scientist scientists supervisor supervisors lawyer lawyers "
        "attorney attorneys consultant consultants agent agents diplomat diplomats aide aides adviser advisers "
        "advisor advisors banker bankers investor investors shareholder shareholders customer customers user "
        "users one someone others director directors leader leaders driver drivers nurse nurses doctor doctors "
        "teacher teachers student students parent parents developer developers designer designers technician "
        "technicians operator operators organiser organizer organisers organizers activist activists campaigner "
        "campaigners whistleblower whistleblowers mother father son daughter wife husband brother sister friend "
        "friends neighbour neighbor neighbours neighbors relative relatives partner widow "
        "mitarbeiter mitarbeiterin mitarbeiterinnen "
        "angestellte angestellter employé employée employés salarié salariée salariés trabajador trabajadora "
        "fuente fuentes quelle quellen responsable responsables fonctionnaire fonctionnaires funcionario "
        "funcionarios funcionaria funcionarias avocat avocate avocats abogado abogada abogados habitant habitants "
        "vecino vecinos"
    )
)
ORG_NOUNS = set(
    _WORDS(
        "spokesperson spokesman spokeswoman spokespeople spokespersons representative representatives company "
        "firm union ministry airline agency government department regulator regulators police bank group board "
        "council committee authority authorities administration commission office court university school "
        "hospital carrier retailer manufacturer maker organisation organization charity employer lender insurer "
        "startup team employers unions district city town county village province state "
        "mayor minister governor president premier chancellor judge prosecutor "
        "ceo chairman chairwoman chairperson sheriff commissioner ombudsman secretary "
        # offices written as a compound, whose head alone was no speaker's noun: "the harbour master", "the fire
        # chief", "the town clerk"; French "l’adjoint au maire" (the deputy mayor)
        "master harbourmaster harbormaster postmaster chief clerk coroner registrar warden constable marshal "
        "treasurer comptroller adjoint adjointe "
        "porte-parole sprecher sprecherin unternehmen konzern regierung entreprise "
        "société gouvernement portavoz empresa autorités autoridades behörde behörden"
    )
)
# An office without a name after the verb speaks for the office, as "the mayor" does: "a déclaré la ministre",
# "a indiqué le maire", "dijo la alcaldesa". The offices English types so ("mayor minister governor president judge
# prosecutor" above); German capitalises "die Bürgermeisterin", which is typed so already.
ORG_NOUNS |= set(
    _WORDS(
        "maire ministre président présidente préfet préfète gouverneur juge procureur procureure "
        "alcalde alcaldesa ministro ministra presidente presidenta gobernador gobernadora juez jueza"
    )
)
DOC_NOUNS = set(
    _WORDS(
        "document documents filing filings memo memos memorandum memoranda email emails e-mail e-mails lawsuit "
        "lawsuits suit complaint complaints minutes record records letter letters transcript transcripts file "
        "files papers slides presentation presentations message messages estimates estimate figures data "
        "statistics survey surveys poll polls study studies"
    )
)
OUTLET_NOUNS = set(_WORDS("newspaper paper outlet magazine broadcaster publication tabloid website daily"))
SPEAKER_PRONOUNS = {"he", "she", "it", "they", "i", "we"}
# German "er" / "sie" after a singular reporting verb ("…, sagte er.") and French "il" / "elle" inside one
# ("…, a-t-elle déclaré."): resolved as "he" / "she" are, and the claimant while unresolved.
PRONOUNS_ABROAD = {"er": "he", "sie": "she", "il": "he", "elle": "she"}
_PRONOUNS_AFTER_VERB = frozenset(("er", "sie"))  # French "il" after a verb is "il y a" ("ago"), not a speaker
# "a-t-elle déclaré": French puts a pronoun speaker inside the verb.
PRONOUN_IN_VERB = re.compile(r"-t-(il|elle)\b", re.I)
# Sentence adverbs and connectives: they open a sentence and never name who spoke ("Further, …", "Moreover the
# council …", "Zudem sagte …", "Cependant la mairie …", "Además dijo …"). One list, read into STOP_CAPS (no name
# word) and LEADING_ADVERBS (no part of a speaker's noun phrase).
SENTENCE_ADVERBS = set(
    _WORDS(
        "further furthermore moreover however meanwhile additionally separately also likewise similarly besides "
        "nonetheless nevertheless consequently therefore thus hence indeed instead otherwise accordingly "
        "conversely alternatively notably overall ultimately elsewhere still yet then now afterwards later "
        "earlier previously finally "
        "außerdem ausserdem zudem jedoch allerdings ferner dennoch indes inzwischen unterdessen daher deshalb "
        "trotzdem ebenfalls zugleich gleichzeitig schließlich "
        "cependant toutefois néanmoins pourtant ensuite enfin ailleurs également parallèlement désormais "
        "además asimismo también igualmente finalmente"
    )
)
STOP_CAPS = SENTENCE_ADVERBS | set(
    _WORDS(
        "the a an this that these those it its there here what why how when where who which some many most yes "
        "no in on at for of and but or nor so if as among asked according meanwhile however also still yet now then "
        "today yesterday he she they we i his her their our my you your after before while although though because "
        "since during under over about from with by to into breaking exclusive update updated photo read more "
        "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
        "august september october november december jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. "
        "neither both all every each one two three several let let’s let's afterwards later finally instead "
        "earlier previously separately moreover additionally furthermore nevertheless "
        "der die das den dem des ein eine einer es er sie wir ich dies diese dieser le la les il elle nous ce "
        "cette el los las ella"
    )
)
VERBISH = set(
    _WORDS(
        "is are was were be been being has have had do does did not will would can could should may might must "
        "that because if when whether than isn't aren't wasn't weren't hasn't haven't didn't doesn't won't"
    )
)
# A verb after a name that ends the name's noun phrase ("Anna Weber met workers …"): auxiliaries, and past tenses
# that are no noun or adjective. A regular past ("toured", "visited") is told by its "-ed" (combine._without_predicate).
FINITE_VERBS = set(
    _WORDS(
        "is are was were has have had will would can could should might must does did "
        "met went took made gave came won lost held led ran began brought bought built caught drew drove fought "
        "flew got grew kept knew paid rode rose sat saw sold spent stood stole struck swore taught thought threw "
        "wore spoke wrote told"
    )
)
CLAUSE_OPENERS = set(
    _WORDS(
        "that because while whereas although though if when since as but so yet then where what how why whether "
        "unless once until"
    )
)
# The pronoun a title before a name says is the person's: "Mrs. Ana Ruiz … He said" is not hers.
GENDER_OF_TITLE = {"mr.": "he", "mr": "he", "mrs.": "she", "mrs": "she", "ms.": "she", "ms": "she", "miss": "she"}
# Words that open a subordinate clause ("After Tom Hale said …, shares fell"): one opening a speaker's words is no
# part of the speaker. CLAUSE_OPENERS are read anywhere in them; these only at the start ("a witness before the
# committee" is one speaker).
SUBORDINATORS = CLAUSE_OPENERS | set(_WORDS("after before till whilst whenever wherever lest"))
LEADING_ADVERBS = SENTENCE_ADVERBS | set(_WORDS("and or but so even only today yesterday here there"))
HEAD_STOP = set(
    _WORDS(
        "of at for from in on with by to close familiar briefed who which that filed sent seen reviewed "
        "interviewed obtained representing working based involved knowledgeable speaking aware "
        "de du des proche proches auprès à au aux"
    )
)
GENERIC_REPORTS = re.compile(
    r"^(?:(?:a|the|these|those|some|several|other|recent|media|news|press|local|earlier|multiple|unconfirmed|"
    r"initial|further|new)\s+)*reports?$",
    re.I,
)
ABBREVIATIONS = set(
    _WORDS(
        "mr. mrs. ms. dr. prof. sr. jr. st. sen. rep. gov. gen. col. lt. sgt. capt. cmdr. adm. maj. rev. hon. "
        "inc. corp. ltd. co. bros. llc. plc. dept. univ. assn. jan. feb. mar. apr. jun. jul. aug. sep. sept. "
        "oct. nov. dec. e.g. i.e. etc. vs. v. cf. al. approx. no. nos. fig. vol. ch. pp. p. u.s. u.k. u.n. "
        "e.u. d.c. n.y. l.a. ft. mt. ave. blvd. est. min. max. dept. mssrs. messrs."
    )
)
SENTENCE_STARTERS = set(_WORDS("The It He She They We A An In On But And This That Its His Her Their"))

# Quotation marks. Opening → the closers that end it.
_DOUBLE_CLOSE = {"\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", "\u201f": "\u201d"}
_QUOTE_CHARS = re.compile("[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019\u201a\u2039\u203a\"']")
_ANY_DOUBLE = '"\u201c\u201d'
_DOUBLE_MARKS = set('"\u201c\u201d\u201e\u201f\u00ab\u00bb')
_MARK_OR_BREAK = re.compile("[\n" + "".join(sorted(_DOUBLE_MARKS)) + "]")
_OPENING_CONTEXT = set(" \t([{\u2014\u2013-/:;,\u00a0")
MASK = "\x01"

# --------------------------------------------------------------------------- patterns

_TIMEZONE = re.compile(r"[A-Z]{2,4}\b")
_DOTTED = re.compile(r"(?:[a-z]\.){2,}")
_NEXT_WORD = re.compile(r"\s*(\S*)")
_INITIALS = re.compile(r"[A-Z]\.(?:[A-Z]\.)*")
_JOINED = re.compile(r"\s+(?:and|nor|or)\s+|,\s*")
_JOINED_LEAD = re.compile(r"^(?:neither|both|either)\s+", re.I)
_ANONYMITY = re.compile(r"\s+(?:on|in)\s+condition\s+of\s+anonymity.*$", re.I)
_ATTRIBUTION_STOP = re.compile(r"[,;:!?()\u2014\u2013]|\x01|\.(?=\s|$)|\s+(?:who|which|that|when|while|because)\b")
_CLAUSE_END = re.compile(r"[,;]|\.(?=\s|$)")

_TAG = re.compile(r"<(?:[a-zA-Z/!][^<>\n]{0,500})>")
_TERM = re.compile(r"[.!?\u2026]+([\u201d\u2019\"')\]\u00bb]*)")

_SAY = (
    r"said|says|say|told|tells|wrote|writes|added|adds|argued|argues|argue|alleged|alleges|allege|insisted|"
    r"insists|insist|described|describes|describe|claimed|claims|claim|stated|warned|warns|warn|noted|notes|"
    r"explained|explains|countered|counters|maintained|maintains|maintain|stressed|stresses|disagreed|disagrees|"
    r"estimate|"
    r"contended|contends|contend|testified|predicted|predicts|estimated|estimates|suggested|suggests|suggest|"
    r"indicated|indicates|indicate|reported|reports|report|conceded|recalled|recalls|"
    r"believes|believe|believed|thinks|think|"
)
# Spanish singular reporting verbs, which may close a sentence with no subject ("…, dijo."): Spanish leaves a pronoun
# subject out. The newer ones only with their accent ("explico" is "I explain").
_SAY_ES_SINGULAR = r"dijo|afirm[óo]|declar[óo]|añadió|agregó|explicó|aseguró|señaló"
# German, French and Spanish reporting verbs: after a reported clause their speaker follows them
# ("…, sagte Anna Weber.", "…, a déclaré Anna Weber.", "…, dijo Anna Weber.").
_SAY_ABROAD = (
    r"sagte|sagt|erkl[äa]rte|erkl[äa]rt|betonte|meinte|a\s+d[ée]clar[ée]|a\s+dit|d[ée]clare|affirme|"
    r"a\s+affirm[ée]|a\s+expliqu[ée]|a\s+indiqu[ée]|"
    rf"{_SAY_ES_SINGULAR}|"
    # the same verbs in the plural: "…, sagten die Mitarbeiter.", "…, ont déclaré les responsables.", "dijeron"
    r"sagten|erkl[äa]rten|betonten|ont\s+d[ée]clar[ée]|ont\s+dit|ont\s+affirm[ée]|ont\s+expliqu[ée]|"
    r"ont\s+indiqu[ée]|dijeron|afirmaron|declararon|"
)
# French inverts a pronoun speaker into the verb: "…, a-t-elle déclaré."
_PRONOUN_VERB_FR = (
    r"a-t-(?:il|elle)\s+(?:d[ée]clar[ée]|dit|ajout[ée]|expliqu[ée]|indiqu[ée]|affirm[ée]|pr[ée]cis[ée]|"
    r"soulign[ée]|assur[ée])"
)
_SAY_ABROAD += _PRONOUN_VERB_FR
_SAY += _SAY_ABROAD
_QUOTE_VERB = _SAY + (
    r"|asked|asks|admitted|admits|replied|replies|responded|responds|continued|acknowledged|acknowledges|"
    r"declared|declares|joked|jokes|shouted|whispered|tweeted|posted|quipped|remarked|observed|agreed|agrees|"
    r"wondered|concluded|concedes|insisted|confirmed|confirms|denied|denies"
)
_DOC_VERB = r"show|shows|showed|shown|reveal|reveals|revealed"
_DENY = (
    r"denied|denies|deny|denying|rejected|rejects|reject|rejecting|disputed|disputes|dispute|disputing|"
    r"dismissed|dismisses|dismiss|dismissing|refuted|refutes|refute|rebutted|rebuts|contested|contests|"
    r"contradicted|contradicts"
)
_CONFIRM = r"confirmed|confirms|confirm|acknowledged|acknowledges|admitted|admits|conceded|concedes"
_NEG = r"(?:did|does|do|has|have|had|would|will|was|were|is|are)(?:\s+not|n[’']t)|won[’']t|never"
_NO_COMMENT = (
    r"(?:declined|declines|decline|refused|refuses|refuse)\s+to\s+(?:comment|discuss|elaborate|respond|answer|"
    r"say|be\s+interviewed|speak|provide\s+(?:a\s+)?comment|give\s+(?:a\s+)?comment|address)"
    rf"|(?:{_NEG})\s+(?:(?:yet|immediately|publicly|officially|directly|previously|so\s+far)\s+)*"
    r"(?:respond(?:ed)?|repl(?:y|ied)|return(?:ed)?|comment(?:ed)?|answer(?:ed)?)\b"
    r"|(?:has|have|had)\s+yet\s+to\s+(?:respond|comment|reply|answer)"
    r"|could(?:\s+not|n[’']t)\s+(?:immediately\s+)?be\s+reached"
    r"|(?:was|were|is|are)(?:\s+not|n[’']t)\s+(?:immediately\s+)?available\s+(?:for|to)\s+comment"
    r"|(?:was|were|is|are)\s+(?:immediately\s+)?unavailable\s+(?:for|to)\s+comment"
    r"|(?:had|has|have|offered)\s+no\s+(?:immediate\s+)?comment"
    rf"|(?:{_NEG})\s+(?:(?:yet|immediately|publicly|officially|directly|explicitly|so\s+far)\s+)*"
    r"(?:confirm(?:ed)?|den(?:y|ied)|disput(?:e|ed)|contest(?:ed)?)\b"
    r"|(?:would|will|did|could)\s+neither\s+confirm\s+nor\s+deny|neither\s+confirm(?:ed|s)?\s+nor\s+den(?:y|ied|ies)"
    r"|(?:responded|replied)\s+to\s+(?:\w+\s+)?(?:questions|requests?|inquiries|enquiries|calls|emails|messages)"
    rf"|(?:{_NEG})\s+(?:\w+ly\s+)?(?:say|said|disclose[ds]?|specif(?:y|ied)|reveal(?:ed)?|explain(?:ed)?|"
    r"elaborated?\s+on|address(?:ed)?)\s+(?:whether|how|when|what|why|if|who|which|where)\b"
    r"|(?:declined|declines|refused|ignored)\s+(?:\w+\s+){0,2}?(?:requests?|invitations?|interviews?)\b"
    r"|(?:declined|declines|refused|refuses)\s+to\s+(?:give|provide|offer|share|release|disclose)\s+"
    r"(?:\w+\s+)?(?:details|specifics|figures|numbers|information|guidance|timeline|estimate|names|reasons?|"
    r"explanation)\b"
    r"|(?:declined|declines|refused|refuses)\s+to\s+make\s+(?:\w+\s+){1,2}?available\b"
    r"|(?:has|have|had)\s+(?:said|disclosed|revealed)\s+(?:little|nothing|very\s+little)\b"
    r"|said\s+(?:little|nothing)\s+(?:publicly|about|on)\b"
)
_CALLED_OBJECTS = (
    r"(?:reports?|account|accounts|claims?|allegations?|accusations?|story|stories|article|audit|figures|"
    r"findings|assertions?|suggestions?|characteri[sz]ations?|rumou?rs?|reporting|charges?|lawsuit|suit|"
    r"complaints?|criticism|idea|notion|speculation|conclusions?|version|narrative|numbers|data|study|"
    r"analysis|portrayal|description|interpretation)"
)
_PASSIVE = (
    r"(?:was|were|is|are|has\s+been|have\s+been|had\s+been|been)\s+"
    r"(?:(?:\w+ly|first|also|later|previously|earlier|since)\s+)?"
    rf"({_DENY}|{_CONFIRM}|reported|revealed|disclosed)\s+by\s+"
)
_CALLED = (
    r"call(?:ed|s|ing)\s+(?:the|these|those|this|that|its|their|such|his|her|a|an)\s+(?:[\w’'-]+\s+){0,3}?"
    rf"{_CALLED_OBJECTS}\b"
)
# reject and dismiss are denials only of something claimed ("rejected the allegations", not "the offer")
_CLAIMED = (
    r"(?:reports?|account|accounts|claims?|allegations?|accusations?|story|stories|article|assertions?|"
    r"suggestions?|characteri[sz]ations?|rumou?rs?|reporting|charges?|criticism|notion|speculation|narrative|"
    r"findings|figures|portrayal|description|interpretation|conclusions?)"
)
# A quotation that is only a refusal to comment: "“No comment,” Tom Hale said."
NO_COMMENT_QUOTE = re.compile(r"\W*no\s+comment(?:\s+(?:at\s+this\s+time|for\s+now|today))?\W*", re.I)
DENY_WORD = re.compile(_DENY, re.I)
NO_COMMENT_CUE = re.compile(rf"\b(?:{_NO_COMMENT})", re.I)
CONFIRM_WORD = re.compile(_CONFIRM, re.I)
CLAIM_OBJECT = re.compile(rf"\s+(?:[\w’'-]+\s+){{0,4}}?{_CLAIMED}\b", re.I)
CLAIM_SUBJECT = re.compile(rf"\b{_CLAIMED}\b", re.I)
# "called the proposal “an insult”": a characterisation quoted, which is a claim
_CALLED_QUOTED = r"call(?:ed|s)\s+(?:[^\s\x01]+\s+){0,4}?[^\s\x01]*\w(?=\s*\x01)"
# One pass finds the first attribution cue; at one position the alternatives are tried in this order.
VERB_SCAN = re.compile(
    rf"\b(?:(?P<passive>{_PASSIVE})|(?P<nocomment>{_NO_COMMENT})|(?P<called>{_CALLED})|(?P<calledq>{_CALLED_QUOTED})|"
    rf"(?P<deny>{_DENY})|(?P<confirm>{_CONFIRM})|(?P<doc>{_DOC_VERB})|(?P<say>{_SAY})|(?P<putit>put\s+it))\b",
    re.I,
)


def _first_words(alternatives: str) -> set[str]:
    """The words an alternation can start with ("erkl[äa]rte" → both spellings), for a cheap pre-filter."""
    out: set[str] = set()
    for alt in alternatives.split("|"):
        m = re.match(r"(?:[^\W\d_]|\[[^\]]+\])+", alt.strip())
        if not m:
            continue
        words = [""]
        for piece in re.findall(r"\[[^\]]+\]|[^\W\d_]", m.group()):
            options = piece[1:-1] if piece.startswith("[") else piece
            words = [w + c for w in words for c in options]
        out.update(words)
    return out


# Words at which VERB_SCAN or QUOTE_VERB_ANY can start; trying the big patterns only there is ~6x faster.
TRIGGERS = _first_words("|".join((_SAY, _QUOTE_VERB, _DENY, _CONFIRM, _DOC_VERB))) | set(
    _WORDS(
        "was were is are has have had been did does do would will could won never neither responded replied "
        "offered call called calls calling put a didn doesn don hasn haven hadn wasn weren wouldn isn aren couldn "
        "declined declines decline refused refuses refuse"
    )
)
_WORD = re.compile(r"[^\W\d_]+")


def _scan(pattern: re.Pattern, s: str, lo: int = 0):
    """pattern.finditer(s), tried only where a trigger word starts."""
    pos = lo
    for w in _WORD.finditer(s, lo):
        if w.start() < pos or w.group().lower() not in TRIGGERS:
            continue
        m = pattern.match(s, w.start())
        if m:
            yield m
            pos = m.end()


_PRONOUN_FOLLOWS = re.compile(r"(?:\s+(?:on|in|at)\s+[^,.;:\x01]{0,50}?)?\s+(?:that\s+)?(it|its|he|she)\b", re.I)
# what a reporting verb may take before its quotation: "told the Harbor Ledger:", "wrote on social media:"
_SAY_OBJECT = re.compile(r"\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s*){1,4}(?=[:,])|\s+[\w\s]{0,40}?(?=:)")
DETERMINERS = set(_WORDS("the a an this that these those its his her their our my your such"))
QUOTE_VERB_AT = re.compile(rf"^[\s,.:;\u2014\u2013-]*(?P<verb>{_QUOTE_VERB})\b\s*", re.I)
# An attribution set inside the sentence it attributes: "The museum, Mr. Bush said, celebrated …".
INTERPOSED = re.compile(rf",\s+(?P<source>[^,;:\n“”\"]{{1,80}}?)\s+(?P<verb>{_QUOTE_VERB})\s*,\s+", re.I)
# An attribution inverted at the sentence's start: "Said Ellis: “…”", "Added Jane Roe, …". The verb is no name.
# Only a name, then a comma, a colon or the quotation: "Asked Tuesday about Sullivan, Trump said" is no inversion.
INVERTED_OPENING = re.compile(
    rf"[\s\"“‘'(]*(?P<verb>{_QUOTE_VERB})\s+(?P<name>(?:[A-Z][\w’'.-]*\s+){{0,4}}[A-Z][\w’'.-]*)\s*(?=[,:\x01]|$)",
    re.I,
)
# An attribution inverted at the sentence's end, with the speaker after the verb: "The ferry will not sail on
# Sunday, said Mayor Ana Ruiz." / "…, said Ruiz, who chairs the board." / "…, added a council spokesperson."
# Only verbs that take no object there ("told" names whom it was told; "added Tuesday’s readings" is no speaker).
# Verbs that may take one elsewhere ("admitted the mistake", "reported the damage") count when what follows is a
# speaker: "…, admitted Tom Hale.", "…, reported the Ledger.", "…, confirmed a spokeswoman."
_INVERSION_VERB = (
    r"said|says|added|adds|wrote|writes|explained|explains|noted|notes|argued|argues|insisted|insists|warned|"
    r"warns|stressed|cautioned|recalled|continued|countered|observed|remarked|conceded|concedes|declared|replied|"
    r"admitted|admits|acknowledged|acknowledges|confirmed|confirms|claimed|claims|announced|announces|reported|"
    r"reports|complained|complains|predicted|predicts|asserted|asserts|maintained|maintains|suggested|suggests|"
    r"agreed|agrees|responded|alleged|alleges|testified|estimated|estimates|joked|quipped|boasted"
    rf"|{_SAY_ABROAD}"  # "…, dijo la alcaldesa."
    r"|so"  # German "…, so Weber." ("according to Weber"); only here, lower case, with the speaker ending the sentence
)
# A role in lower case may come before the name: "…, said council engineer Maria Lopez."
INVERTED_CLOSING = re.compile(
    rf",\s+(?P<verb>{_INVERSION_VERB})\s+"
    r"(?=[A-Z]|(?:the|a|an|der|die|das|ein|eine|le|la|les|un|une|el|los|las|una)\s|l[’'](?=\w)|(?:er|sie)\b"
    r"|(?:[a-z][\w-]*\s+){1,3}[A-Z])"
)
_PRONOUN_CLOSING = re.compile(rf",\s+(?P<verb>{_PRONOUN_VERB_FR})\b(?=[^,]*$)", re.I)
# "…, dijo.", "…, afirmó el martes.": a Spanish verb with no subject after it closing the sentence
SUBJECT_IN_VERB_CLOSING = re.compile(rf",\s+(?P<verb>{_SAY_ES_SINGULAR})(?=[^,\w]|$)(?P<tail>[^,]*)$")
QUOTE_VERB_ANY = re.compile(rf"\b(?:{_QUOTE_VERB}|put\s+it)\b", re.I)
DENIAL_TAIL = re.compile(r",\s+(?:denying|rejecting|disputing|dismissing)\b|\band\s+(?:denied|rejected)\b", re.I)
ATTRIBUTION = re.compile(
    r"\b(?:according\s+to|as\s+(?:first\s+|previously\s+|earlier\s+)?(?:reported|confirmed|stated|noted|"
    r"revealed|disclosed)\s+(?:by|in)|selon|laut|seg[úu]n)\s+",
    re.I,
)
HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|reputedly|unconfirmed|unverified)\b"
    r"|\b(?:remains?|remained)\s+(?:unclear|unknown|uncertain|to\s+be\s+seen)\b"
    r"|\b(?:is|was|remains|are|were)\s+"
    r"(?:not\s+(?:yet\s+|immediately\s+|entirely\s+)?(?:clear|known)|unclear|unknown)\b"
    r"|\b(?:is|are|was|were)\s+(?:said|believed|thought|understood|rumou?red|alleged|reported)\s+to\b"
    r"|\bsaid\s+to\s+(?!(?:the|a|an|his|her|their|its|our|my|your|reporters|journalists|staff|employees|"
    r"investors|me|us|him|them|you|members|customers)\b)\w"
    r"|\breports?\s+(?:suggest|suggests|indicate|indicates|say|says|said|claim|claims)\b"
    r"|\bcould\s+not\s+(?:be\s+)?(?:\w+ly\s+)?(?:be\s+)?(?:verify|verified|confirm|confirmed|determined|established)\b",
    re.I,
)
SAID_TO = re.compile(
    r"\s+to\s+(?!(?:the|a|an|his|her|their|its|our|my|your|reporters|journalists|staff|employees|investors|me|"
    r"us|him|them|you|members|customers)\b)\w",
    re.I,
)
# When, where or how an attribution was made, after its speaker or its verb. It is no part of the speaker:
# "…, said Maria Lopez at a press conference." is Maria Lopez's. Only events, media and times: "a spokesman at the
# ministry" and "Anna Weber bei der Stadt" say whom the speaker works for, and keep it.
_DAY = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|"
    r"samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[ée]rcoles|jueves|"
    r"viernes|s[áa]bado|domingo"
)
_EVENT = (
    r"(?:press|news)\s+(?:conference|briefing|event)|briefing|hearing|rally|meeting|town\s+hall|event|summit|"
    r"forum|debate|session|ceremony|vigil|speech|roundtable|hustings|campaign\s+stop"
)
_MEDIUM = (
    r"statement|interview|email|e-mail|tweet|post|letter|speech|video|podcast|memo|address|op-ed|"
    r"(?:news|press)\s+release|remarks|comments|testimony|filing|message|broadcast"
)
_NAMED_PLATFORM = r"twitter|x|facebook|instagram|linkedin|threads|bluesky|mastodon|tiktok|youtube|telegram"
_OCCASION = (
    rf"(?:at|during)\s+(?:a|an|the|this|his|her|their|its)\s+(?:[\w-]+\s+){{0,2}}?(?:{_EVENT})"
    rf"(?:\s+(?:on|in|at|with|of|for)\s+[^,.;:\x01]{{1,60}}?)?"
    rf"|during\s+(?:a|an|the|his|her|their|its)\s+[^,.;:\x01]{{1,60}}?"
    rf"|in\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){{0,2}}?(?:{_MEDIUM})"
    rf"(?:\s+(?:with|to|on|from|for)\s+[^,.;:\x01]{{1,60}}?)?|in\s+(?:remarks|comments|testimony)"
    rf"|on\s+(?:{_NAMED_PLATFORM}|social\s+media|television|tv|radio|(?:{_DAY})(?:\s+(?:morning|afternoon|evening|night))?)"
    rf"|(?:last|this|earlier\s+this|late\s+last)\s+(?:week|month|year|night|morning|afternoon|evening|{_DAY})"
    rf"|(?-i:yesterday|today|tonight|earlier|later)|(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    # German
    rf"|am\s+(?:{_DAY})(?:abend|morgen|nachmittag)?|(?:letzte|vergangene)\s+woche|(?-i:gestern|heute)"
    r"|bei\s+(?:einer|einem|der|dem)\s+(?:\w+\s+)?\w*(?:konferenz|veranstaltung|anh[öo]rung|sitzung|kundgebung|"
    r"rede|debatte|treffen|auftritt|gespr[äa]ch)"
    r"|in\s+(?:einer|einem)\s+\w*(?:erkl[äa]rung|mitteilung|interview|stellungnahme)(?:\s+mit\s+[^,.;:\x01]{1,60}?)?"
    rf"|auf\s+(?:{_NAMED_PLATFORM})|w[äa]hrend\s+(?:einer|eines|der|des)\s+[^,.;:\x01]{{1,60}}?"
    # French
    r"|lors\s+d(?:e|u|es|’|')\s*[^,.;:\x01]{1,60}?|au\s+cours\s+d[^,.;:\x01]{1,60}?|pendant\s+[^,.;:\x01]{1,60}?"
    r"|dans\s+(?:un|une)\s+(?:communiqu[ée]|entretien|interview|d[ée]claration|courriel|message)"
    r"(?:\s+(?:à|au|avec)\s+[^,.;:\x01]{1,60}?)?"
    rf"|sur\s+(?:{_NAMED_PLATFORM})|la\s+semaine\s+derni[èe]re|(?:ce\s+)?(?-i:hier|lundi|mardi|mercredi|jeudi|vendredi)"
    # Spanish
    r"|en\s+(?:una|un)\s+(?:rueda\s+de\s+prensa|conferencia\s+de\s+prensa|comunicado|entrevista|declaraci[óo]n|"
    r"mensaje)(?:\s+(?:con|a)\s+[^,.;:\x01]{1,60}?)?"
    rf"|en\s+(?:{_NAMED_PLATFORM})|durante\s+[^,.;:\x01]{{1,60}}?|el\s+(?:{_DAY})|la\s+semana\s+pasada|(?-i:ayer|hoy)"
)
OCCASIONS_AFTER = re.compile(rf"(?:\s+(?:{_OCCASION}))+\s*", re.I)  # spans.py: after a closing cue
OCCASION_TAIL = re.compile(rf"(?:\s+(?:{_OCCASION}))+\s*$", re.I)  # combine.py: what a cue ends with
# Words that may sit between a subject and its verb ("Contoso on Tuesday denied"), or end a sentence after its
# speaker ("…, said Mayor Ana Ruiz at a press conference.").
_ADVERBIAL_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|later|previously|since|first|flatly|only|again|separately|publicly|privately|"
    r"repeatedly|initially|earlier|now|then|quickly|immediately|subsequently|strongly|firmly|categorically|"
    r"vehemently|once|already|yesterday|today|officially|formally|herself|himself|itself|themselves|long|often|"
    r"frequently|recently|consistently|openly|still|even|just|widely|usually|never|always|"
    rf"{_OCCASION}))+\s*$",
    re.I,
)
# Who may refuse in a reported clause or a quotation: the speaker's own pronoun, or the body they speak for ("the
# company", "the ministry"): "Fabrikam said it does not comment on …", "A spokesman said the company does not …".
_REFUSER = (
    r"(?:it|they|he|she|we|i|the\s+(?:" + "|".join(sorted(w for w in ORG_NOUNS if w.isascii() and w.isalpha())) + "))"
)
PRONOUN_NO_COMMENT = re.compile(rf"\s*(?:that\s+)?(?P<refuser>{_REFUSER})\s+(?:{_NO_COMMENT})", re.I)
_MORE_SAID = re.compile(r"[,;:\x01]|\s(?:but|and|although|though|because)\s", re.I)


def refuses_comment(words: str, for_body: bool = True) -> bool:
    """Is a reported clause only a refusal to comment ("We don’t comment on market rumours, a spokesman said", "the
    company does not comment on ongoing investigations")? One that goes on to say something ("…, but the plant is
    safe") is what was said, and a quotation of a refusal stays a quotation of the speaker's words. for_body: the
    speaker may speak for "the company" (a spokesperson may; critics saying "the company has not responded" report
    someone else's silence)."""
    words = words.strip(" .,;:!\u2026\"“”‘’'()\u201e\u00ab\u00bb")
    m = PRONOUN_NO_COMMENT.match(words)
    if m is None or not for_body and m.group("refuser").lower().startswith("the"):
        return False
    return not _MORE_SAID.search(words, m.end())


COLON_VERBISH = set(
    _WORDS(
        "was were is are put had has offered gave made summed added wrote posted tweeted replied responded remained "
        "sounded struck kept went sees saw took called"
    )
)
DASH_LINE = re.compile(r"^\s*(?:[\u2014\u2013\u2015]|--?)\s*(\S.{0,150})$")
_DASH_NAME_END = re.compile(r",|\s+\(")
_PROVENANCE = re.compile(
    r"\s+(?:seen|reviewed|obtained|viewed|interviewed|cited|quoted|contacted|reached|polled|surveyed|"
    r"published|released)\s+(?:by|in)\s+.*$",
    re.I,
)
_RELATIVE = re.compile(r"\s+(?:who|which|whose)\b.*$", re.I)
_REPORT_PREFIX = re.compile(
    r"^(?:an?|the)?\s*(?:\w+\s+)?(?:reports?|statement|story|article|post|interview|piece|investigation|"
    r"analysis|broadcast|segment)\s+(?:by|in|from|on|with|published\s+by)\s+",
    re.I,
)
_POST_STOP = re.compile(
    r"\s+(?:who|which|whose|when|while|as|after|before|because|adding|according|during|in|on|"
    r"speaking|referring|citing|noting|told|said)\b|[,;:!?\u2014\u2013()]|\.(?=\s|$)",
    re.I,
)

# Boilerplate lines that surround articles in scrapes.
AFFILIATE = re.compile(
    r"\b(?:as\s+an?\s+(?:amazon\s+)?(?:affiliate|associate)|we\s+(?:may\s+)?earn\s+(?:a\s+)?(?:small\s+)?"
    r"(?:commission|from\s+qualifying)|qualifying\s+purchases|affiliate\s+links?|paid\s+partnership|"
    r"sponsored\s+content)\b",
    re.I,
)
NAV = re.compile(
    r"^(?:read\s+more|related(?:\s+articles?)?|see\s+also|more\s+from|photo|photograph|image|credit|caption|"
    r"advertisement|sponsored|share(?:\s+this)?|subscribe|sign\s+in|log\s+in|follow\s+us|click\s+here|listen|"
    r"watch|newsletter|updated|published|last\s+updated|editor['’]s\s+note)\s*(?:[:|]|on\b|at\b|$)",
    re.I,
)
HEADINGS = {
    "tl;dr",
    "tldr",
    "why it matters",
    "background",
    "what's next",
    "what remains unclear",
    "key questions",
    "key takeaways",
    "the big picture",
    "big picture",
    "what we know",
    "what we don't know",
    "context",
    "timeline",
    "related",
    "summary",
    "analysis",
    "bottom line",
    "the bottom line",
    "go deeper",
    "between the lines",
    "what they're saying",
    "yes, but",
    "by the numbers",
    "the latest",
    "catch up quick",
    "zoom in",
    "zoom out",
    "reality check",
    "faq",
    "frequently asked questions",
    "correction",
    "update",
    "more",
    "share",
    "advertisement",
    "highlights",
    "key points",
    "what happened",
    "what to watch",
    "what's at stake",
    "why it's important",
}


# --------------------------------------------------------------------------- sentences


def mask_tags(text: str) -> str:
    """HTML tags blanked to spaces of the same length, so offsets still point into the input."""
    if "<" not in text:
        return text
    return _TAG.sub(lambda m: " " * len(m.group()), text)


def _lines(text: str):
    start = 0
    n = len(text)
    while start <= n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        yield start, end
        start = end + 1


def _quote_spans(s: str, lo: int = 0, hi: int | None = None, mixed: bool = True) -> list[tuple[int, int]]:
    """Top-level quotations in s[lo:hi] as (opening index, closing index); unclosed marks are ignored.

    Single quotes count only outside double quotes, and a right single quote
    followed by a letter is an apostrophe ("We’re"), not a closing mark. A ”
    where a quotation opens (after a space, before a letter) opens one. mixed: a
    double mark typed the other way (“…" or "…”) closes the quotation when no
    mark of its own kind follows; the sentence split reads quotations without
    this, as the committed model was trained (it changes the split of 28 of
    PolNeAR's training articles, so it waits for the model to be rebuilt).
    """
    hi = len(s) if hi is None else hi
    spans: list[tuple[int, int]] = []
    open_at = -1
    closers = ""
    single = False
    last = {c: s.rfind(c, lo, hi) for c in _ANY_DOUBLE}  # a mark typed the other way closes only after the last
    for m in _QUOTE_CHARS.finditer(s, lo, hi):
        i = m.start()
        c = s[i]
        prev = s[i - 1] if i > lo else " "
        nxt = s[i + 1] if i + 1 < hi else " "
        if open_at >= 0:
            if (
                mixed
                and not single
                and c in _ANY_DOUBLE
                and c not in closers
                and prev.strip()
                and not nxt.isalnum()
                and not any(last.get(k, -1) > i for k in closers)
            ):
                closers += c  # “…," or "…”: one quotation whose marks were typed two ways
            if c in closers:
                if single and (nxt.isalnum()):
                    continue  # an apostrophe inside the quotation
                if c == '"' and not prev.strip():
                    # a straight quote after a space opens rather than closes: the previous one was stray
                    open_at, closers, single = i, '"', False
                    continue
                spans.append((open_at, i))
                open_at = -1
            elif not single and c in _DOUBLE_CLOSE and c not in closers:
                open_at, closers = i, _DOUBLE_CLOSE[c]  # an unclosed quotation before this one
            continue
        if c in _DOUBLE_CLOSE:
            open_at, closers, single = i, _DOUBLE_CLOSE[c], False
        elif c == "\u201d" and (prev in _OPENING_CONTEXT or prev == MASK or i == lo) and nxt.isalnum():
            open_at, closers, single = i, "\u201d", False  # ”…”: some outlets open with the closing mark
        elif c == '"':
            if prev in _OPENING_CONTEXT or prev == MASK or i == lo:
                open_at, closers, single = i, '"', False
        elif c == "\u2018" or c == "\u201a":
            if nxt.strip():
                open_at, closers, single = i, "\u2019", True
        elif c == "'":
            if (prev in _OPENING_CONTEXT or i == lo) and nxt.isalnum():
                open_at, closers, single = i, "'", True
        elif c == "\u2039":
            open_at, closers, single = i, "\u203a", True
        elif c == "\u00bb" and nxt.strip():
            open_at, closers, single = i, "\u00ab", False  # German »…«
        elif c == "\u203a" and nxt.strip():
            open_at, closers, single = i, "\u2039", True
    return spans


def opens_quotation(s: str, i: int, marks: str = '“"«„') -> bool:
    """Is s[i] a mark that opens a quotation: one of marks, or a closing ” standing where a quotation opens
    (after a space or at the start, before a letter), as some outlets type it."""
    if not 0 <= i < len(s):
        return False
    c = s[i]
    if c in marks:
        return True
    after_space = i == 0 or s[i - 1].isspace() or s[i - 1] in _OPENING_CONTEXT
    return c == "\u201d" and after_space and i + 1 < len(s) and s[i + 1].isalnum()


def unclosed_quotation(s: str, i: int) -> int | None:
    """Where the paragraph ends, when s[i] opens a quotation that no mark closes before then; else None.

    News copy leaves a quotation open at a paragraph's end when it goes on in the next paragraph, and a
    typing slip leaves one open for good: either way the paragraph holds no end to the quoted words."""
    if not opens_quotation(s, i):
        return None
    after = _MARK_OR_BREAK.search(s, i + 1)  # found where it is, not by copying the rest of the paragraph
    if after and after.group() != "\n":
        return None  # a mark after it may close it, however it was typed
    return after.start() if after else len(s)


def _is_abbreviation(s: str, dot: int, nxt_word: str) -> bool:
    """Is the '.' at s[dot] part of an abbreviation, an initial or a number rather than a full stop?"""
    j = dot
    floor = max(0, dot - 40)
    # back to the word's start: a space or an opening mark, but not a straight apostrophe inside a word
    # ("Fabrikam's." is a word ending a sentence, not the initial "s.")
    while (
        j > floor
        and not s[j - 1].isspace()
        and s[j - 1] not in '("“”‘'
        and not (s[j - 1] == "'" and (j < 2 or not s[j - 2].isalnum()))
    ):
        j -= 1
    word = s[j : dot + 1].lower()
    if not word or word == ".":
        return False
    if word in ("u.s.", "u.k.", "u.n.", "e.u.") and nxt_word in SENTENCE_STARTERS:
        return False
    if word in ABBREVIATIONS:
        return True
    core = word[:-1]
    if len(core) == 1 and core.isalpha():
        return True  # an initial: "J. R. Alvarez"
    if word in ("a.m.", "p.m."):
        return bool(_TIMEZONE.match(nxt_word))  # "10:42 a.m. ET"
    return bool(_DOTTED.fullmatch(word))  # "i.e.", "a.k.a."


def _split_line(s: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans = _quote_spans(s, lo, hi, mixed=False)
    opens = [a for a, _ in spans]
    out = []
    begin = lo
    for m in _TERM.finditer(s, lo, hi):
        end = m.end()
        k = end
        while k < hi and s[k] in " \t\r\u00a0":
            k += 1
        if k >= hi:
            break
        if k == end:
            continue  # "3.5", "U.S.A" or "example.com": no space after the stop
        nxt = s[k]
        if not (nxt in "“‘\"'„«([" or (nxt.isalpha() and not nxt.islower()) or nxt.isdigit() and m.group()[0] in "!?"):
            continue
        # inside a quotation that closes later: no sentence boundary ("“Honestly? We guessed,” said …")
        idx = bisect_right(opens, m.start()) - 1
        if idx >= 0:
            a, b = spans[idx]
            if a < m.start() < b and b >= end:
                continue
        if s[m.start()] == "." and m.end(0) - m.start() == 1 + len(m.group(1)):
            w = _NEXT_WORD.match(s, k, k + 20).group(1)
            if _is_abbreviation(s, m.start(), w.strip("“‘\"'(")):
                continue
        out.append((begin, end))
        begin = k
    out.append((begin, hi))
    trimmed = []
    for a, b in out:
        while a < b and s[a].isspace():
            a += 1
        while b > a and s[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over the whole text; a sentence never crosses a line break.

    Survives abbreviations (Mr., Dr., U.S., Inc., Jan., e.g.), decimals, initials
    and quotations: a quotation ending with ." ends the sentence after the
    closing mark, and a "?" inside a quotation does not end it.
    """
    if not text:
        return []
    s = mask_tags(text)
    out: list[tuple[int, int]] = []
    for lo, hi in _lines(s):
        if hi > lo:
            out.extend(_split_line(s, lo, hi))
    return out


# --------------------------------------------------------------------------- names and speakers


def _tok(t: str) -> str:
    return t.strip(".,;:!?\"'“”‘’()[]«»").lower()


def _bare(t: str) -> str:
    """A token without surrounding punctuation or a possessive ending."""
    t = t.strip(',;:!?"“”‘’()[]«»')
    for suffix in ("’s", "'s", "’", "'"):
        if t.endswith(suffix) and len(t) > len(suffix):
            return t[: -len(suffix)]
    return t


def _is_cap(t: str) -> bool:
    t = t.lstrip("\"“‘'(")
    return bool(t) and t[0].isupper()


def _is_initial(t: str) -> bool:
    return bool(_INITIALS.fullmatch(t))


@functools.lru_cache(maxsize=4096)
def is_person_name(s: str) -> bool:
    """'Jane Roe', 'Dr. Elena Costa', 'J. R. Alvarez', 'Mr. Tan' — not 'Woodgrove Bank' or 'The mayor'."""
    toks = s.split()
    if not toks or len(toks) > 6:
        return False
    honorific = toks[0].lower() in HONORIFICS
    rest = toks[1:] if honorific else toks
    if not rest:
        return False
    caps = 0
    for t in rest:
        low = _tok(t)
        if low in PARTICLES:
            continue
        if not _is_cap(t) or low in STOP_CAPS or low in ORG_WORDS or low in OUTLET_WORDS:
            return False
        if len(t) >= 2 and t.isupper() and t.isalpha():
            return False  # an acronym: "California ISO"
        if t.endswith(("’s", "'s")):
            return False
        if low in ANON_NOUNS or low in ORG_NOUNS or low in DOC_NOUNS or low in TITLES:
            return False
        caps += 1
    return (caps >= 2 or (honorific and caps >= 1)) and not _is_place(rest)


def _is_place(toks: list[str]) -> bool:
    """ "North Korea", "the White House": capitalised words that a place's word opens or closes (PLACE_OPENERS,
    PLACE_HEADS), read as a person's name by their shape alone."""
    if toks and toks[0].lower() == "the":
        toks = toks[1:]
    return len(toks) > 1 and (toks[0].lower() in PLACE_OPENERS or _tok(_bare(toks[-1])) in PLACE_HEADS)


def head_type(np: str, persons: set[str] | frozenset = frozenset()) -> str | None:
    """The claimant type an NP names, or None when it does not look like a speaker at all."""
    np = np.strip()
    if not np:
        return None
    low = np.lower()
    if low in SPEAKER_PRONOUNS:
        return None
    if GENERIC_REPORTS.match(low):
        return None
    joined = _JOINED.split(_JOINED_LEAD.sub("", np)) if (" and " in np or " or " in np or " nor " in np) else []
    if len(joined) > 1 and all(joined):
        # "Jane Roe and Marcus Tan", "Neither Contoso nor Fabrikam": one type if every part agrees
        kinds = {head_type(part, persons) for part in joined}
        if len(kinds) == 1 and None not in kinds:
            return kinds.pop()
    if is_person_name(np):
        return "named"
    toks = np.split()
    pre: list[str] = []
    for t in toks:
        if _tok(t) in HEAD_STOP and pre:
            break
        pre.append(t)
    head = _tok(_bare(pre[-1]))
    noun = _noun_type(head)
    if noun and len(pre) >= 2 and _tok(pre[-2]) == "chief":
        return "organization"  # "Fabrikam’s chief executive" speaks for the company
    if head in _AGENTS and any(_is_cap(t) and t.endswith(("’s", "'s", "’", "'")) for t in pre[:-1]):
        return "organization"  # "Fabrikam’s lawyers" act for Fabrikam
    if not _is_cap(pre[-1]):
        return noun
    if noun and all(not _is_cap(t) or _tok(t) in STOP_CAPS for t in pre[:-1]):
        return noun  # "Critics", "The Union", "eine Mitarbeiterin"
    # a proper name: what kind of name is it?
    words = {_tok(_bare(t)) for t in pre}
    if len(pre) > 1 and _tok(pre[0]) in ("a", "an") and all(_is_cap(t) for t in pre[1:]) and not words & ORG_WORDS:
        # "a New Yorker", "a Texan": one of a kind, unnamed ("The New Yorker" is the magazine; "a Government
        # Accountability Office report" is the office's)
        return "anonymous"
    if words & OUTLET_WORDS:
        return "outlet"
    if words & ORG_WORDS or _is_place(pre):
        return "organization"
    caps = [t for t in pre if _is_cap(t) and _tok(t) not in STOP_CAPS]
    if len(caps) > 1 and any(len(_bare(t)) >= 2 and _bare(t).isupper() and _bare(t).isalpha() for t in caps):
        return "organization"
    if not caps:
        return None
    if len(caps) == 1:
        word = _bare(caps[0])
        if word in persons:
            return "named"
        if word.isupper() and len(word) <= 3 and _tok(word) not in ORG_WORDS:
            return None  # "AI", "CEO": not a speaker
        return "organization"
    return "named"


_AGENTS = set(_WORDS("lawyer lawyers attorney attorneys counsel management leadership executives board spokesman"))


def _noun_type(head: str) -> str | None:
    if head[1:2] in ("’", "'") and head[:1] in ("l", "d"):
        head = head[2:]  # "l’entreprise", "d’employés"
    for h in (head, head[:-1] if head.endswith("s") else head, head[:-2] if head.endswith("es") else head):
        if h in OUTLET_NOUNS:
            return "outlet"
        if h in ORG_NOUNS:
            return "organization"
        if h in DOC_NOUNS:
            return "document"
        if h in ANON_NOUNS:
            return "anonymous"
    return None


_YEAR = re.compile(r"(?:1[89]|20)\d\d,?")
_DEMONYM = re.compile(r"[a-z]+(?:ers?|ans?|ese)")  # after a place's first word (PLACE_OPENERS): "New Yorker"
_DATE_WORDS = set(
    _WORDS(
        "in on since by during early late posted updated published january february march april may june july "
        "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)


# A participle saying when a document came out, left at the end of its noun phrase once the time is gone: "a poll
# released last week" is "a poll". Followed by who made it ("a poll conducted by Gallup"), it stays.
_PUBLISHED_TAIL = re.compile(
    r"(?<=\w)\s+(?:released|published|issued|conducted|posted|unveiled|made\s+public)\s*$", re.I
)


# A dateline in capitals before a dash, opening a story's first paragraph ("WASHINGTON -- ", "PORT TALBOT, Wales
# (AP) — "): where the story was filed, not the speaker after it. A capital must follow ("NATO -- the alliance").
_DATELINE_DASH = re.compile(
    r"(?:[A-Z][A-Z.'’-]+\s+)*[A-Z][A-Z.'’-]+(?:,\s[^—–\n]{1,25}?)?(?:\s*\([A-Za-z]{2,12}\))?\s*(?:--?|[—–])\s+(?=[A-Z])"
)


@functools.lru_cache(maxsize=4096)
def clean_np(np: str) -> str:
    """Trim a raw subject to the claimant as a reader would write it."""
    np = _WS.sub(" ", np.replace(MASK, " ")).strip(" ,;:.—–-\t\"“”‘’'")
    if not np:
        return ""
    dateline = _DATELINE_DASH.match(np)
    if dateline:
        np = np[dateline.end() :]  # "WASHINGTON -- Fabrikam"
    toks = np.split()
    # text after the last clause opener: "It is not true that Contoso" → "Contoso"
    for i in range(len(toks) - 1, -1, -1):
        if toks[i].lower() in CLAUSE_OPENERS and i < len(toks) - 1:
            if toks[i].lower() in ("if", "unless", "whether", "once", "until"):
                return ""  # "If Marmorato maintains her lead": a condition, not a statement
            toks = toks[i + 1 :]
            break
    while toks and (toks[0].lower() in LEADING_ADVERBS or toks[0].lower() in SUBORDINATORS):
        toks = toks[1:]
    # a dateline run into the speaker: "2022 A senior prison official", "In 2017 Contoso", "March 3, 2022 …"
    year = next((i for i, t in enumerate(toks) if _YEAR.fullmatch(t)), None)
    if (
        year is not None
        and year < len(toks) - 1
        and all(_tok(t) in _DATE_WORDS or _tok(t).isdigit() for t in toks[:year])
    ):
        toks = toks[year + 1 :]
    if not any(ch.isalpha() for t in toks for ch in t):
        return ""  # "*", "—": marks, not a speaker
    np = " ".join(toks)
    np = _PROVENANCE.sub("", np)
    np = _RELATIVE.sub("", np)
    np = _ANONYMITY.sub("", np)
    np = OCCASION_TAIL.sub("", np)  # "Maria Lopez at a press conference", "Anna Weber am Dienstag"
    np = _PUBLISHED_TAIL.sub("", np)  # "a poll released last week": "last week" went above, "released" goes here
    report = _REPORT_PREFIX.match(np)
    if report and len(np) > report.end():
        np = np[report.end() :]
    np = _without_apposition(np)
    toks = np.split()
    # "Dr. Grace Okafor of the U.S. Department of Labor" → the person
    titled = 1 if toks and _tok(toks[0]) in TITLES else 0  # "Rep. Elijah Cummings of Maryland"
    for i in range(2 + titled, len(toks)):
        if toks[i].lower() in ("of", "at", "from", "with", "for") and is_person_name(" ".join(toks[titled:i])):
            toks = toks[:i]
            break
    # "Transport Minister Ingrid Berg", "Fabrikam CEO Laura Chen", "chief executive Laura Chen",
    # "Axios’ Kaveh Waddell", "Warren supporter Zainab Dossaji": the person, without the role
    for i in range(1, len(toks) - 1):
        tail = " ".join(toks[i:])
        if is_person_name(tail) and not is_person_name(" ".join(toks[: i + 1])):
            before = toks[i - 1]
            role = _tok(before)
            possessive = before.endswith(("’s", "'s", "’", "'"))
            lowercase_role = not _is_cap(before) and role not in STOP_CAPS and role not in HEAD_STOP
            # "New Yorker Jane Roe", "South African Jane Roe": where she is from ("yorker" is also an outlet's word)
            demonym = i >= 2 and _tok(toks[i - 2]) in PLACE_OPENERS and _DEMONYM.fullmatch(role) is not None
            if role in TITLES or role in ANON_NOUNS or role in ORG_NOUNS or possessive or lowercase_role or demonym:
                toks = toks[i:]
                break
    return " ".join(toks).strip(" ,;:—–-\"“”‘’'")


def named_after_title(run: str) -> str | None:
    """The person's name in a run of capitalised words that opens with a title: "Ana Ruiz" in "Mayor Ana Ruiz",
    "Foreign Minister Ana Ruiz", "Chief Executive Ana Ruiz"; None for any other run. A title says that what
    follows is a person's name, wherever the run stands. After an office only a person holds, the name may be a
    surname alone: "Lund" in "President Lund", "Hale" in "Sen. Hale"."""
    words = run.split()
    if len(words) == 2 and _tok(words[0]) in TITLES_BEFORE_SURNAME:
        surname = words[1].rstrip(".,;:")
        low = _tok(surname)
        if _is_cap(surname) and not surname.isupper() and not _noun_type(low) and low not in _NOT_A_SURNAME:
            return surname
        return None
    name = clean_np(run)
    if name == run or not run.endswith(name) or not is_person_name(name):
        return None
    before = run[: -len(name)].split()
    return name if before and _tok(before[-1]) in TITLES else None


# Offices only a person holds, which a surname alone may follow ("President Lund", "Sen. Hale", "Gov. Ruiz"); not
# "General" ("General Motors"), "Justice" ("Justice Department") or "Director" ("Director General").
_NOT_A_SURNAME = ORG_WORDS | STOP_CAPS | TITLES | PLACE_HEADS  # "Secretary General", "President Street"
TITLES_BEFORE_SURNAME = set(
    _WORDS(
        "president senator sen governor gov mayor secretary chancellor congressman congresswoman rep councilman "
        "councilwoman councillor ambassador premier"
    )
)


# What sets an apposition off: a comma, or a dash ("Tom Hale -- the harbour master -- said", "Tom Hale – the …").
_APPOSITION_BREAK = re.compile(r",|\s*(?:--|[—–])\s*|\s+-\s+")


def _without_apposition(np: str) -> str:
    """A name with a role set after it is the name: "Jordan Lee, a team lead at Fabrikam", "Jordan Lee, 34, an
    engineer", "Trump, the Republican nominee", "Tom Hale -- the harbour master". The head of the phrase is the
    name; read whole, the role's noun made a named person an unnamed source (or, after a dash, an organisation)."""
    if "," not in np and "-" not in np and "—" not in np and "–" not in np:
        return np
    first, *rest = _APPOSITION_BREAK.split(np)
    words = first.split()
    if not words or _tok(words[0]) in PREPOSITIONS or not all(_is_appositive_role(seg) for seg in rest):
        return np  # "Across Asia, policymakers": an opening phrase, not a name
    if is_person_name(first) or all(_is_cap(w) and _tok(w) not in STOP_CAPS for w in words):
        return first.strip()
    return np


def _valid_np(np: str) -> bool:
    toks = np.split()
    if not toks or len(toks) > 12:
        return False
    if any(t.endswith(("n’t", "n't")) for t in toks):
        return False  # "Don’t argue with me"
    if len(toks) > 1 and _tok(toks[-1]) in HEAD_STOP:
        return False  # "for research councils to", "Time to"
    if any(t.lower().strip(",.") in VERBISH for t in toks):
        return False
    return True


def _is_appositive_role(seg: str) -> bool:
    """', a lawyer for the union,' ', 54,' ', which makes payroll software,' — not the subject itself."""
    seg = seg.strip()
    if not seg:
        return True
    first = seg.split()[0].lower()
    if first in ("who", "which", "whose", "both", "in", "on", "at", "speaking", "citing", "aged", "each", "all"):
        return True
    if seg[0].isdigit():
        return True
    return not _is_cap(seg) or first in ("a", "an", "the", "its", "his", "her", "their")


# Words opening some members of the group before them: "Critics, including Ana Ruiz, say" is the critics'.
_MEMBERS = re.compile(r"\s*(?:including|among\s+them|such\s+as|notably|especially|particularly)\b", re.I)


_DASHED_APPOSITION = re.compile(r"(?P<head>.*?[^\s,])\s*(?P<dash>--|[—–])(?:(?!--|[—–]).)+(?P=dash)", re.S)


def _pick_subject(prefix: str) -> str:
    """The subject NP ending prefix; the name in 'The mayor, Grace Okafor,' and in 'Jane Roe, a lawyer,'; the
    group in 'Critics, including Ana Ruiz,' (_MEMBERS)."""
    prefix = _ADVERBIAL_TAIL.sub("", prefix)
    stripped = prefix.rstrip()
    dashed = _DASHED_APPOSITION.fullmatch(stripped)
    if dashed:
        # "Hale -- co-editor of Harbour Notes, a book about the quay -- said": what the dashes set off is said of
        # the speaker before them, commas and all
        return _pick_subject(dashed.group("head"))
    ends_comma = stripped.endswith(",")
    parts = [p for p in stripped.split(",") if p.strip()]
    if not parts:
        return ""
    if ends_comma and len(parts) >= 2:
        a, b = parts[-2], parts[-1]
        if _MEMBERS.match(b):
            return a
        if is_person_name(clean_np(b)) and not is_person_name(clean_np(a)):
            return b
        name = b.split()
        if len(name) == 1 and _is_cap(name[0]) and _tok(name[0]) not in STOP_CAPS and _noun_type(_tok(a.split()[-1])):
            return b  # "Price’s mother, Angela,"
        if _is_appositive_role(b):
            # ", both former Contoso managers," / ", 31," / ", who resigned in June,": the subject is before it
            if len(parts) >= 3 and _is_appositive_role(a) and not _is_cap(a.strip()):
                return parts[-3]
            return a
        return a
    if ends_comma:
        return ""  # "The figures, first reported in March, …": a participle, not a speaker's verb
    if len(parts) >= 2 and parts[-1].strip().lower() in ("which", "who"):
        # "Proseware, which has not commented publicly, …"; "The plan angered residents, who said": the
        # residents, not the clause
        span = relative_antecedent(parts[-2] + ",", parts[-1].strip())
        return parts[-2][span[0] : span[1]] if span else parts[-2]
    return parts[-1]


RELATIVE_PRONOUNS = frozenset(("who", "which", "that"))
_DETERMINERS = set(_WORDS("the a an this these those his her their its our"))
PREPOSITIONS = set(_WORDS("of in at on from for with by to near about into over under across after before"))
_OF_OR_PLACE = set(_WORDS("of in at on near across into over under"))
_PLAIN_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_NAME_WORD = re.compile(r"(?:[A-Z]\.)+|[A-Z][\w’'.-]*[’']?")


def relative_antecedent(prefix: str, pronoun: str) -> tuple[int, int] | None:
    """Where the noun phrase a relative pronoun stands for ends prefix (the clause up to the pronoun), if certain.

    "… risky for Jane Roe, who refused" → "Jane Roe"; "… included the Fabrikam board, which denied" → "the
    Fabrikam board"; "… angered residents, who said" → "residents". None when the words before could be the
    wrong noun: after "of" or a place's preposition ("the chief executive of the Contoso Group, who" is the chief
    executive; "many on Capitol Hill, who"), after any preposition for "which" and "that" ("a ruling in
    Springfield, which"), or words that are no speaker.
    """
    pronoun = pronoun.lower()
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", prefix)]
    if not words:
        return None
    a, b = words[-1]
    if prefix[b - 1] == ",":
        b -= 1
        words[-1] = (a, b)
    seen = [prefix[x:y] for x, y in words]
    last = len(words) - 1
    if _NAME_WORD.fullmatch(seen[last]) and _tok(seen[last]) not in STOP_CAPS:
        first = last  # a name: "Jane Roe", "Marc H. Morial", "Tory MPs"
        while first > 0:
            word = seen[first - 1]
            name_word = _NAME_WORD.fullmatch(word) and _tok(word) not in STOP_CAPS
            if not (name_word or (first > 1 and (word in PARTICLES or word == "and"))):
                break
            first -= 1
        while first < last and (seen[first] in PARTICLES or seen[first] == "and"):
            first += 1
        if first > 0 and _tok(seen[first - 1]) in _DETERMINERS and seen[first - 1].islower():
            first -= 1  # "the Fabrikam board" reads as one phrase with the lower-case noun too
    elif _PLAIN_WORD.fullmatch(seen[last]) and seen[last].islower():
        # "the Fabrikam board", "a young woman": back to a determiner; without one, the noun alone
        # ("angered residents": "angered" may be a verb as well as an adjective)
        first = last
        while first > 0 and first > last - 4 and _tok(seen[first]) not in _DETERMINERS:
            word = seen[first - 1]
            if not _PLAIN_WORD.fullmatch(word) or _tok(word) in PREPOSITIONS or _tok(word) in HEAD_STOP:
                break
            first -= 1
        if _tok(seen[first]) not in _DETERMINERS or not seen[first].islower():
            first = last
    else:
        return None
    np = prefix[words[first][0] : b]
    before = _tok(seen[first - 1]) if first > 0 else ""
    person = is_person_name(np)
    kind = "named" if person else head_type(np)
    determined = _tok(seen[first]) in _DETERMINERS
    if pronoun == "who":
        if before in _OF_OR_PLACE and not person:
            return None  # "the head of the Contoso Group, who", "many on Capitol Hill, who"
        if kind is None and not determined:
            return None
        if kind in ("document", "outlet"):
            return None
    else:
        if person or before in PREPOSITIONS or kind not in ("organization", "document", "outlet"):
            return None
    return words[first][0], b


@dataclass
class _Speaker:
    claimant: str | None
    claimant_type: str
    pronoun: str | None = None


# A pronoun and its contraction: "He’s claiming", "They're saying", "I’ve come to believe" name "he", "they", "I".
CONTRACTED_PRONOUN = re.compile(r"(he|she|it|they|i|we|you)['’](?:s|re|ve|d|ll|m)", re.I)


def _speaker(np: str, ctx: _Context) -> _Speaker | None:
    np = clean_np(np)
    contracted = CONTRACTED_PRONOUN.fullmatch(np)
    if contracted:
        np = contracted.group(1)
    if not np or not _valid_np(np):
        return None
    low = np.lower()
    if low in SPEAKER_PRONOUNS:
        return ctx.resolve_pronoun(low)
    if low in PRONOUNS_ABROAD:
        sp = ctx.resolve_pronoun(PRONOUNS_ABROAD[low])
        return _Speaker(sp.claimant, sp.claimant_type, pronoun=np if sp.claimant is None else sp.pronoun)
    if low in ("the company", "the firm", "the group"):
        name = ctx.resolve_company()
        if name:
            return _Speaker(name, "organization")
    if GENERIC_REPORTS.match(low):
        return _Speaker(None, "unattributed", pronoun="report")
    kind = head_type(np, ctx.surnames)
    if kind is None:
        return None
    return _Speaker(np, kind)


# --------------------------------------------------------------------------- context (pronouns)


_NOT_BEFORE_A_PERSON = set(_WORDS("the a an in at from near across into of on to toward towards"))


class _Context:
    """Who was mentioned in this paragraph and the one before, for 'she said' and 'it said'."""

    def __init__(self) -> None:
        self.prev_persons: list[str] = []
        self.prev_orgs: list[str] = []
        self.persons: list[str] = []
        self.orgs: list[str] = []
        self.surnames: set[str] = set()
        self.intro: _Speaker | None = None  # "X said:" ending the last line, for a quotation on the next
        self.headline = False  # the sentence being read is written in title case
        self.genders: dict[str, str] = {}  # surname → "he" / "she", where the text says (gender_of_title, pronouns)

    def new_paragraph(self) -> None:
        self.prev_persons, self.prev_orgs = self.persons, self.orgs
        self.persons, self.orgs = [], []

    # Resolution only needs to know whether one name or several were mentioned, so the pools stay tiny
    # (and linear on a megabyte of names).
    POOL = 3

    def add_person(self, name: str) -> None:
        key = name.split()[-1]
        self.surnames.add(key)
        gender = GENDER_OF_TITLE.get(_tok(name.split()[0]))
        if gender:
            self.genders[key] = gender  # "Mrs. Ana Ruiz", "Mr. Hale"
        for i, p in enumerate(self.persons):
            if p.split()[-1] == key:
                if len(name) > len(p):
                    self.persons[i] = name
                return
        if len(self.persons) < self.POOL:
            self.persons.append(name)

    def add_org(self, name: str) -> None:
        if len(self.orgs) < self.POOL and name.lower() not in (o.lower() for o in self.orgs):
            self.orgs.append(name)

    def resolve_pronoun(self, pronoun: str) -> _Speaker:
        if pronoun in ("he", "she"):
            pool = self.persons or self.prev_persons
            if len(pool) == 1 and self.genders.get(pool[0].split()[-1], pronoun) == pronoun:
                self.genders[pool[0].split()[-1]] = pronoun  # "He said …": a later "she" is someone else
                return _Speaker(pool[0], "named", pronoun=pronoun)
        elif pronoun == "it":
            pool = self.orgs or self.prev_orgs
            if len(pool) == 1:
                return _Speaker(pool[0], "organization", pronoun=pronoun)
        return _Speaker(None, "unattributed", pronoun=pronoun)

    def resolve_company(self) -> str | None:
        return self.orgs[0] if len(self.orgs) == 1 else None

    def note_mentions(self, s: str, headline: bool | None = None) -> None:
        """Record capitalised names in a sentence (quotations already masked). headline: whether the sentence
        is a title-case headline, when s is only its beginning (which alone may look like one)."""
        run: list[str] = []
        run_at_start = False
        place = False  # "in the Gaza Strip", "from New York": not a person
        previous = ""
        inverted = _inverted_opening(s)
        if inverted is not None:
            s = " " * inverted + s[inverted:]  # "Said Ellis: …" mentions Ellis, not "Said Ellis"
        plain = s.replace(MASK, " ")
        # every word capitalised: a title names no one
        self.headline = looks_like_title(plain) if headline is None else headline
        for i, t in enumerate(plain.split()):
            if t[0].isupper():
                word = _bare(t)
                if word and word[0].isupper() and _tok(word) not in STOP_CAPS:
                    if not run:
                        run_at_start = i == 0
                        place = previous in _NOT_BEFORE_A_PERSON
                    run.append(word)
                    if t[-1] in ",.;:’'" and not (_is_initial(word) or _tok(t) in HONORIFICS | TITLES_BEFORE_SURNAME):
                        self._mention(run, place=place)
                        run = []
                    previous = ""
                    continue
            previous = t.lower()
            if not run:
                continue
            low = _tok(t)
            if low in PARTICLES:
                run.append(t)
                continue
            if _noun_type(low) or low in ("shares", "stock", "staff", "workers", "employees"):
                # "Multiple Amazon employees", "Contoso shares": a name used as a modifier is an organisation
                if run_at_start and len(run) > 1:
                    run = run[1:]
                self._mention(run, attributive=True)
            else:
                self._mention(run, place=place)
            run = []
        if run:
            self._mention(run, place=place)

    def _mention(self, run: list[str], attributive: bool = False, place: bool = False) -> None:
        while run and _tok(run[-1]) in PARTICLES:
            run = run[:-1]
        if not run:
            return
        name = " ".join(run).rstrip(".,;:")
        words = {_tok(w) for w in run}
        if words & OUTLET_WORDS:
            return
        if words & ORG_WORDS or attributive and " ".join(run) not in self.persons:
            self.add_org(name)
        elif place:
            return
        elif is_person_name(name):
            self.add_person(name)
        elif not self.headline and named_after_title(name):
            self.add_person(named_after_title(name))  # "Mayor Ana Ruiz met …": "Ruiz said" later is her
        elif len(run) == 1:
            word = run[0].rstrip(".,;:")
            if word in self.surnames:
                return
            if word.isupper() or _noun_type(word.lower()) or len(word) < 3:
                return
            self.add_org(word)


# --------------------------------------------------------------------------- sentence analysis


@dataclass
class _Found:
    kind: str
    speaker: _Speaker | None
    standalone: bool = False


def _mask_quotes(s: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return s
    parts = []
    last = 0
    for a, b in spans:
        parts.append(s[last:a])
        parts.append(MASK * (b + 1 - a))
        last = b + 1
    parts.append(s[last:])
    return "".join(parts)


# What the rules read of each sentence and line, which combine.py reads again of the same strings for the
# attributions it assembles: kept while one text is read, and forgotten when the next one starts
# (forget_readings), so a watch that reads for days holds on to one text's sentences at most.
READINGS_KEPT = 4096


@functools.lru_cache(maxsize=READINGS_KEPT)
def quotations_masked(sentence: str) -> tuple[tuple[tuple[int, int], ...], str]:
    """A sentence's top-level quotations (_quote_spans) and the sentence with them masked (_mask_quotes)."""
    spans = tuple(_quote_spans(sentence))
    return spans, _mask_quotes(sentence, spans)


def _left_boundary(m: str, pos: int) -> int:
    """Start of the clause that ends at pos: after a quotation, colon, semicolon or spaced dash.

    Never before its paragraph, nor further back than a sentence the rules read is long: m may be a whole
    text (combine's kind of a cue), and looking back to its start from every cue took seconds per
    thousand candidates on a long one, growing with the square of its length.
    """
    floor = max(0, pos - MAX_SENTENCE)
    lo = max(floor, m.rfind("\n", floor, pos) + 1)
    for ch in (MASK, ":", ";", "(", ")", " \u2014 ", " \u2013 ", " - "):
        i = m.rfind(ch, lo, pos)
        if i >= 0:
            lo = max(lo, i + len(ch))
    return lo


def _subject_before(m: str, pos: int, ctx: _Context) -> _Speaker | None:
    """The speaker whose verb starts at pos, read backwards to the start of its clause."""
    prefix = m[_left_boundary(m, pos) : pos]
    if not prefix.strip():
        return None
    return _speaker(_pick_subject(prefix), ctx)


def _np_after(m: str, pos: int) -> str:
    """The speaker named after a verb: 'said Kwame Mensah, 54, a shift supervisor.' → 'Kwame Mensah'."""
    rest = m[pos : pos + 200]
    segs = []
    cursor = 0
    for stop in _POST_STOP.finditer(rest):
        if stop.group() == ".":
            k = stop.start()
            w = _NEXT_WORD.match(rest, k + 1).group(1)
            if _is_abbreviation(rest, k, w):
                continue
        segs.append((rest[cursor : stop.start()], stop.group().strip()))
        if stop.group() != "," or len(segs) >= 2:
            break
        cursor = stop.end()
    else:
        segs.append((rest[cursor:], ""))
    first = clean_np(segs[0][0])
    if len(segs) >= 2 and segs[0][1] == "," and not is_person_name(first):
        second = clean_np(segs[1][0])
        if is_person_name(second) and segs[1][1] in ("", ".", ","):
            return second
    return first


def looks_like_title(s: str) -> bool:
    """Three words or more, nearly all capitalised: a title quoted, not words someone said."""
    words = [w for w in s.split() if w[0].isalpha()]
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) >= 0.7 * len(words)


def _quote_follows(m: str, pos: int) -> bool:
    """After the verb: ': “…”' or ', “…”' running to the end of the sentence — a full quotation."""
    q = m.find(MASK, pos)
    if q < 0:
        return False
    between = m[pos:q].rstrip()
    if between and between[-1] not in ":," or len(between.split()) > 8:
        return False
    tail = m[q:].lstrip(MASK)
    return not tail.strip(" .!?,;\u2026")


_OPENING_MARKS = " \t-\u2014\u2013*•\"“„«‘'(" + MASK


def _analyse(s: str, m: str, spans: Sequence[tuple[int, int]], ctx: _Context) -> _Found | None:
    """One sentence: s is the text (tags blanked), m the same with quotations masked."""
    stripped = m.rstrip()
    if stripped.endswith("?"):
        return None  # a question is not a claim

    # 1. The sentence opens with a quotation: “…,” X said. / “…” said X. / “…”
    if spans and not s[: spans[0][0]].strip(" \t-\u2014\u2013*•"):
        close = spans[0][1]
        rest = m[close + 1 :]
        kind = "denial" if DENIAL_TAIL.search(rest) else "quote"
        head = QUOTE_VERB_AT.match(rest)
        if head:
            after = _np_after_abroad if _SAY_ABROAD_WORD.fullmatch(head.group("verb")) else _np_after
            inside = PRONOUN_IN_VERB.search(head.group("verb"))
            # "„…“, erklärte er gegenüber dem Sender.", "« … », a-t-il ajouté."
            sp = _speaker(inside.group(1) if inside else after(m, close + 1 + head.end()), ctx)
            closing = inverted_closing(m) if sp is None else None
            if closing and closing[2] == closing[3]:
                sp = subject_in_verb(ctx)  # "«…», dijo."
            return _Found(kind, sp or _Speaker(None, "unattributed"))
        for vm in _scan(QUOTE_VERB_ANY, rest):
            if vm.group().lower() == "said" and SAID_TO.match(rest, vm.end()):
                continue
            sp = _subject_before(m, close + 1 + vm.start(), ctx)
            if sp:
                return _Found(kind, sp)
        if not rest.strip(" .!?,;:\u2026" + MASK):
            if looks_like_title(s[spans[0][0] + 1 : close]):
                return None  # “An Experimental Study of Diversity”: a title, not something said
            return _Found("quote", None, standalone=True)

    # 1b. An inverted attribution opening the sentence: "Said Ellis: “…”"
    inverted = _inverted_opening(m)
    if inverted is not None:
        sp = _speaker(_np_after(m, inverted), ctx)
        if sp and sp.claimant:
            return _Found("quote" if _quote_follows(m, inverted) else "claim", sp)

    # a reporting verb capitalised after the sentence's first word is a heading's noun ("Release Notes",
    # "Police Reports", "RECIPE NOTES"), or a German one: no verb in running text is written so
    opening = len(m) - len(m.lstrip(_OPENING_MARKS))
    verbs = [vm for vm in _scan(VERB_SCAN, m) if vm.start() <= opening or not m[vm.start()].isupper()]

    # 2. Attribution at the end: "…, the company said." / "…, sources say" / "…, said Mayor Ana Ruiz."
    closing = inverted_closing(m)
    if closing and closing[2] == closing[3]:
        return _Found("claim", subject_in_verb(ctx))
    if closing:
        sp = _speaker(m[closing[2] : closing[3]], ctx)
        if sp and sp.claimant:
            # "…, admitted Tom Hale." is the confirmation "…, Tom Hale admitted." is
            return _Found("confirmation" if CONFIRM_WORD.fullmatch(m, closing[0], closing[1]) else "claim", sp)
    found = _terminal(verbs, m, ctx)
    if found:
        return found

    # 3. "according to X", "as confirmed by X"
    am = ATTRIBUTION.search(m)
    if am:
        np = _np_after_attribution(m, am.end())
        low = np.lower()
        if GENERIC_REPORTS.match(low):
            return _Found("hedged", _Speaker(None, "unattributed"))
        after = m.find(np, am.end()) + len(np) if np else -1
        if np and m.startswith(",", after):
            second = m.find(",", after + 1)
            if second > 0 and name_after_role(m, np, after + 1, second, len(m)):
                np = clean_np(m[after + 1 : second].strip())  # "According to the union’s lawyer, Tom Hale, …"
        kind = head_type(np, ctx.surnames)
        if np and kind and _valid_np(np):
            return _Found("claim", _Speaker(np, kind))

    # 4. The first attribution verb with a plausible subject, the main clause's before an opening subordinate one's
    for vm in _main_clause_first(verbs, m):
        found = _verb(vm, m, ctx)
        if found:
            return found

    # 5. "A union representative put it bluntly: “…”", "Contoso’s response: “…”"
    colon = _colon_intro(m, ctx)
    if colon:
        return colon

    # 6. Hedged, with nobody named.
    if HEDGE.search(m):
        return _Found("hedged", _Speaker(None, "unattributed"))
    return None


# A clause opening a sentence that says when or why, not what was said: "(Back) when he wrote his book, …", perhaps
# after a heading run into the paragraph ("THE QUAY Back when …")
_OPENING_SUBORDINATE = re.compile(
    r"[^\w\x01]*(?:(?-i:[A-Z][A-Z’'-]+)\s+)*(?:(?:back|even|just|long|shortly|soon|right)\s+)?"
    r"(?:when|while|after|before|since|because|once|until)\b",
    re.I,
)


def _main_clause_first(verbs: list[re.Match], m: str) -> list[re.Match]:
    """The verbs in the order they are tried: "Back when he wrote his book, Mr. Hale said that …" is Mr.
    Hale's, not the clause's "he wrote". A verb in a clause that opens the sentence with "when", "after",
    "because", … comes after the main clause's verbs; alone it is still tried ("After he said the plant would close,
    shares fell")."""
    if len(verbs) < 2 or not _OPENING_SUBORDINATE.match(m):
        return verbs
    comma = m.find(",")
    if comma < 0:
        return verbs
    inside = [vm for vm in verbs if vm.start() < comma]
    return [vm for vm in verbs if vm.start() > comma] + inside if inside and len(inside) < len(verbs) else verbs


def subject_in_verb(ctx: _Context) -> _Speaker:
    """The speaker of a Spanish verb with no subject ("…, dijo."): Spanish leaves "él" / "ella" out, so it is
    resolved as "he" / "she" are, to the one person named in this paragraph or the one before; else no one (no
    word stands for the speaker, so there is no pronoun to show)."""
    sp = ctx.resolve_pronoun("he")
    return sp if sp.claimant else _Speaker(None, "unattributed")


def _inverted_opening(m: str) -> int | None:
    """Where the speaker starts when the sentence opens with a capitalised reporting verb ("Said Ellis: …",
    "Says Marcus Tan, …"), else None."""
    inv = INVERTED_OPENING.match(m)
    if not inv or not inv.group("verb")[0].isupper():
        return None
    if any(_tok(t) in STOP_CAPS for t in inv.group("name").split()):
        return None
    return inv.start("name")


@functools.lru_cache(maxsize=READINGS_KEPT)  # the rules and combine.py ask it of the same sentences
def inverted_closing(m: str) -> tuple[int, int, int, int] | None:
    """ "The ferry will not sail on Sunday, said Mayor Ana Ruiz.": where the reporting verb (start, end) and the
    speaker after it (start, end) stand in m, a sentence with its quotations masked; None for any other sentence.

    The speaker is a noun phrase a speaker can be ("Ruiz", "the mayor", "a board member"), and after it the
    sentence ends, perhaps after when or where it was said ("on Tuesday", "in a statement") or a role or a
    relative clause set off by a comma ("…, said Ruiz, who chairs the board."). What comes before the comma,
    three words at least, is what was said. A Spanish verb with no subject ("…, dijo.") gives an empty speaker
    (start = end): the subject is in the verb, resolved by subject_in_verb."""
    inside = _PRONOUN_CLOSING.search(m)
    if inside and len(m[: inside.start()].replace(MASK, " x ").split()) >= 3 and MASK not in m[inside.end() :]:
        tail = m[inside.end() :].rstrip(" .!\u2026")
        if not tail or _ADVERBIAL_TAIL.fullmatch(tail):  # "…, a-t-elle déclaré mardi."
            pronoun = PRONOUN_IN_VERB.search(m, inside.start("verb"), inside.end("verb"))
            return inside.start("verb"), inside.end("verb"), pronoun.start(1), pronoun.end(1)
    bare = SUBJECT_IN_VERB_CLOSING.search(m)
    if bare and len(m[: bare.start()].replace(MASK, " x ").split()) >= 3 and MASK not in m[bare.end("verb") :]:
        tail = bare.group("tail").rstrip(" .!\u2026")
        if not tail or _ADVERBIAL_TAIL.fullmatch(tail):  # "…, dijo.", "…, afirmó el martes."
            return bare.start("verb"), bare.end("verb"), bare.end("verb"), bare.end("verb")
    last = next(reversed(list(INVERTED_CLOSING.finditer(m))), None)  # the verb nearest the sentence's end
    if last is None or len(m[: last.start()].replace(MASK, " x ").split()) < 3 or MASK in m[last.end() :]:
        return None
    # "sagte eine Sprecherin dem Blatt": told to whom; "…, so eine Sprecherin am Dienstag."
    abroad = _SAY_ABROAD_WORD.fullmatch(last.group("verb")) or last.group("verb") == "so"
    np = _np_after_abroad(m, last.end()) if abroad else _np_after(m, last.end())
    at = m.find(np, last.end()) if np else -1
    pronoun = abroad and np in PRONOUNS_ABROAD
    if at < 0 or not pronoun and (not _valid_np(np) or head_type(np) is None and not is_person_name(np)):
        return None
    if not abroad and _tok(np.split()[0]) in PREPOSITIONS:
        return None  # "…, confirmed by Fabrikam.": a participle, whose agent is no speaker after a verb
    tail = m[at + len(np) :].rstrip(" .!\u2026")
    if tail and not _ADVERBIAL_TAIL.fullmatch(tail) and not _is_appositive_tail(tail):
        if not (abroad and _told_abroad_tail(tail)):
            return None
    return last.start("verb"), last.end("verb"), last.end(), at + len(np)


def _is_appositive_tail(tail: str) -> bool:
    """ ", who chairs the board", ", 54, a harbour pilot", " -- the harbour master": what is said of a speaker
    after the name."""
    lead = _APPOSITION_BREAK.match(tail)
    return lead is not None and all(_is_appositive_role(seg) for seg in _APPOSITION_BREAK.split(tail[lead.end() :]))


def _np_after_attribution(m: str, pos: int) -> str:
    rest = m[pos : pos + 250]
    end = len(rest)
    for stop in _ATTRIBUTION_STOP.finditer(rest):
        if stop.group() == ".":
            w = _NEXT_WORD.match(rest, stop.start() + 1).group(1)
            if _is_abbreviation(rest, stop.start(), w):
                continue
        end = stop.start()
        break
    return clean_np(rest[:end])


_APPOSITION_START = re.compile(r"\s*(?:\d|(?:who|which|whose|a|an|the)\b)", re.I)


def name_after_role(text: str, role: str, lo: int, hi: int, end: int) -> bool:
    """Is text[lo:hi] the name of the person the role before it is ("According to Fabrikam’s chief executive,
    Jane Roe, the plant will close")? Only after one person's role (not "police", "the ministry", "officials"),
    and not when an apposition of the name follows: in "According to police, Tom Hale, 45, was arrested" the name
    is whom the police spoke of."""
    words: list[str] = []
    for w in role.split():
        if words and _tok(w) in HEAD_STOP:
            break  # "a lawyer for the union": the lawyer
        words.append(w)
    head = _tok(_bare(words[-1])) if words else ""
    if not _noun_type(head) or head in ORG_WORDS or head.endswith("s") and head not in ORG_NOUNS:
        return False
    if not is_person_name(clean_np(text[lo:hi].strip())):
        return False
    third = text.find(",", hi + 1, end)
    if third < 0 or not _APPOSITION_START.match(text, hi + 1, third):
        return True
    seg = text[hi + 1 : third].split()
    return seg[0][0].isalpha() and seg[0].lower() in ("a", "an", "the") and any(w.lower() in VERBISH for w in seg)


def _terminal(verbs: list[re.Match], m: str, ctx: _Context) -> _Found | None:
    """'Revenue grew 3.5 percent, the company said, citing strong demand.' — the reporting clause comes last."""
    for vm in verbs:
        if not (vm.group("say") or vm.group("doc")):
            continue
        verb = vm.group().lower()
        if verb in ("said", "says") and SAID_TO.match(m, vm.end()):
            continue
        comma = m.rfind(",", 0, vm.start())
        if comma < 0:
            continue
        np_text = m[comma + 1 : vm.start()]
        if MASK in np_text or ":" in np_text:
            continue
        before = m[:comma].replace(MASK, " x ")
        if len(before.split()) < 3:
            continue
        after = _CLAUSE_END.split(m[vm.end() :], maxsplit=1)[0]
        words = after.split()
        if len(words) > 6 or any(w.lower() in VERBISH for w in words) or MASK in after:
            continue
        if words and words[0].lower() not in ("the", "to", "in", "on", "at", "a", "an", "reporters", "journalists"):
            if not _is_cap(words[0]):
                continue
        np = clean_np(_ADVERBIAL_TAIL.sub("", np_text))
        if not np:
            continue
        low = np.lower()
        if GENERIC_REPORTS.match(low):
            return _Found("hedged", _Speaker(None, "unattributed"))
        sp = _speaker(np, ctx)
        if sp is None or sp.pronoun in ("i", "we"):
            continue
        if refuses_comment(m[:comma], sp.claimant_type == "organization"):
            return _Found("no_comment", sp)  # "We don’t comment on rumours, a spokesman said."
        return _Found("quote" if _quote_follows(m, vm.end()) else "claim", sp)
    return None


# "if these practices are confirmed", "unless the company denies it": a denial or confirmation
# supposed, not made; "the figures were confirmed" (no "by"): the subject is what was confirmed.
_BE_FORMS = set(_WORDS("is are was were be been being get gets got"))
_BY_AGENT = re.compile(r"\s+(?:\w+ly\s+)?by\b", re.I)
_SUPPOSED = re.compile(r"^\W*(?:if|unless|whether|should|once|until|even\s+if)\b", re.I)


def not_asserted(m: str, pos: int) -> bool:
    """Whether the denial or confirmation verb at pos is supposed, or passive with no one named as doing it.

    "if these practices are confirmed", "unless Amazon denies it", "the figures were confirmed on
    Tuesday": no statement made; "the figures were confirmed by Amazon" is Amazon's confirmation.
    """
    verb = _WORD.match(m, pos)
    before = m[max(0, pos - 12) : pos].split()
    if before and before[-1].lower() in _BE_FORMS and not (verb and _BY_AGENT.match(m, verb.end())):
        return True
    return bool(_SUPPOSED.match(m[_left_boundary(m, pos) : pos]))


def _verb(vm: re.Match, m: str, ctx: _Context) -> _Found | None:
    """The candidate an attribution cue makes, or None when its subject is no speaker."""
    verb = vm.group().lower()
    if vm.group("passive"):
        np = _np_after(m, vm.end())
        sp = _speaker(np, ctx)
        if not sp or not sp.claimant:
            return None
        action = vm.group(vm.re.groupindex["passive"] + 1).lower()
        if DENY_WORD.fullmatch(action):
            if action.startswith(("reject", "dismiss")) and not CLAIM_SUBJECT.search(m, 0, vm.start()):
                return None  # "the offer was rejected by the board"
            return _Found("denial", sp)
        if CONFIRM_WORD.fullmatch(action):
            return _Found("confirmation", sp)
        return _Found("claim", sp)  # "first reported by Bellows Radio"
    before = m[max(0, vm.start() - 12) : vm.start()].split()
    if before and (before[-1].lower() in DETERMINERS or before[-1].lower() == "to"):
        return None  # "after the report", "the claims": a noun; "to insist": not a statement made
    if (vm.group("deny") or vm.group("confirm")) and not_asserted(m, vm.start()):
        return None
    if _inverted(vm, m):
        inside = PRONOUN_IN_VERB.search(vm.group())
        sp = _speaker(inside.group(1) if inside else _np_after_abroad(m, vm.end()), ctx)
        return _Found("claim", sp) if sp and (sp.claimant or sp.pronoun in PRONOUNS_ABROAD) else None
    sp = _subject_before(m, vm.start(), ctx)
    if sp is None or sp.pronoun in ("i", "we"):
        return None  # the writer's own narration is not an attributed claim
    if vm.group("nocomment"):
        if verb.startswith(("responded", "replied")) and not (sp.claimant or "").lower().startswith(
            ("neither", "none", "no ", "nobody")
        ):
            return None
        return _Found("no_comment", sp)
    if vm.group("deny"):
        if verb.startswith(("reject", "dismiss")) and not CLAIM_OBJECT.match(m, vm.end()):
            return None  # "rejected the offer", "dismissed the employee"
        return _Found("denial", sp)
    if vm.group("called"):
        return _Found("denial", sp)
    if vm.group("calledq"):
        return _Found("claim", sp)  # "The union called the proposal “an insult.”"
    if vm.group("confirm"):
        return _Found("confirmation", sp)
    if vm.group("doc"):
        if sp.claimant_type == "document":
            return _Found("claim", sp)
        if sp.pronoun == "report":
            return _Found("hedged", _Speaker(None, "unattributed"))
        return None
    if vm.group("putit"):
        return _Found("quote", sp) if _quote_follows(m, m.find(":", vm.end()) + 1 or vm.end()) else None
    # a reporting verb
    if verb in ("said", "says") and SAID_TO.match(m, vm.end()):
        return None
    if sp.pronoun == "report":
        return _Found("hedged", _Speaker(None, "unattributed"))
    refusal = PRONOUN_NO_COMMENT.match(m, vm.end())
    if refusal and (sp.claimant_type == "organization" or not refusal.group("refuser").lower().startswith("the")):
        return _Found("no_comment", sp)  # "Critics said the company has not responded" is the critics' claim
    pronoun = _PRONOUN_FOLLOWS.match(m, vm.end())
    if pronoun and pronoun.group(1).lower() in ("he", "she") and sp.claimant_type == "organization":
        if sp.claimant and " " not in sp.claimant.strip():
            sp = _Speaker(sp.claimant, "named")  # "Walter said he …": a surname, not a company
    end = vm.end()
    obj = _SAY_OBJECT.match(m, end)
    if obj:
        end = obj.end()
    if not m[end:].strip(" :") and m[end:].strip() == ":":
        return _Found("intro", sp)  # "Damon Otter said:" and the quotation on the next line
    return _Found("quote" if _quote_follows(m, end) else "claim", sp)


_SAY_ABROAD_WORD = re.compile(_SAY_ABROAD, re.I)
_ARTICLES_ABROAD = set(_WORDS("der die das den dem ein eine einer le la les un une el los las una"))
_THAT_ABROAD = set(_WORDS("dass daß que qu’ qu'"))
# "sagte eine Sprecherin dem Blatt", "sagt Anna Weber am Montag", "a déclaré Anna Weber lors de …": where
# the speaker after the verb ends.
_AFTER_SPEAKER_ABROAD = set(
    _WORDS(
        "dem zur zum am im beim bei auf für gegenüber mit nach laut während à au aux lors pour devant a al ante "
        "durante para por con"
    )
)


def _inverted(vm: re.Match, m: str) -> bool:
    """ "…, sagte Anna Weber.": a German, French or Spanish reporting verb after a comma, with its speaker
    after it. Read as English, the clause before the comma was the speaker; "Der Bürgermeister, ein
    früherer Lehrer, sagte, der Plan …" keeps its speaker before the verb (a comma follows the verb). A sentence
    adverb before the verb puts the speaker after it too: "Zudem sagte die Regierung, …"."""
    if not vm.group("say") or not _SAY_ABROAD_WORD.fullmatch(vm.group()):
        return False
    before = m[: vm.start()].rstrip()
    if not before.endswith(",") and _tok(before.lstrip(_OPENING_MARKS)) not in SENTENCE_ADVERBS:
        return False
    after = re.split(r"[.,;:!?]", m[vm.end() :], maxsplit=1)[0].split()
    if any(w.lower() in _THAT_ABROAD for w in after):
        return False  # "…, afirmó el año pasado que …": what follows is what was said
    if PRONOUN_IN_VERB.search(vm.group()):
        return True  # "…, a-t-elle déclaré.": the speaker is inside the verb
    first = after[0] if after else ""
    return bool(after) and (
        _is_cap(first)
        or first.lower() in _ARTICLES_ABROAD
        or first in _PRONOUNS_AFTER_VERB
        or bool(_ELIDED.match(first))
    )


def _np_after_abroad(m: str, pos: int) -> str:
    """The speaker after a German, French or Spanish verb, without the words that say where or to whom: "er" in
    "sagte er der Zeitung", "Anna Weber" in "sagte Anna Weber der Zeitung" ("eine Sprecherin der Zeitung" may be
    the paper's own spokeswoman and stays whole)."""
    words = _np_after(m, pos).split()
    if words and words[0] in _PRONOUNS_AFTER_VERB:
        verb = m[:pos].split()
        return "" if verb and verb[-1].endswith("en") else words[0]  # "sagten sie": they, not she
    if words and _ELIDED.match(words[0]) and _noun_type(_tok(words[0])) is None:
        return ""  # "a déclaré l’an dernier le maire": "l’an" is when, and who spoke is not read here
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if i and w.lower() in _AFTER_SPEAKER_ABROAD and _tok(_ELIDED.sub("", words[i - 1])) not in _OFFICE_OF
        ),
        len(words),
    )
    told = next((i for i, w in enumerate(words[:cut]) if i and w in _DATIVE_ARTICLES), None)
    if told is not None and is_person_name(" ".join(words[:told])):
        cut = told
    return " ".join(words[:cut])


_ELIDED = re.compile(r"[lL][’'](?=\w)")  # "l’entreprise", "l’avocate": the article elided before a vowel
# A French role whose office follows it with à / au: "l’adjoint au maire", "la déléguée à la culture" are the speaker
# whole; after any other speaker "au Monde", "à l’AFP" say whom it was told.
_OFFICE_OF = frozenset(_WORDS("adjoint adjointe adjoints adjointes délégué déléguée délégués déléguées"))
_DATIVE_ARTICLES = frozenset(("der", "dem", "den"))
# Whom a German, French or Spanish statement was made to, after its speaker: "dem Blatt", "der Zeitung",
# "gegenüber dem Sender", "au Monde", "à l’AFP", "a la prensa" (four words at most).
_TOLD_ABROAD = re.compile(
    r"\s*(?:gegenüber\s+)?(?:der|dem|den|à|au|aux|a|al)(?:\s+|\s*l[’'](?=\w))(?:[\w’'-]+\s+){0,3}[\w’'-]+"
)


def _told_abroad_tail(tail: str) -> bool:
    """Is the rest of a sentence after a German, French or Spanish speaker whom it was told, perhaps followed by
    when or where ("der Zeitung am Dienstag")?"""
    told = _TOLD_ABROAD.match(tail)
    return told is not None and (
        not tail[told.end() :].strip() or _ADVERBIAL_TAIL.fullmatch(tail[told.end() :]) is not None
    )


_POSSESSIVE_STATEMENT = re.compile(r"(.+?)[’']s?\s+(?:response|statement|reply|answer|position|verdict|message)\s*$")


def _colon_intro(m: str, ctx: _Context) -> _Found | None:
    """A quotation introduced by a colon without a reporting verb: 'Her colleague, Daniel Weiss, was less certain:'.
    The quotation may open the next paragraph ("Hale made the following comment:" closing its line): the speaker
    is then the next line's, as after "Damon Otter said:"."""
    colon = m.find(":")
    if colon < 0:
        return None
    kind = "quote" if _quote_follows(m, colon + 1) else "intro" if not m[colon + 1 :].strip() else None
    if kind is None:
        return None
    prefix = m[:colon]
    poss = _POSSESSIVE_STATEMENT.search(prefix)
    if poss:
        sp = _speaker(poss.group(1), ctx)
        return _Found(kind, sp) if sp else None
    parts = prefix.split(",")
    for i, part in enumerate(parts):
        words = part.split()
        for j, w in enumerate(words):
            if w.lower() in COLON_VERBISH and (j > 0 or i > 0):
                subject = ",".join(parts[:i] + [" ".join(words[:j])])
                sp = _speaker(_pick_subject(subject + ("," if not words[:j] else "")), ctx)
                return _Found(kind, sp) if sp else None
    return None


# --------------------------------------------------------------------------- boilerplate


_MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")


@functools.lru_cache(maxsize=READINGS_KEPT)  # the rules and combine.py ask it of the same lines
def _is_boilerplate(line: str) -> bool:
    """Affiliate disclosures, product blurbs, image links, navigation and section headings."""
    line = line.strip()
    if not line:
        return True
    head = line[:400]
    if line.startswith("![") or line.startswith("[") and _MARKDOWN_LINK.fullmatch(head):
        return True
    if AFFILIATE.search(head) or NAV.match(head):
        return True
    if len(line) <= 60 and normalize(line).rstrip(":").strip() in HEADINGS:
        return True
    if line.endswith((".", "”", '"', "’", "'", "?", "!")):
        return False
    if line.count(" | ") >= 2:
        return True  # "Sign in | Subscribe | Newsletters"
    words = [w for w in head.split() if w[0].isalpha()]
    if len(words) < 6 or sum(1 for w in words if w[0].isupper()) < 0.6 * len(words):
        return False
    # a Title-Case line: a product name when it is long or carries catalogue punctuation and no reporting verb
    if "[" in head or " | " in head:
        return True
    long_or_listed = len(words) >= 12 or len(words) >= 8 and any(sep in head for sep in (" – ", " — ", " - "))
    return long_or_listed and not any(len(w) > 3 and w.lower() in TRIGGERS for w in _WORD.findall(head))


# --------------------------------------------------------------------------- entry point


def forget_readings() -> None:
    """Drop what was kept of the previous text's sentences and lines (READINGS_KEPT): a new text is being read."""
    quotations_masked.cache_clear()
    inverted_closing.cache_clear()
    _is_boilerplate.cache_clear()


def extract_candidates(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Claim candidates in text (one paragraph per line), in reading order, at most one per sentence.

    sentences: split_sentences(text), when the caller has it already (it is a tenth of the work).
    """
    if not text or not isinstance(text, str):
        return []
    forget_readings()
    s = mask_tags(text)
    starts = None if sentences is None else [a for a, _ in sentences]
    ctx = _Context()
    out: list[Candidate] = []
    bare_quote: Candidate | None = None  # an unattributed quotation ending the previous line
    for lo, hi in _lines(s):
        line = s[lo:hi]
        if not line.strip():
            bare_quote = None
            continue
        if bare_quote is not None and _attribute_from_dash_line(line, bare_quote, ctx):
            bare_quote = None
            continue
        bare_quote = None
        introduced, ctx.intro = ctx.intro, None
        if _is_boilerplate(line):
            continue  # not a paragraph of the story: it neither names nor hides anyone for "he said"
        ctx.new_paragraph()
        previous: Candidate | None = None
        if starts is None:
            line_sentences = _split_line(s, lo, hi)
        else:
            line_sentences = sentences[bisect_left(starts, lo) : bisect_left(starts, hi)]
        body = len(line_sentences) > 1
        for a, b in line_sentences:
            cand = None
            if b - a <= MAX_SENTENCE:
                cand = _sentence_candidate(text, s, a, b, ctx, previous, introduced, body)
            introduced = None
            if cand is not None:
                out.append(cand)
            bare_quote = cand if cand is not None and cand.kind == "quote" and cand.claimant is None else None
            previous = cand
    return out


_ANY_CAPITAL = re.compile(r"[A-Z]")
_FULL_STOP_END = re.compile(r"[^.]\.[\s”’\"')\]]*\Z")  # "… met Tom Hale.", not "…" nor a question


def _pronoun_in_own_sentence(masked: str, sp: _Speaker, ctx: _Context | None = None) -> _Speaker:
    """The pronoun speaker read against the persons its own sentence names before it (the sentence's own names are
    noted after it is read, so sp was resolved without them). "Ban Ki-moon condemned what he called …": the one
    person named, opening the sentence (after a title: "U.N. Secretary General Ban Ki-moon"), is the pronoun's
    subject. Another person named before it ("After the court convicted Tom Hale, she called …") may or may not
    be: a pronoun resolved to someone before the sentence is left unresolved, one not resolved stays so."""
    if sp.pronoun is None or PRONOUNS_ABROAD.get(sp.pronoun.lower(), sp.pronoun.lower()) not in ("he", "she"):
        return sp
    at = re.search(rf"\b{re.escape(sp.pronoun)}\b", masked, re.I)
    if not at or not _ANY_CAPITAL.search(masked, 0, at.start()):
        return sp  # "He said", "“…,” she said": no one named before the pronoun
    probe = _Context()
    probe.note_mentions(masked[: at.start()], headline=looks_like_title(masked.replace(MASK, " ")))
    if len(probe.persons) == 1 and _opens_with(masked, probe.persons[0]):
        return _Speaker(probe.persons[0], "named", pronoun=sp.pronoun)
    if not probe.persons and ctx is not None:
        # "Hale went on to explain how he believes …": the surname of someone named in full before ("Norman Hale")
        # opens the sentence, the only name before the pronoun; "he" was resolved to whoever was named last
        caps = [_bare(w) for w in masked[: at.start()].split() if _is_cap(_bare(w)) and _tok(w) not in STOP_CAPS]
        if len(caps) == 1 and caps[0] in ctx.surnames and _opens_with(masked, caps[0]):
            full = next((p for p in ctx.persons + ctx.prev_persons if p.split()[-1] == caps[0]), caps[0])
            return _Speaker(full, "named", pronoun=sp.pronoun)
    if sp.claimant is None:
        return sp
    own = sp.claimant.split()[-1]
    if any(p.split()[-1] != own for p in probe.persons):
        return _Speaker(None, "unattributed", pronoun=sp.pronoun)
    return sp


def _opens_with(masked: str, name: str) -> bool:
    """Does the sentence open with the name, perhaps after capitalised words (a title: "U.N. Secretary General")?
    Not after a clause opener or an adverb ("After Ana Ruiz left, he called …": the name is not the subject)."""
    at = masked.find(name)
    return at >= 0 and all(_is_cap(w) and _tok(w) not in STOP_CAPS for w in masked[:at].split())


def _attribute_from_dash_line(line: str, quote: Candidate, ctx: _Context) -> bool:
    """'— Anonymous Amazon employee' under a bare quotation names its speaker; True when it did."""
    dash = DASH_LINE.match(line)
    if not dash or len(dash.group(1).split()) > 15:
        return False
    name = clean_np(_DASH_NAME_END.split(dash.group(1))[0])
    kind = head_type(name, ctx.surnames) if _valid_np(name) else None
    if not kind:
        return False
    quote.claimant, quote.claimant_type = name, kind
    if kind == "named":
        ctx.add_person(name)
    return True


def _sentence_candidate(
    text: str,
    s: str,
    a: int,
    b: int,
    ctx: _Context,
    previous: Candidate | None,
    introduced: _Speaker | None,
    body: bool = False,
) -> Candidate | None:
    """The candidate in text[a:b] (s is text with tags blanked), noting who it mentions for later pronouns.

    previous is the candidate of the sentence before in the same paragraph; introduced is the speaker
    of a line that ended "X said:" when this is the first sentence of the next line. body: the paragraph holds
    more than this sentence, so one closing with a full stop is body text, never a headline, however many
    capitalised words it has ("Mayor Ana Ruiz met Tom Hale." names both).
    """
    sent = s[a:b]
    spans, masked = quotations_masked(sent)
    found = _analyse(sent, masked, spans, ctx)
    ctx.note_mentions(masked, headline=False if body and _FULL_STOP_END.search(masked) else None)
    ctx.intro = None
    if not found:
        return None
    if found.kind == "intro":
        ctx.intro = found.speaker
        return None
    sp = found.speaker
    if sp and sp.pronoun:
        sp = _pronoun_in_own_sentence(masked, sp, ctx)
    if found.standalone and introduced is not None:
        sp = introduced
    elif found.standalone and previous is not None and previous.kind == "quote" and previous.claimant:
        sp = _Speaker(previous.claimant, previous.claimant_type)  # “…,” said X. “More words.”
    claimant = sp.claimant if sp else None
    if sp and claimant is None and (sp.pronoun in SPEAKER_PRONOUNS or sp.pronoun in PRONOUNS_ABROAD):
        claimant = sp.pronoun  # "she said" with no one safe to resolve it to: the pronoun, unattributed
    cand = Candidate(
        kind=found.kind,
        text=text[a:b],
        start=a,
        end=b,
        claimant=claimant,
        claimant_type=sp.claimant_type if sp and sp.claimant else "unattributed",
    )
    if spans:
        qa, qb = spans[0]
        cand.quote, cand.quote_start, cand.quote_end = text[a + qa + 1 : a + qb], a + qa + 1, a + qb
        if cand.kind == "quote" and NO_COMMENT_QUOTE.fullmatch(cand.quote):
            cand.kind = "no_comment"  # "“No comment,” Tom Hale said.": a refusal, filed with the others
    if claimant and cand.claimant_type == "named":
        ctx.add_person(claimant)
    elif claimant and cand.claimant_type == "organization":
        first = next((t for t in claimant.split() if _tok(t) not in STOP_CAPS), "")
        if _is_cap(first):
            ctx.add_org(claimant)  # "Contoso", "the Ministry of Transport"; not "the company" or "a spokesperson"
    return cand
