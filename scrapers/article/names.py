"""A byline as written to the names in it, and whether each is a person or an organisation.

Bylines come wrapped in 'By', dates, job titles, labels, outlet names and
avatar initials, join several authors with "and", "und", "&" or commas, and
are sometimes signed by an organisation (a wire service, "Staff", a press
office) rather than a person. Pure string work: which byline of a page to
believe is `scrapers.article.bylines`' job.
"""

from __future__ import annotations

import re

from scrapers.article.cleaning import clean
from scrapers.outletwords import OUTLET_NAME_WORDS

# Letters of scripts without capitals (Hebrew, Arabic, Devanagari, Bengali, Thai, Japanese, Chinese, Korean), in
# which a name cannot be told by its capitals: only a label ("بقلم", "מאת", "作者：") says a line is a byline.
CASELESS = (
    "\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0900-\u09ff\u0e00-\u0e7f"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u200c"
)
CASELESS_LABELS = "بقلم|كتب|كتبت|מאת|نویسنده|लेखक|โดย|글|作者|记者|記者|撰文|文|筆者|执笔|執筆"
CASELESS_LABEL_END = r"(?:\s*[:：/／・|]\s*|\s+)"
# Korean and Japanese write the reporter's title after the name ("김민수 기자", "山田太郎記者", "（山田太郎記者）"): the
# name is what comes before it, the title ending the line (a word it opens, "기자회견", is another word).
CASELESS_TITLES_AFTER = "기자|특파원|선임기자|객원기자|논설위원|記者|特派員|編集委員"
CASELESS_TITLE_AFTER = re.compile(
    rf"^[(（\[［]?\s*([{CASELESS}][{CASELESS}·・\s]{{0,12}}?)\s*(?:{CASELESS_TITLES_AFTER})\s*[)）\]］=]?$"
)
# Greek signs "of" the author, the article in the genitive before the name: "Του Γιώργου Παπαδόπουλου", "Της Μαρίας
# Κωνσταντίνου", "Των ... και ..."; or "writes" with the article ("Γράφει ο Γιώργος ..."), or "by" with it ("Από τον
# Γιώργο ..."). The name stays as written, in its case; the words before it are no part of it.
GREEK_BYLINE_LABEL = r"(?:του|της|των|γράφει\s+(?:ο|η|οι)|από\s+(?:τον|την|τους|τις))"
BYLINE_PREFIX = re.compile(
    rf"^\s*(?:(?:{CASELESS_LABELS}){CASELESS_LABEL_END}|"
    r"(?:text|texte|autor(?:in)?|author|auteur|autore|redakteur(?:in)?|written|posted|geschrieben|"
    r"verfasst|erstellt|publiziert|veröffentlicht|ein beitrag|beitrag|eingestellt|article|artikel|story|reporting|"
    r"reported|compiled|"
    r"gepostet|publicado|escrito|scritto|publié|écrit|submitted|gespeichert|soumis|enviado|inviato|words|skrevet|"
    r"skrivet)\s*(?:by|von|par|por|di|da|de|from|am|af|av)?(?:\s*[:|]\s*|\s+)|"
    r"(?:(?:view |see )?(?:all |more )?(?:posts|articles|stories|beiträge|artikel) (?:by|von)\s+)|"
    r"(?:by|von|par|por|di|door|av|af|oleh|from|durch|de|escribe|escreve|scrive)(?:\s*[:|]\s*|\s+)|"
    r"(?:text|texto|testo|tekst|autor|author|auteur|fotos?|bild)\s*:\s*|"
    rf"{GREEK_BYLINE_LABEL}\s+(?=(?-i:[Α-ΩΆΈΉΊΌΎΏ])))",
    re.I,
)
DATE_TIME_TAIL = re.compile(
    r"(?:[,|•·\-–—]\s*)?(?:\b(?:am|on|le|el|il|published|updated|veröffentlicht|aktualisiert)\b\s*)?"
    r"(?:\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"  # "on Fri, 01/29/2016"
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]+\.?,?\s+(?:de\s+|del\s+)?\d{4}|"  # "3 de mayo de 2022"
    r"(?<![a-z])[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}).*$",  # a month's name from its first letter, so a word is read once
    re.I,
)
# The day of posting written before the name: "Posted on March 3, 2026 by X", "Publié le 3 mars 2026 par X",
# "Veröffentlicht am 3. März 2026 von X", "Publicado el 3 de marzo de 2026 por X". The date ends at its year (a time
# may follow); a pattern without quotes, as the byline lines' XPath test holds it too.
POSTED_ON_BY = (
    r"(?:posted|published|publi[ée]e?|veröffentlicht|gepostet|erschienen|publicad[oa]|pubblicato|publicat)"
    r"(?:\s+(?:on|le|am|el|il|em|op))?\s+\S[^|]{0,30}?\d{4}"
    r"(?:,?\s+(?:at|um|à|a las|alle|às)\s+\d{1,2}[:.h]\d{2}(?:\s*(?:am|pm|uhr|h))?)?"
    r",?\s+(?:by|von|par|por|di|door|de)\s+(?=\S)"
)
POSTED_ON_BY_PREFIX = re.compile(rf"^\s*{POSTED_ON_BY}", re.I)
# A dangling "on", "am", "le" where the date that followed was in another element.
DANGLING_PARTICLE = re.compile(r"\s+(?:am|on|le|el|il|em|op|den|the)$", re.I)
NOT_A_NAME = re.compile(
    r"^(?:https?:|www\.)|@.*\.|\[at\]|^@|^\W*$|^(?:no author|unknown|admin|administrator|anonymous|null|none|"
    r"by|von|par|por|am|on|posted|published|published by|written by|posted by|autor|author|text)$",
    re.I,
)
# What follows the names in a byline element: labels, counters and calls to action.
AUTHOR_LABELS = re.compile(
    r"(?:\s+|,\s*)(?:(?:Kategorien?|Categor(?:y|ies)|Tags?|Schlagwörter|Themen|Datum|Date|Fecha)\s*:"
    r"|(?:Share|Teilen|Follow|Folgen|Kommentare?|Comments?|Lesezeit|Reading time|Updated|Aktualisiert|"
    r"Published|Veröffentlicht|Actualizado|Publicado|Mis à jour|Publié)\b"
    r"|(?:More|Mehr) (?:from|by|articles|stories|von|Artikel|Beiträge)\b).*$"
)
# Each title is matched atomically and the run possessively: "Staff Staff Writer" reads several ways (a
# "Staff" prefix, "Staff" alone, "Staff Writer"), all ending where the run ends, and trying every way
# before giving up on a run that is not at the end took exponential time (60 words: hours).
# Plurals too, after several names: "A and B, Staff Writers", "A und B, Redakteure", "Korrespondentinnen".
JOB_TITLE = (
    r"(?:Staff(?:\s+Writers?)?|Writers?|Reporters?|Correspondents?|Editors?|Contributors?|Columnists?|"
    r"[\w-]{0,30}(?:Redakteur|Korrespondent|Autor|Kolumnist|Reporter)(?:in(?:nen)?|en|e)?)"  # 'Gastautorin'
)
# The rank and beat before a title ("Chief Political Correspondent", "Deputy Business Editor", "Health and Science
# Correspondent", "Our Special Correspondent"), a few words at most.
TITLE_MODIFIERS = (
    r"(?:(?:staff|special|senior|chief|deputy|associate|assistant|executive|managing|contributing|guest|own|foreign|"
    r"political|politics|diplomatic|economics|economic|business|sports?|science|city|home|legal|health|technology|"
    r"tech|arts|culture|education|environment|climate|energy|crime|security|defen[cs]e|transport|investigations|"
    r"national|international|world|local|news|data|digital|freie[rn]?|eigene[rnm]?|sonder)(?:\s+(?:and|&))?\s+){0,3}"
)
# The most of a byline element's text read for names. The rules that take titles, places and labels off a
# byline's end try each place it could start: "Jane Doe" and 2,000 ", Staff Writer" and a "!" took 10 s (28,000
# characters), growing with the square of the length, and a page may hold fifty. Longer texts are containers with a
# name at their start, if any (a profile box, an author's bio): on half A, reading only their first 1,000
# characters changed no byline.
BYLINE_CHARS = 1_000
JOB_TITLES = re.compile(rf"(?>(?:,|\s+[-–—])?\s+{TITLE_MODIFIERS}{JOB_TITLE})++$", re.I)
# Two titles joined at the end, one person's ("Jane Doe, Reporter and Editor"): a pair, not a run, so a byline of
# thousands of titles is read in one pass, as `JOB_TITLES` reads its run.
JOINED_TITLES = re.compile(
    rf"(?:,|\s+[-–—])\s+{TITLE_MODIFIERS}{JOB_TITLE}\s+(?:and|&)\s+{TITLE_MODIFIERS}{JOB_TITLE}$", re.I
)
# A byline naming no one, only the staff by a title ("Our Correspondent", "The Editor", "Staff Reporter", "Our
# Special Correspondent", "A Staff Reporter", "Unser Korrespondent"), the outlet's initials and a title ("HT
# Correspondent") or the desk ("Redaktion", "Die Redaktion"): the newsroom signs, and the byline stays whole.
STAFF_BYLINE = re.compile(
    r"^(?:(?:the|our|a|an|die|der|unsere?r?|les|nos|notre|los|las|nuestros?|i|gli|il nostro|la nostra|"
    r"(?-i:[A-Z]{2,5}))\s+)?"
    rf"(?:{TITLE_MODIFIERS}{JOB_TITLE}|guest authors?|redaktion|staff|newsroom|news\s?desk|"
    r"editorial (?:team|staff|board)|rédaction|redacción|redação|redazione|redactie)$",
    re.I,
)
# The place a staff byline was filed from: "From our correspondent in Paris", "Our Correspondent in New York",
# "Special Correspondent, Kolkata".
STAFF_FILED_FROM = re.compile(r"(?:\s+in\s+|,\s*)([A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,2})$")
# The article a preposition before a desk leaves in small letters: "Von der Redaktion", "By the Editor".
DESK_AFTER_PREPOSITION = re.compile(r"^(?:der|dem|the)\s+(?=\S)")
# A role, office or outlet in parentheses after the name: "Anna Weber (Pressesprecherin des Vereins)", "Jane Doe
# (BBC News)". A wire service there ("Jane Doe (dpa)") is a second signature and stays.
PARENTHESISED_ROLE = re.compile(r"\s*\(([^()]{1,60})\)$")
# The outlet a person writes for, after a comma or a dash at the end: "Jane Doe, CNN", "Anna Weber, Süddeutsche
# Zeitung", "Jane Doe - Washington Post".
# An organisation by its words, or a short acronym in capitals; a place ("Jane Doe, London") is neither.
# After a dash too ("Jane Doe - Washington Post"), as for the place a story was filed from ("Jane Doe - London").
OUTLET_AFTER_COMMA = re.compile(r"(?:,|\s[-–—])\s*([^,]{1,40})$")
# The outlet also after "for" ("By Jane Doe for The Guardian", "Von Anna Weber für die Frankfurter Rundschau").
OUTLET_AFTER_NAME = re.compile(
    r"(?:,|\s[-–—/]|\s(?:for|für|pour|para|per)(?:\s+(?:the|die|den|der|das|le|la|les|el|il|lo)(?=\s))?)\s*([^,]{1,40})$"
)
# How to reach the author, after the name: an address ("Jane Doe jane.doe@westbury.example", "Jane Doe (jane@...)").
EMAIL = re.compile(r"(?:\s*[,|;(]\s*|\s+|^)(?<![\w.+-])(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\)?")
# An address with the name after it in parentheses, as mail headers write it: "jane.doe@westbury.example (Jane Doe)".
EMAIL_THEN_NAME = re.compile(r"^(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\(([^()@]{2,80})\)$")
# A date's label run into the name where a template leaves no space between two elements: "Jane DoeUpdated March 3".
GLUED_DATE_LABEL = re.compile(
    r"(?<=[a-zß-öø-ÿ])(?:Updated|Published|Posted|Aktualisiert|Veröffentlicht|Actualizado|Publicado|Publié|Mis à jour|"
    r"Aggiornato|Pubblicato)\b.*$"
)
# A news outlet by the words outlets' names are made of ("Washington Post", "Times of India", "Kingston Herald",
# "Frankfurter Rundschau", "Westbury Echo"): alone an organisation's byline, after people's names the outlet they
# write for. A person whose surname is such a word ("Emily Post") reads as an outlet alone unless the page signs it
# as a person's: on news pages an outlet signs far more bylines than such a person; beside another person, as a
# co-author, it is a person's (`person_despite_outlet_word`). The words shared with a story's sentences are
# `OUTLET_NAME_WORDS`; a byline adds those that mark an outlet only where a name signs: German outlets' words, which
# in German prose are common nouns ("Nachrichten", "Presse") or open other names ("Allgemeine Ortskrankenkasse"), and
# "Mail", "Echo", "Record", "Voice", "Independent", "Advertiser", "Star", which in a sentence open a company's or a
# body's name as often ("Royal Mail", "Independent Commission"). "Sun", "Leader", "Blatt" and "Ledger" are left out:
# surnames of many writers. The agencies and broadcasters a story's sentences name ("Reuters", "BBC") a byline tells
# by `WIRE_SERVICE` (a wire signs beside a person, an outlet is where the person works) and by `ACRONYM`.
BYLINE_OUTLET_WORDS = OUTLET_NAME_WORDS | {
    *"zeitung rundschau anzeiger kurier nachrichten tagblatt presse allgemeine".split(),
    *"echo mail record voice independent advertiser star".split(),
}
OUTLET_WORDS = re.compile(rf"\b(?:{'|'.join(sorted(BYLINE_OUTLET_WORDS))})\b", re.I)
OUTLET_SHAPE = re.compile(r"^(?:The|Die)\s+[A-ZÀ-ÖØ-Þ]|^[A-Z]{3,5}\s+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]")
WIRE_IN_PARENTHESES = re.compile(r"^(.*\S)\s*\(([^()]{1,40})\)$")
ACRONYM = re.compile(r"^[A-Z]{2,5}$")
# What follows a name after a comma and belongs to it: "John Roe, Jr.", "John Roe, III".
NAME_SUFFIX = re.compile(r"^(?:Jr|Sr|I{2,3}|IV)\.?$", re.I)
# The place a story was filed from, after a comma: "Jane Doe, London", "Anna Weber, Berlin", "Jane Doe, New York".
# One capitalised word, or two or three words a place's name starts with; a second person's name
# ("Jane Doe, John Roe") is neither.
DATELINE_PLACE = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:/[A-ZÀ-ÖØ-Þ][\w'’.-]*)?"
    r"|(?:New|San|Santa|São|Los|Las|Saint|St\.|Sankt|Bad|Hong|Tel|Rio|Buenos|Abu|Kuala|Cape|Frankfurt|Halle|Den)"
    r"(?:\s+[\w'’.-]+){1,2})$"
)
# A Chinese portal's labels of the editor in charge (责任编辑, 责编) and of the source (来源, 本文来源: this article's).
EDITOR_LABELS_ZH = r"责任编辑|責任編輯|责编|責編"
SOURCE_LABELS_ZH = r"(?:本文|文章|稿件)?(?:来源|來源)"
AUTHOR_SUFFIX = re.compile(r",?\s+(?:Ph\.?D\.?|M\.?D\.?|MD|PhD|MSc|M\.A\.|B\.A\.|RD|LD|MPH)\b\.?$")
# Credits for other work on the piece (a translation, the photos, the source of the reporting, the editing or a
# review; a Chinese portal's 责任编辑, the editor in charge, and 来源, the source): not authorship.
# Photo and source credits need their label's colon or preposition, so a name holding "Video" stays a name.
CREDIT_ROLE = re.compile(
    r"(?:^|(?<=[\s,]))(?:(?:übersetzung|übersetzt|translation|translated|traducción|traducido|traduction|traduit|"
    r"traduzione|tradotto|tradução|traduzido|vertaling|vertaald|la información es de|con información de|"
    r"com informações de|avec des informations de|mit material von|additional reporting by|"
    r"(?:medically |medizinisch )?(?:reviewed|edited|editing|fact[- ]checked|redigiert|lektoriert|geprüft|bearbeitet|"
    r"revisado|editado|relu|révisé|verificato|revisionato) (?:by|von|por|par|da)|"
    rf"(?:lektorat|faktencheck)\s*:|(?:{EDITOR_LABELS_ZH}|{SOURCE_LABELS_ZH})\s*[:：])\b"
    r"|(?:fotos?|photos?|photographs?|photography|fotografía|fotografia|bilder?|illustrations?|illustrationen|grafik|"
    r"kamera|camera|video|quelle|source|fuente|fonte)\s*(?::|\b(?:von|by|de|di|par|por)\b))",
    re.I,
)
# After a photo credit, the author's own: "Fotos: X, Text: Y".
AUTHOR_AFTER_CREDIT = re.compile(r"[,;/|]\s*(?:text|texte|texto|testo|tekst|words|autor(?:in)?|author)\s*:\s*", re.I)
# "(Text)" after the author's name; a name with "(Fotos)" after it is the photographer's.
TEXT_ROLE = re.compile(r"\s*\((?:text|texte|texto|testo|words|autor(?:in)?|author)\)", re.I)
OTHER_ROLE = re.compile(
    r"(?:\s*[,;/&]\s*|\s+(?:und|and|y|et|e)\s+)?[^,;/&()]{0,60}\("
    r"(?:fotos?|photos?|bilder?|illustrations?|illustrationen|grafik|video|kamera|übersetzung|translation)\)",
    re.I,
)
# What a byline element adds after the name: a reading time, a handle.
READING_TIME = re.compile(
    r"(?:[•·|,\-–—]\s*)?(?:\b(?:Lesezeit|Lesedauer|Reading time|Temps de lecture)\s*:?\s*)?"
    r"(?<![:.\d])\b\d+\s*(?:min\.?|mins|minutes?|Minuten)(?:\s|$).*$",
    re.I,
)
HANDLE = re.compile(r"\s+@[\w.]+")
# The kind of piece before "von" / "by": "Kommentar von X", "Gastbeitrag von X", "Analysis by X".
PIECE_KIND = re.compile(
    r"^(?:(?:ein|eine|a|an|un|une|una)\s+)?(?:kommentar|gastkommentar|gastbeitrag|analyse|interview|essay|kolumne|"
    r"reportage|bericht|rezension|kritik|meinung|leitartikel|glosse|column|commentary|analysis|review|opinion|report|"
    r"chronique|tribune|crónica|columna|análisis|commento|analisi)\s+(?:von|by|de|par|por|di)\s+",
    re.I,
)
# The author's own words credited with the photos: "Text und Fotos: X", "Words and photos by X".
JOINT_CREDIT = re.compile(r"^(?:text|texte|texto|testo|tekst|words|story)\s*(?:und|and|&|\+|y|et|e|/|,)\s*$", re.I)
# Academic titles before a name ("Prof. Dr. med.", "Dipl.-Ing.", "Mag."): not part of it.
HONORIFIC = re.compile(
    r"^(?:(?:Prof\.?|Dr\.?|Mag\.|Ing\.|Priv\.-Doz\.|Dipl\.-[A-Z][a-z]{0,5}\.)"
    r"(?:\s+(?:med|rer\. nat|phil|jur|habil|dent|vet)\.)*\s+)+(?=[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇЎҐΑ-Ω])"
)
CASELESS_WORD = re.compile(rf"^[{CASELESS}]+$")
TRAILING_NOISE = re.compile(r"[\s|,;:·•/\-–—]+$")
LEADING_NOISE = re.compile(r"^[\s|,;:·•\-–—]+")
# Between the names of several authors.
# The one-letter words ("y", "e", "i": and) only in lower case: 'Mary E Smith' is one person with a middle initial.
AND_WORDS = r"(?:and|und|&|et|(?-i:y|e|i)|en|og|och|και)"
NAME_JOINS = re.compile(rf"\s*[;、]\s*|\s+{AND_WORDS}\s+|\s+/\s+|\s*\|\s*", re.I)
AND_JOIN = re.compile(rf"\s+{AND_WORDS}\s+", re.I)
# A job title after a name that another name follows: "Jane Doe, Staff Writer, and John Roe, Correspondent", "Jane Doe
# - Reporter and John Roe - Editor". After a comma or a dash, as after the last name; a title after "and" is the same
# person's second one ("Jane Doe, Reporter and Editor"), no name.
TITLE_BEFORE_JOIN = re.compile(
    rf"(?:,|\s+[-–—])\s+{TITLE_MODIFIERS}{JOB_TITLE},?(?=\s+{AND_WORDS}\s+(?!{TITLE_MODIFIERS}{JOB_TITLE}\b)\S)", re.I
)
NAME_PARTICLES = {
    "von",
    "van",
    "de",
    "der",
    "den",
    "da",
    "di",
    "del",
    "della",
    "du",
    "le",
    "la",
    "ten",
    "ter",
    "bin",
    "dos",
    "das",
    "do",
    "zu",
    "ibn",
    "bint",
}
# A particle joined to the surname it opens: Arabic 'al-Masri', 'as-Sayed', French and Italian "d'Alembert",
# "dell'Orto". The word counts as capitalised by the surname's own capital.
JOINED_PARTICLE = r"(?:al|el|ad|an|ar|as|ash|at|az)-|(?:d|l|dell|dall|degl)['’]"
JOINED_PARTICLE_WORD = re.compile(rf"^(?:{JOINED_PARTICLE})(?=[A-ZÀ-ÖØ-Þ])")
# The particles a surname can open with, written first: "Von der Leyen", "De la Fontaine", "Van der Berg",
# "De l'Orme" are a name, not the German, French or Spanish "By" before "der Leyen".
SURNAME_OPENING = re.compile(
    r"^(?:von|van|de|da|di|del)\s+(?:(?:der|den|dem|de|la|las|los|le|het)\s+|l['’])(?-i:[A-ZÀ-ÖØ-Þ])", re.I
)
# A surname written alone with its particle: "De Gaulle", "Di Maio", "Van Persie", one capitalised word after the
# particle and no second one (a given name and a surname after a label, "Di Mario Rossi", are the name). After
# another label ("By De Gaulle") any particle opens the surname, as labels do not stack; alone, only a capitalised
# "De" or "Di", the particles Romance surnames open with: German "Von Anna" signs many a blog by a first name.
ONE_WORD_SURNAME = r"\s+(?-i:[A-ZÀ-ÖØ-Þ])[\w'’-]*(?![\w'’-])(?!\s+(?-i:[A-ZÀ-ÖØ-Þ]))"
PARTICLE_SURNAME = re.compile(rf"^(?-i:De|Di){ONE_WORD_SURNAME}")
PARTICLE_SURNAME_AFTER_LABEL = re.compile(rf"^(?:von|van|de|di|da|del|della|du|le|la){ONE_WORD_SURNAME}", re.I)
# Words that make a byline an organisation's: wire services, desks, companies and institutions.
# Wire services by the short names bylines give them, alone or several together ("APA/AP", "dpa, AFP").
WIRES = (
    r"reuters|ap|afp|dpa|dpa-afx|apa|kna|epd|sda|sid|ansa|efe|jiji|kyodo|xinhua|tass|upi|bloomberg|pa|aap|ddp|dts|"
    r"yonhap|pti|ians|bernama|antara|interfax|ukrinform|pap|čtk|ctk|mti|ntb|tt|ritzau|stt|belga|anp|lusa|télam|"
    r"telam|notimex|anadolu|aa|dha|iha|ria novosti|sputnik|ana-mpa|hina|tanjug|bta|wam|irna"
)
# A wire service alone or several together ("APA/AP", "dpa, AFP"): beside a person's name, whatever joins them
# ("Jane Doe, dpa", "Jane Doe (dpa)", "Jane Doe / dpa"), a second signature, the agency whose copy the story carries.
# The agencies known by a full name are written with "the" as often as without ("The Associated Press").
WIRE_NAME = (
    rf"(?:{WIRES}|(?:the\s+)?(?:associated press|canadian press|press association|press trust of india|"
    r"united press international)|agence france[- ]presse|deutsche presse-agentur)"
)
# The editor's initials in small letters beside the agency's name: "dpa/lhe", "APA/red", "dsw / DPA".
EDITOR_INITIALS = r"(?-i:[a-z]{2,4})"
WIRE_SERVICE = re.compile(
    rf"^(?:{EDITOR_INITIALS}\s*/\s*)?{WIRE_NAME}(?:\s*[/,&+]\s*{WIRE_NAME})*(?:\s*/\s*{EDITOR_INITIALS})?$", re.I
)
# A wire service "with" the person ("Jane Doe with AP", "Jean Dupont avec AFP", "Anna Weber mit dpa") signs beside them.
WITH_WIRE = re.compile(
    rf"\s+(?:with|avec|mit|con|com)\s+({WIRE_NAME}|agencies|agences|agenturen|agenzie|agencias)\s*$", re.I
)
# A wire service after a pipe or a dash ("Jane Doe | Reuters", "Ana Ruiz - EFE") signs as it does after a slash;
# other text after a pipe goes.
WIRE_AFTER_PIPE = re.compile(rf"\s+[|\-–—]\s+({WIRE_NAME})\s*$", re.I)
# The place a story was filed from after "in" behind a name ("Jane Doe in London", "John Roe in New York and ..."):
# capitalised words up to the end, a comma or the next name.
PLACE_AFTER_IN = re.compile(
    r"\s+in\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,2}(?=$|\s*[,;]|\s+(?:and|und|&|et|y|e)\s)"
)
# An initial between a given name and a surname: 'J.' of 'Emily J. Post'.
INITIAL = re.compile(r"^[A-ZÀ-ÖØ-Þ]\.?$")
# One given name as written: a capital, then small letters ('Jane', 'Anna-Lena'; not 'AFP', 'dpa').
GIVEN_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+)?$")
# A firm named for two people, one word each: 'Procter and Gamble', 'Marks & Spencer'. Not two authors.
FIRM = re.compile(r"^[^\W\d_][\w'’-]*\s+(?:and|und|&|et)\s+[^\W\d_][\w'’-]*$", re.I)
ORGANISATION_WORDS = re.compile(
    rf"{WIRE_SERVICE.pattern}"
    r"|\b(?:associated press|agence france|press association|staff|redaktion|redaction|rédaction|redacción|"
    r"redação|redacao|redactie|redaktionen|redaksjonen|toimitus|redakcja|redakce|redakcia|szerkesztőség|"
    r"uredništvo|редакция|редакція|newsdesk|agência|agencja|ajansı|"
    r"redazione|editorial|editors|newsroom|news desk|desk|team|bureau|agentur|agency|agencia|agenzia|"
    r"nachrichtenagentur|presseagentur|"
    r"pressestelle|press office|presse|press|gmbh|e\.\s?v\.|inc\.?|ltd\.?|llc|plc|corp\.?|ag|s\.a\.|verlag|zeitung|"
    r"magazin|magazine|news|online|media|medien|tv|radio|fernsehen|verband|institut|institute|university|"
    r"universität|ministerium|ministry|foundation|stiftung|association|council|government|department|"
    r"polizei|police|group|gruppe|service|services|agencies|agences|agenturen|agenzie|agencias|agências|wire|wires)\b"
    r"|\.(?:com|de|org|net|ch|at|fr|es|it|uk|info)\b"
    r"|^[\w-]+(?:\.[\w-]+)*(?-i:\.[a-z]{2,6})$"  # any bare host name: 'Cooperativa.cl', 'elpais.com.uy'
    rf"|{FIRM.pattern}",
    re.I,
)


def clean_byline(value: str | None, name_field: bool = False) -> str | None:
    """A byline as written to the names in it: no 'By', dates, job titles, labels or avatars' initials.

    `name_field` says the value is a name field's (a JSON-LD author's name, a meta author tag), which holds a
    name: there a particle before one word opens the surname ('Von Trier'), where a written line's "Von" before
    one word is the label before a first name ('Von Anna').
    """
    value = clean(value)
    if not value or re.match(r"^(?:https?:|www\.|/)", value, re.I):
        return None
    if len(value) > BYLINE_CHARS:
        value = value[:BYLINE_CHARS].rsplit(" ", 1)[0]
    value = re.sub(r"\s+([,;])", r"\1", value)
    value = EMAIL.sub("", EMAIL_THEN_NAME.sub(r"\1", value))
    value = CASELESS_TITLE_AFTER.sub(r"\1", value)
    value = GLUED_DATE_LABEL.sub("", value)
    value = LEADING_NOISE.sub("", value)  # "- Von X", "| By X": the separator from a date before the byline
    value = OTHER_ROLE.sub("", TEXT_ROLE.sub("", value))
    credit = CREDIT_ROLE.search(value)
    if credit:
        head = value[: credit.start()]
        if not head.strip():
            after = AUTHOR_AFTER_CREDIT.search(value, credit.end())
            if not after:
                return None  # a photographer's, translator's or source's credit alone
            value = value[after.end() :]
        else:
            value = value[credit.end() :] if JOINT_CREDIT.match(head) else head
    value = PIECE_KIND.sub("", POSTED_ON_BY_PREFIX.sub("", value, count=1))
    prefixed = _without_label(value, name_field)
    if prefixed == value or not PARTICLE_SURNAME_AFTER_LABEL.match(prefixed):
        prefixed = _without_label(prefixed, name_field)  # "By De Gaulle": after a label, "De" is the surname's
    signed, value = prefixed != value, prefixed
    value = AUTHOR_LABELS.sub("", READING_TIME.sub("", HANDLE.sub("", value)))
    label = re.match(r"^([^\W\d][\w\s&]{0,24}):\s*(?=[^\s/])", value)
    if label and signed and looks_like_person(label[1]):
        value = label[1]  # "Autor Jane Doe: 12.12.22": after 'By' or 'Autor', a name before a colon is the name
    elif label:
        value = value[label.end() :]
    inner = re.search(r"(?:^|\s)(?:Von|By|Par|Por)\s+(?=[A-ZÄÖÜ])", value)
    if inner and len(value.split()) <= 8 and not _opens_surname(value[inner.start() :].strip(), name_field):
        value = value[inner.end() :]
    value = DATE_TIME_TAIL.sub("", value)
    value = TRAILING_NOISE.sub("", AUTHOR_LABELS.sub("", value))  # "Jane Doe, Editor |" once "Published ..." is gone
    desk = DESK_AFTER_PREPOSITION.sub("", value)
    if desk != value and is_organisation(desk):
        value = desk  # "Von der Redaktion", "By the Associated Press"; not "Von der Leyen"
    filed = STAFF_FILED_FROM.search(value)
    if filed and is_staff(value[: filed.start()]) and not is_organisation(filed[1]):
        value = value[: filed.start()]  # "From our correspondent in Paris": the staff sign it, the place is where from
    if signed and is_staff(value):
        value = value[:1].upper() + value[1:]  # "From our correspondent": a byline's first letter, as it stands alone
    value = JOINED_TITLES.sub("", TITLE_BEFORE_JOIN.sub("", value))
    titled = JOB_TITLES.sub("", value)
    # "Tech Daily Staff", "Times Staff Writer", "CNN Reporter": the outlet's staff, when no person's name is left.
    outlets = re.search(r"\bStaff$", value, re.I) or is_organisation(titled) or is_acronym(titled)
    desk = is_staff(value) or ("," not in value[len(titled) :] and titled != value and outlets)
    if not desk:
        value = titled  # "Jane Doe, Staff Writer", "Jane Doe Reporter"; "Tech Daily Staff", "The Editors" are desks
    role = PARENTHESISED_ROLE.search(value)
    if role and value[: role.start()].strip() and not is_wire(role[1]):
        value = value[: role.start()]  # an office or the outlet ("Jane Doe (BBC News)"); a wire service signs
    value = AUTHOR_SUFFIX.sub("", value)
    value = _without_place(_without_outlet(_without_trailing_organisation(PLACE_AFTER_IN.sub(_place_in, value))))
    value = _without_role(value)
    if not desk:
        value = JOB_TITLES.sub("", value)  # a title before the outlet: "Jane Doe, Reporter, BBC News"
    value = without_honorific(value)
    value = re.split(r"\s+\|\s+", WIRE_AFTER_PIPE.sub(r" / \1", WITH_WIRE.sub(r" / \1", value)))[0]
    value = _once(_drop_avatar_initials(value))
    value = TRAILING_NOISE.sub("", LEADING_NOISE.sub("", value))
    value = DANGLING_PARTICLE.sub("", value)
    if not value or NOT_A_NAME.search(value) or len(value) > 80 or len(value.split()) > 10:
        return None
    return value


def _without_label(value: str, name_field: bool = False) -> str:
    """'By Jane Doe', 'Von Anna Weber' to the name; 'Von der Leyen' stays whole, its "Von" is the surname's."""
    return value if _opens_surname(value, name_field) else BYLINE_PREFIX.sub("", value, count=1)


def _opens_surname(value: str, name_field: bool = False) -> bool:
    """Whether it opens with a surname's particles ('Von der Leyen'), not a label and a desk ('Von der Redaktion').

    In a name field any particle before one word is the surname's ('Von Trier'); in a written line only "De" or
    "Di" is ('De Gaulle').
    """
    alone = PARTICLE_SURNAME_AFTER_LABEL if name_field else PARTICLE_SURNAME
    opens = SURNAME_OPENING.match(value) or alone.match(value)
    return bool(opens) and not is_organisation(value)


def _without_outlet(value: str) -> str:
    """'Jane Doe, CNN', 'Jane Doe for The Guardian' to 'Jane Doe': the outlet people work for, not a second signature.

    Only after names that each look like a person's, so 'Reuters, AFP' stays
    the wire services' byline and an organisation alone is still one. A wire
    service there ('Jane Doe, dpa') stays: it signs the copy, as in 'Jane Doe / dpa'.
    """
    outlet = OUTLET_AFTER_NAME.search(value)
    if not outlet or NAME_SUFFIX.match(outlet[1].strip()) or is_wire(outlet[1]):
        return value
    if not (is_organisation(outlet[1]) or ACRONYM.match(outlet[1].strip())):
        return value
    head = value[: outlet.start()]
    return head if all(looks_like_person(name) for name in split_names(head)) else value


# What a person was sent as or does, after a comma in small letters: "envoyé spécial à Kiev", "inviato a Kiev",
# "corresponsal en Londres". A name is capitalised, so it is no second name; nor is "and" before one the start of a
# role ("A, B, and C": the comma before the last name that American style guides ask for).
ROLE_AFTER_COMMA = re.compile(rf",\s*(?!{AND_WORDS}\s)((?-i:[a-zà-öø-ÿ])[^,]{{0,60}})$")


# The same role after a name another person's name follows: "Jean Dupont, envoyé spécial à Kiev, et Marie Curie".
# Not Dutch "en", Spanish "in" ("corresponsal en Londres"), nor a join inside the role: it ends at the first.
ROLE_JOIN = r"(?:and|und|&|et|y|e|og|och)"
ROLE_BEFORE_JOIN = re.compile(
    rf",\s*(?!{AND_WORDS}\s)([a-zà-öø-ÿ](?:(?!\s{ROLE_JOIN}\s)[^,]){{0,60}}),?"
    rf"(?=\s+{ROLE_JOIN}\s+[A-ZÀ-ÖØ-Þ][\w'’-]+\s+[A-ZÀ-ÖØ-Þ])"
)


def _without_role(value: str) -> str:
    """'Jean Dupont, envoyé spécial à Kiev' to 'Jean Dupont': a role after names that each look like a person's.

    A wire service or an organisation there ('Anna Weber, dpa', 'Jane Doe, agencies') signs beside the person, and a
    suffix ('John Roe, jr.') is the name's. A role after a name another name follows goes too, when that name is a
    person's ('Jean Dupont, envoyé spécial à Kiev, et Marie Curie').
    """
    value = ROLE_BEFORE_JOIN.sub(_role_before_join, value)
    role = ROLE_AFTER_COMMA.search(value)
    if not role or NAME_SUFFIX.match(role[1].strip()) or is_wire(role[1]) or is_organisation(role[1]):
        return value
    head = value[: role.start()]
    return head if all(looks_like_person(name) for name in split_names(head)) else value


def _role_before_join(match: re.Match[str]) -> str:
    """The role `ROLE_BEFORE_JOIN` found taken off, when the name before it is a person's and it is no signature."""
    role = match[1].strip()
    if NAME_SUFFIX.match(role) or is_wire(role) or is_organisation(role):
        return match[0]
    before = NAME_JOINS.split(match.string[max(0, match.start() - 80) : match.start()])[-1]  # a name is short
    return "" if looks_like_person(before.strip()) else match[0]


def _place_in(match: re.Match[str]) -> str:
    """'Jane Doe in London' to 'Jane Doe': the place after "in" goes when the name before it is a person's."""
    before = NAME_JOINS.split(match.string[max(0, match.start() - 80) : match.start()])[-1]  # a name is short
    return "" if looks_like_person(before.strip()) else match[0]


def _without_trailing_organisation(value: str) -> str:
    """'Jane Doe BBC News' to 'Jane Doe', 'Jane Doe Associated Press' to 'Jane Doe / Associated Press'; after several
    names too ('JANE DOE and JOHN ROE Associated Press').

    An organisation written after a person's name with nothing between them,
    as a byline block of two elements reads: a wire service signs beside the
    person, another outlet is where the person works. The organisation must be
    a wire service or open with an acronym ('CNN', 'BBC News'), after a name
    not in capitals ('ANNA LEE SMITH' is one name): words that may be a
    surname ('Mary Ann Post') or the outlet's own ('New York Times Magazine') stay.
    """
    words = value.split()
    for size in (3, 2, 1):
        head, tail = " ".join(words[:-size]), " ".join(words[-size:])
        if len(words) - size < 2 or not (head[-1].isalnum() and tail[0].isalnum()) or NAME_SUFFIX.match(tail):
            continue
        if words[-size - 1].lower() == "the":
            continue  # 'The' opens the organisation's name ('Jane Doe, The Associated Press'), no part of a person's
        if not all(looks_like_person(name) for name in split_names(head)):
            continue  # each name before it a person's ('JANE ROE and JOHN SMITH Associated Press', as AP writes)
        if is_wire(tail) and (len(tail) > 3 or tail.isupper()):
            return f"{head} / {tail}"
        if not head.isupper() and is_acronym(words[-size]) and (size == 1 or is_organisation(tail)):
            return head
    return value


def _without_place(value: str) -> str:
    """'Jane Doe, London' to 'Jane Doe': the place a story was filed from is where, not who.

    Only after names that each look like a person's ('Doe, Jane' stays), and
    never a wire service ('Jane Doe, dpa' signs) or a suffix ('John Roe, Jr.').
    """
    place = OUTLET_AFTER_COMMA.search(value)
    if not place:
        return value
    tail = place[1].strip()
    if NAME_SUFFIX.match(tail) or is_wire(tail) or is_organisation(tail):
        return value
    if not (DATELINE_PLACE.match(tail) or DATELINE_PLACE.match(tail.title())):  # 'WASHINGTON', 'NEW YORK'
        return value
    head = value[: place.start()]
    return head if all(looks_like_person(name) for name in split_names(head)) else value


def without_honorific(name: str) -> str:
    """'Prof. Dr. Anna Weber' to 'Anna Weber'."""
    return HONORIFIC.sub("", name, count=1)


def _drop_avatar_initials(value: str) -> str:
    """'LP Luana Patriolino' (an avatar's initials before the name) to 'Luana Patriolino'."""
    words = value.split()
    out: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1 : i + 1 + len(word)]
        if (
            2 <= len(word) <= 3
            and word.isupper()
            and len(following) == len(word)
            and "".join(w[0] for w in following) == word
        ):
            continue
        out.append(word)
    return " ".join(out)


def _once(value: str) -> str:
    """'Jane Doe Jane Doe' to 'Jane Doe': the name twice, a copy for screen readers beside the one shown."""
    words = value.split()
    half = len(words) // 2
    return " ".join(words[:half]) if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:] else value


def split_names(byline: str) -> list[str]:
    """The names in a cleaned byline: 'A and B', 'A, B & C', 'A; B' to their parts.

    Commas split only when every part looks like a name, or is a wire service
    beside one ("Jane Doe, dpa"), so "Doe, Jane" and "Jane Doe, London" stay
    whole. A wire service in parentheses after the names ("Jane Doe (dpa)") is
    one more name.
    """
    if FIRM.match(byline):
        return [byline]
    wire = WIRE_IN_PARENTHESES.match(byline)
    if wire and is_wire(wire[2]):
        return list(dict.fromkeys([*split_names(wire[1]), wire[2].strip()]))
    # "A, B, and C": the comma before "and" is the join's, no part of the name before it.
    parts = [p.strip(" ,،") for p in NAME_JOINS.split(byline) if p and p.strip(" ,،")]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in re.split(r"[,،]", part) if p.strip()]
        people = [p for p in pieces if looks_like_person(p)]
        if len(pieces) > 1 and people and all(p in people or is_wire(p) for p in pieces):
            out.extend(pieces)
        else:
            out.append(part)
    if AND_JOIN.search(byline) and not re.search(r"[|/;、]", byline):
        out = _shared_surname(out)  # 'Jane and John Doe'; not 'Politik | Anna Weber', a section before the name
    return list(dict.fromkeys(out)) or [byline]


def _shared_surname(names: list[str]) -> list[str]:
    """'Jane', 'John Doe' to 'Jane Doe', 'John Doe': given names before the last name's surname share it.

    Only when each name before the last is one given name ('Jane', not 'AFP'
    or 'Procter'), or a list of them ('Jane, Ann' of 'Jane, Ann and John Doe'),
    and the last is one given name and one surname, particles allowed ('Luis
    van der Berg'): a middle name would leave which words are the surname unsaid.
    """
    given = [piece.strip() for name in names[:-1] for piece in name.split(",") if piece.strip()]
    if len(names) < 2 or not all(GIVEN_NAME.match(n) and not is_organisation(n) for n in given):
        return names
    words = names[-1].split()
    surname = words[1:]
    if not GIVEN_NAME.match(words[0]) or not looks_like_person(names[-1]):
        return names
    if len([w for w in surname if w.lower() not in NAME_PARTICLES]) != 1:
        return names
    return [f"{n} {' '.join(surname)}" for n in given] + [names[-1]]


def looks_like_person(name: str) -> bool:
    """Two to four capitalised words (particles like 'von' allowed), no digits, no organisation words."""
    words = name.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in name) or is_organisation(name):
        return False
    capitalised = [JOINED_PARTICLE_WORD.sub("", w) for w in words if w.lower() not in NAME_PARTICLES]
    return len(capitalised) >= 2 and all(w[:1].isupper() or CASELESS_WORD.match(w) for w in capitalised)


def person_despite_outlet_word(name: str) -> bool:
    """Whether a name is an organisation's only by an outlet's word in it and is shaped as a person's ('Emily Post').

    Alone, such a name is read as an outlet ('Washington Post' is shaped the
    same); `scrapers.article.bylines` reads it as a person's beside another
    person. A desk's or a company's word, an outlet's shape ('The Washington
    Post'), a title ('Guardian Staff') or outlets' words alone ('Daily Mail')
    still make an organisation.
    """
    words = name.split()
    if not (2 <= len(words) <= 4 and OUTLET_WORDS.search(name)) or all(OUTLET_WORDS.fullmatch(w) for w in words):
        return False
    if ORGANISATION_WORDS.search(name) or OUTLET_SHAPE.match(name) or is_staff(name):
        return False
    inner = range(1, len(words) - 1)
    return all(
        GIVEN_NAME.match(w) or w.lower() in NAME_PARTICLES or (i in inner and INITIAL.match(w))
        for i, w in enumerate(words)
    )


def has_middle_initial(name: str) -> bool:
    """Whether a name has an initial between its first and last words ('Emily J. Post'), as no outlet's name has."""
    words = name.split()
    return any(INITIAL.match(w) for w in words[1:-1])


def is_wire(name: str) -> bool:
    """Whether a name is a wire service's, or several together ('Reuters', 'dpa', 'APA/AP')."""
    return bool(WIRE_SERVICE.match(name.strip()))


def is_staff(name: str) -> bool:
    """Whether a byline names the newsroom's staff by a title or its desk alone ('Our Correspondent', 'Redaktion')."""
    return bool(STAFF_BYLINE.match(name.strip()))


def is_acronym(name: str) -> bool:
    """Whether a byline is an acronym alone ('CNN', 'BBC', 'ANSA'): a broadcaster's or agency's name, no person's.

    Not counted among `is_organisation`'s words: in parentheses after a name an
    acronym is more often the person's party or office ('Anna Weber (SPD)').
    """
    return bool(ACRONYM.match(name.strip()))


def is_organisation(name: str) -> bool:
    """Whether a byline names an organisation: a wire service, a desk or staff title, a company or institution.

    Or an outlet by its words ('Washington Post') or its shape: 'The' or 'Die' before a name ('The Hindu', 'Die
    Zeit'), an acronym opening it ('BBC Sport', 'CNN Wire'; initials of two letters, 'AJ Jones', are a person's).
    """
    words = ORGANISATION_WORDS.search(name) or OUTLET_WORDS.search(name) or OUTLET_SHAPE.match(name)
    return bool(words) or is_staff(name)
