"""Bylines: names from every source weighed by agreement, several authors as a list, organisations told apart."""

import pytest

from scrapers.article import parse_article
from scrapers.article.names import clean_byline, is_organisation, split_names
from scrapers.records import Author

BODY = (
    "<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs, "
    "library hours and the cost of keeping the harbour open through the winter months.</p>"
)
SITE = '<meta property="og:site_name" content="Westbury Post">'


def page(head: str = "", body: str = "") -> str:
    return f"<html><head>{SITE}{head}</head><body><article><h1>Budget agreed</h1>{body}{BODY}</article></body></html>"


def ld_author(author: str) -> str:
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", "author": {author}}}</script>'


def person(name: str) -> Author:
    return Author(name, "person")


def organisation(name: str) -> Author:
    return Author(name, "organisation")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("By Jane Doe", "Jane Doe"),
        ("Von Anna Weber", "Anna Weber"),
        ("Jane Doe, Staff Writer", "Jane Doe"),
        ("By Jane Doe | 14 March 2026", "Jane Doe"),
        ("Text: Anna Weber am", "Anna Weber"),
        ("Author: Jane Doe, PhD", "Jane Doe"),
        ("LP Luana Patriolino", "Luana Patriolino"),
        ("https://social.example/janedoe", None),
        ("admin", None),
    ],
)
def test_bylines_are_cleaned_to_the_names_in_them(raw, expected):
    assert clean_byline(raw) == expected


@pytest.mark.parametrize(
    "byline,names",
    [
        ("Mira Okafor and Tomas Lindqvist", ["Mira Okafor", "Tomas Lindqvist"]),
        ("Anna Weber und Jo Example", ["Anna Weber", "Jo Example"]),
        ("Ana Ruiz, Jo Example & Mira Okafor", ["Ana Ruiz", "Jo Example", "Mira Okafor"]),
        ("Jane Doe / dpa", ["Jane Doe", "dpa"]),
        ("Jane Doe, London", ["Jane Doe, London"]),  # a place, not a second author
        ("Mary E Smith", ["Mary E Smith"]),  # a middle initial, not Portuguese or Italian "and"
        ("Jane I Doe and Ana Y Ruiz", ["Jane I Doe", "Ana Y Ruiz"]),
        ("Ana Ruiz y Camila Rojas", ["Ana Ruiz", "Camila Rojas"]),
    ],
)
def test_several_authors_are_split_into_names(byline, names):
    assert split_names(byline) == names


@pytest.mark.parametrize(
    "name,organisation_",
    [
        ("Reuters", True),
        ("dpa", True),
        ("Staff", True),
        ("Westbury Post Newsroom", True),
        ("Cooperativa.cl", True),  # a host name signing a page
        ("elpais.com.uy", True),
        ("Jane Doe", False),
        ("J.R.Smith", False),
        ("max.mustermann", False),  # a user name, not a host
        # Wire services of the wider web, alone or together, and desks in other languages
        ("Yonhap", True),
        ("PTI", True),
        ("dpa-AFX", True),
        ("APA/AP", True),
        ("dpa, AFP", True),
        ("Anadolu Ajansı", True),
        ("Agência Brasil", True),
        ("Redação", True),
        ("Redactie", True),
        ("Toimitus", True),
        ("Redakcja", True),
        ("Редакция", True),
        ("Newsdesk", True),
        ("Maria García", False),
        ("Ria Lopez", False),
    ],
)
def test_organisations_are_told_apart_from_people(name, organisation_):
    assert is_organisation(name) is organisation_


def test_several_authors_are_kept_as_a_list_and_the_byline_as_the_outlet_writes_it():
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
        '{"@type": "Person", "name": "Mira Okafor"}, {"@type": "Person", "name": "Tomas Lindqvist"}]}</script>'
    )
    article = parse_article(page(ld, '<p class="byline">By Mira Okafor and Tomas Lindqvist</p>'))
    assert article.byline == "Mira Okafor and Tomas Lindqvist"
    assert article.authors == [person("Mira Okafor"), person("Tomas Lindqvist")]


def test_a_byline_block_with_one_element_per_author_is_several_authors_not_one_long_name():
    # A card per author (avatar initials, then the name) with nothing written between the cards.
    cards = (
        '<div class="autor">'
        '<div class="item"><div class="sigla">MO</div><div class="name">Mira Okafor</div></div>'
        '<div class="item"><div class="sigla">TL</div><div class="name">Tomas Lindqvist</div></div>'
        "</div>"
    )
    article = parse_article(page(body=cards))
    assert article.authors == [person("Mira Okafor"), person("Tomas Lindqvist")]
    # Written separators between the names are the outlet's own way of joining them, and kept.
    written = '<div class="author"><a>Mira Okafor</a>, <a>Tomas Lindqvist</a> &amp; <a>Ana Ruiz</a></div>'
    article = parse_article(page(body=written))
    assert article.byline == "Mira Okafor, Tomas Lindqvist & Ana Ruiz"
    assert len(article.authors) == 3


def test_several_json_ld_authors_are_all_kept_when_no_visible_byline_lists_them():
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
        '{"@type": "Person", "name": "Mira Okafor"}, {"@type": "Person", "name": "Tomas Lindqvist"}]}</script>'
    )
    assert parse_article(page(ld)).authors == [person("Mira Okafor"), person("Tomas Lindqvist")]
    # A wire service listed beside the outlet is not two people.
    wire = '<script type="application/ld+json">{"@type": "NewsArticle", "author": ["EFE", "Cooperativa.cl"]}</script>'
    assert parse_article(page(wire)).authors == [organisation("EFE")]


def test_a_json_ld_author_given_by_reference_is_looked_up_in_the_graph():
    ld = (
        '<script type="application/ld+json">{"@graph": ['
        '{"@type": "Article", "author": {"@id": "https://westbury.example/#/person/1"}},'
        '{"@type": "Person", "@id": "https://westbury.example/#/person/1", "name": "Ana Ruiz"}]}</script>'
    )
    assert parse_article(page(ld)).authors == [person("Ana Ruiz")]


def test_a_name_two_sources_agree_on_beats_one_source_alone():
    # A "Von" line alone is the most trusted kind of source; the meta tag and the byline element agreeing outweigh it.
    html = page(
        '<meta name="author" content="Jo Example">',
        '<span class="author-name">Jo Example</span><p>Von Sam Carter</p>',
    )
    assert parse_article(html).authors == [person("Jo Example")]
    alone = page(body='<span class="author-name">Jo Example</span><p>Von Sam Carter</p>')
    assert parse_article(alone).authors == [person("Sam Carter")]


def test_the_fullest_form_of_a_name_is_kept():
    ld = ld_author('{"@type": "Person", "name": "Nils"}')
    article = parse_article(page(ld, "<p><strong>Eine Kolumne von Nils Pickard</strong></p>"))
    assert article.byline == "Nils Pickard"


def test_a_wire_service_in_the_byline_is_an_organisation_and_a_person_comes_first():
    assert parse_article(page(body='<p class="byline">By Reuters</p>')).authors == [organisation("Reuters")]
    both = parse_article(page(body='<p class="byline">By Jane Doe / dpa</p>'))
    assert both.authors == [person("Jane Doe"), organisation("dpa")]


def test_staff_typed_as_a_person_is_still_an_organisation():
    ld = ld_author('{"@type": "Person", "name": "Staff"}')
    assert parse_article(page(ld)).authors == [organisation("Staff")]


@pytest.mark.parametrize(
    "html,authors",
    [
        # A person whose name holds an outlet's word is a person beside another person: outlets sign beside people
        # after a comma, a slash or "for", not as one more author.
        (page(body="<p>By Jane Doe and Emily Post</p>"), [person("Jane Doe"), person("Emily Post")]),
        (
            page(body='<p class="byline">Von Anna Weber und Emily Post</p>'),
            [person("Anna Weber"), person("Emily Post")],
        ),
        (
            page(ld_author('[{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Emily Post"}]')),
            [person("Jane Doe"), person("Emily Post")],
        ),
        # Alone, such a name reads as the outlet it is shaped as ("Washington Post"), however typed; an outlet's
        # shape, a desk and outlets' words alone stay organisations beside a person too.
        (page(body="<p>By Emily Post</p>"), [organisation("Emily Post")]),
        (page(ld_author('{"@type": "Person", "name": "Emily Post"}')), [organisation("Emily Post")]),
        (page(body="<p>By Jane Doe and Daily Mail</p>"), [person("Jane Doe"), organisation("Daily Mail")]),
        (page(body="<p>By Jane Doe and Guardian staff</p>"), [person("Jane Doe"), organisation("Guardian staff")]),
        (page(body="<p>By Jane Doe, Washington Post</p>"), [person("Jane Doe")]),
    ],
)
def test_a_persons_name_holding_an_outlets_word_is_a_person_beside_another(html, authors):
    assert parse_article(html).authors == authors


@pytest.mark.parametrize("line", ["Nachrichtenagentur dpa", "Presseagentur Reuters"])
def test_a_german_agencys_compound_word_makes_an_organisation(line):
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == [organisation(line)]


@pytest.mark.parametrize("line", ["dpa/lhe", "APA/red", "AFP/jd", "dsw / DPA", "dpa/AFP/lhe"])
def test_a_wire_service_with_the_editors_initials_is_an_organisation(line):
    # German-language outlets sign agency copy with the editor's initials beside the agency's name.
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == [organisation(line)]
    if " " not in line:
        both = parse_article(page(body=f'<p class="byline">Anna Weber / {line}</p>'))
        assert both.authors == [person("Anna Weber"), organisation(line)]


def test_an_unsigned_page_is_signed_by_its_publisher():
    article = parse_article(page())
    assert article.byline == "Westbury Post"
    assert article.authors == [organisation("Westbury Post")]
    # A tagline after a separator is cut off; an underscore inside a name is no separator.
    tagline = parse_article(page().replace(SITE, '<meta property="og:site_name" content="Westbury Post | News">'))
    assert tagline.byline == "Westbury Post"
    underscored = parse_article(page().replace(SITE, '<meta property="og:site_name" content="westbury_post">'))
    assert underscored.byline == "westbury_post"


def test_a_blog_named_after_its_author_is_the_authors():
    html = page().replace(SITE, '<meta property="og:site_name" content="Anna Weber">')
    article = parse_article(html.replace(BODY, '<a rel="author" href="/about">Anna Weber</a>' + BODY))
    assert article.authors == [person("Anna Weber")]


def test_dates_and_durations_in_byline_elements_are_not_names():
    html = page(body='<div class="auteurs">juillet 2020</div><span class="author">01:30 Min.</span>')
    assert parse_article(html).authors == [organisation("Westbury Post")]


def test_a_link_to_the_authors_page_that_spells_the_name_is_a_byline():
    html = page(body='<div class="credits"><a href="/fr/staff/ana-ruiz-nunez/">Ana Ruiz Núñez</a></div>')
    assert parse_article(html).authors == [person("Ana Ruiz Núñez")]


def test_a_profile_link_that_does_not_spell_the_name_or_is_not_a_name_says_nothing():
    html = page(
        body='<a href="/staff/">Our Team Members</a><a href="/author/jdoe-42/">Sam Carter</a>'
        '<a href="/people/sam-carter/">sam carter</a>'
    )
    assert parse_article(html).authors == [organisation("Westbury Post")]


def test_a_profile_link_is_the_weakest_witness():
    # It mostly repeats the visible byline; alone against a meta tag it does not win.
    html = page('<meta name="author" content="Jo Example">', '<a href="/author/sam-carter">Sam Carter</a>')
    assert parse_article(html).authors == [person("Jo Example")]


@pytest.mark.parametrize(
    "line,name",
    [
        ("Oleh Budi Santoso", "Budi Santoso"),
        ("Автор: Иван Петров", "Иван Петров"),
        ("Автор: Олена Іваненко", "Олена Іваненко"),
        ("Yazar: Ayşe Yılmaz", "Ayşe Yılmaz"),
        ("Af Mette Frederiksen", "Mette Frederiksen"),
        ("Av Kari Nordmann", "Kari Nordmann"),
        ("Szerző: Nagy Péter", "Nagy Péter"),
        ("Piše: Ivana Horvat", "Ivana Horvat"),
        ("Tác giả: Nguyễn Văn An", "Nguyễn Văn An"),
        # "Writes X" and "Text: X", as Spanish, Portuguese, Italian and Dutch pages sign.
        ("Escribe Camila Rojas", "Camila Rojas"),
        ("Escreve João Silva", "João Silva"),
        ("Scrive Marco Bianchi", "Marco Bianchi"),
        ("Texto: Ana Martínez", "Ana Martínez"),
        ("Testo: Giulia Verdi", "Giulia Verdi"),
        ("Tekst: Jan de Vries", "Jan de Vries"),
    ],
)
def test_a_byline_line_is_read_in_the_wider_webs_languages(line, name):
    # Pages in these languages mark no author in their markup: the written line is the only witness.
    article = parse_article(page(body=f"<p>{line}</p>"))
    assert article.authors == [person(name)]


@pytest.mark.parametrize(
    "raw,expected",
    [
        # A second credit run into the byline: a source, a translator, a photographer is no co-author.
        ("Publicado por Ana Ruiz La información es de Tomas Lindqvist", "Ana Ruiz"),
        ("Anna Weber Übersetzung Jo Example", "Anna Weber"),
        ("Jane Doe, Photos by Sam Carter", "Jane Doe"),
        ("Mira Okafor Translated by Ana Ruiz", "Mira Okafor"),
        ("Ana Ruiz Con información de EFE", "Ana Ruiz"),
        # A credit alone names no author.
        ("Übersetzung Jo Example", None),
        ("Translation: Ana Ruiz", None),
        ("Foto: Sam Carter", None),
        ("Photo by Sam Carter", None),
        # One person credited for both is still the author.
        ("Text und Fotos: Anna Weber", "Anna Weber"),
        ("Words and photos by Jane Doe", "Jane Doe"),
    ],
)
def test_other_credits_are_not_taken_for_the_author(raw, expected):
    assert clean_byline(raw) == expected


def test_a_translators_credit_beside_the_byline_does_not_sign_the_page():
    body = (
        '<div class="author"><p>Von Anna Weber</p><p class="author-credit">Übersetzung '
        '<a href="/author/jo-example/">Jo Example</a></p></div>'
    )
    assert parse_article(page(body=body)).authors == [person("Anna Weber")]


@pytest.mark.parametrize(
    "raw,expected",
    [
        # A name followed by a colon is the name, not a label to take off ("Autor Jane Doe: 12.12.22").
        ("Autor Mark Newton: EN", "Mark Newton"),
        ("Author Jane Doe: 3 min read", "Jane Doe"),
        # A label is still taken off.
        ("Redaktion Sport: Anna Weber", "Anna Weber"),
        ("Text und Bild: Anna Weber", "Anna Weber"),
    ],
)
def test_a_name_before_a_colon_is_kept_not_taken_for_a_label(raw, expected):
    assert clean_byline(raw) == expected


def test_a_byline_in_another_storys_teaser_card_does_not_sign_the_page():
    # A linked card (another story's headline with its author) sits beside the story, even inside it.
    card = (
        '<a href="/2026/03/harbour-plan"><div class="teaser"><h3>Harbour plan goes to a public vote in May</h3>'
        '<div class="author-name">Sam Carter</div></div></a>'
    )
    story = page('<meta name="author" content="Jo Example">', card + card.replace("harbour-plan", "ferry"))
    assert parse_article(story).authors == [person("Jo Example")]
    # A link around the name alone is the byline's own.
    linked = page(body='<div class="author-name"><a href="/author/jo-example/">Jo Example</a></div>')
    assert parse_article(linked).authors == [person("Jo Example")]


@pytest.mark.parametrize(
    "raw,expected",
    [
        # Academic titles are not part of the name.
        ("Dr. Anna Weber", "Anna Weber"),
        ("Von Prof. Dr. Jo Example", "Jo Example"),
        ("Dipl.-Ing. Tomas Lindqvist", "Tomas Lindqvist"),
        ("Mag. Ana Ruiz", "Ana Ruiz"),
        ("Dr. med. Sam Carter", "Sam Carter"),
        ("Drake Carter", "Drake Carter"),
    ],
)
def test_academic_titles_are_taken_off_names(raw, expected):
    assert clean_byline(raw) == expected


def test_a_site_named_after_a_doctor_is_signed_by_that_person():
    article = parse_article(page().replace(SITE, '<meta property="og:site_name" content="Dr. Anna Weber">'))
    assert article.byline == "Anna Weber"
    assert article.authors == [person("Anna Weber")]


@pytest.mark.parametrize(
    "line,name",
    [
        # Drupal's "submitted" line under a post, in the languages it ships in.
        ("Submitted by mira_okafor on Fri, 01/29/2016 - 14:43", "mira_okafor"),
        ('Gespeichert von <span class="username">Anna Weber</span> am 24. Juli 2017 - 18:55', "Anna Weber"),
        ("Soumis par Jo Example le 3 mai 2022", "Jo Example"),
        ("Enviado por Ana Ruiz el 3 de mayo de 2022", "Ana Ruiz"),
    ],
)
def test_a_drupal_submitted_line_names_the_author(line, name):
    article = parse_article(page(body=f'<div class="submitted">{line}</div>'))
    assert article.byline == name


@pytest.mark.parametrize(
    "line,name",
    [
        # Scripts without capital letters: the label says it is a byline, the words are the name.
        ("بقلم محمد العلي", "محمد العلي"),
        ("كتب: سارة حسن", "سارة حسن"),
        ("מאת דנה כהן", "דנה כהן"),
        ("نویسنده: علی رضایی", "علی رضایی"),
        ("लेखक: राम शर्मा", "राम शर्मा"),
        ("โดย สมชาย ใจดี", "สมชาย ใจดี"),
        ("作者：张伟", "张伟"),
        ("记者 李娜", "李娜"),
        ("文：山田太郎", "山田太郎"),
        ("글 홍길동", "홍길동"),
    ],
)
def test_a_byline_line_in_a_script_without_capitals_names_the_author(line, name):
    assert parse_article(page(body=f"<p>{line}</p>")).authors == [person(name)]


def test_several_names_in_a_script_without_capitals_are_split():
    assert split_names("张伟、李娜") == ["张伟", "李娜"]
    assert split_names("محمد العلي، سارة حسن") == ["محمد العلي", "سارة حسن"]


@pytest.mark.parametrize(
    "raw,expected",
    [
        # Whoever edited, reviewed or checked the piece did not write it.
        ("Jane Doe Medically reviewed by Sam Carter", "Jane Doe"),
        ("By Mira Okafor, edited by Ana Ruiz", "Mira Okafor"),
        ("Anna Weber Fact checked by Jo Example", "Anna Weber"),
        ("Reviewed by Sam Carter", None),
        ("Jo Example Redigiert von Anna Weber", "Jo Example"),
        ("Ana Ruiz Editado por Camila Rojas", "Ana Ruiz"),
    ],
)
def test_an_editors_or_reviewers_credit_is_not_the_author(raw, expected):
    assert clean_byline(raw) == expected


def test_a_reviewer_beside_the_byline_does_not_sign_the_page():
    body = (
        '<div class="author-info"><span class="author-name">By Jane Doe</span></div>'
        '<div class="reviewer"><span class="author-name">Medically reviewed by Sam Carter</span></div>'
    )
    assert parse_article(page('<meta name="author" content="Sam Carter">', body)).authors == [person("Jane Doe")]


@pytest.mark.parametrize(
    "raw,expected",
    [
        # Reading times, handles and what a byline element adds after the name.
        ("Jane Doe 5 min read", "Jane Doe"),
        ("Jane Doe • 3 min read", "Jane Doe"),
        ("Anna Weber Lesezeit: 3 Min.", "Anna Weber"),
        ("Anna Weber 3 Minuten Lesezeit", "Anna Weber"),
        ("By Jane Doe @janedoe", "Jane Doe"),
        # Job titles in German compounds and after a dash.
        ("Anna Weber, Gastautorin", "Anna Weber"),
        ("Anna Weber - Chefredakteurin", "Anna Weber"),
        ("Jo Example, Wirtschaftsredakteur", "Jo Example"),
        # The kind of piece before "von" / "by".
        ("Kommentar von Anna Weber", "Anna Weber"),
        ("Gastbeitrag von Jo Example", "Jo Example"),
        ("Kurt von Hammerstein", "Kurt von Hammerstein"),
        # Roles in parentheses and credits after a slash.
        ("Anna Weber (Text), Sam Carter (Fotos)", "Anna Weber"),
        ("Text: Anna Weber / Fotos: Sam Carter", "Anna Weber"),
        ("Fotos: Sam Carter, Text: Anna Weber", "Anna Weber"),
        # A date written in any alphabet after the name.
        ("Иван Петров, 12 марта 2021", "Иван Петров"),
    ],
)
def test_what_byline_elements_add_to_the_name_is_taken_off(raw, expected):
    assert clean_byline(raw) == expected


@pytest.mark.parametrize("attribute", ["data-testid", "data-test", "data-qa", "data-component"])
def test_a_byline_named_by_a_test_id_is_read_when_the_classes_are_generated(attribute):
    # Sites built from components give elements hashed class names; the component's name is in a test id.
    body = (
        f'<div class="QHbl nkdH" {attribute}="prism-byline"><span class="tChG">By</span>'
        '<span><a class="zZyg" href="/about/team">Mira Okafor</a></span></div>'
    )
    assert parse_article(page(body=body)).authors == [person("Mira Okafor")]


def test_a_source_that_names_many_people_counts_for_each_only_its_share():
    # The page's own byline (JSON-LD and the byline element) against a list of other stories, each signed:
    # the list's element and line sources agree on one of its names, but name three others too.
    cards = "".join(
        f'<li><a href="/2026/{n}">Story {n}</a><p class="byline">By {name}</p></li>'
        for n, name in enumerate(["Sam Carter", "Jo Example", "Tomas Lindqvist"])
    )
    body = f'<span class="author">Ana Ruiz</span><ul class="more">{cards}</ul>'
    html = page(ld_author('{"@type": "Person", "name": "Ana Ruiz"}'), body)
    assert parse_article(html).authors == [person("Ana Ruiz")]


@pytest.mark.parametrize(
    "raw,expected",
    [
        # A role or office in parentheses after the name is not part of it; a wire service there stays.
        ("Redaktion: Anna Weber (Pressesprecherin des Vereins)", "Anna Weber"),
        ("By Jane Doe (Senior Correspondent)", "Jane Doe"),
        ("- Von Jo Example (Leitung Kommunikation)", "Jo Example"),
        ("Jane Doe (dpa)", "Jane Doe (dpa)"),
    ],
)
def test_a_role_in_parentheses_after_the_name_is_taken_off(raw, expected):
    assert clean_byline(raw) == expected


def test_a_line_signed_by_the_editorial_office_label_names_the_author():
    # "Redaktion: X" after a date, in a dateline that is neither byline element nor "Von" line.
    line = '<div class="news-timedata">05.02.2020 <span>-&nbsp;Redaktion: Anna Weber (Pressesprecherin)</span></div>'
    assert parse_article(page(body=line)).authors == [person("Anna Weber")]


@pytest.mark.parametrize(
    "line,authors",
    [
        # A line of the date, the time and the name, and nothing else, names the author.
        ("<small>04.02.2026 | 13:10 Uhr | Anna Weber</small>", [person("Anna Weber")]),
        ("<p>Jo Example · 3. März 2026</p>", [person("Jo Example")]),
        # The separator in an element of its own, inside the line.
        ('<div class="meta"><span>04.02.2026</span><span> | </span><b>Anna Weber</b></div>', [person("Anna Weber")]),
        # A weekday or a place alone beside the date is no one's name; a line holding other words is no dateline.
        ("<p>Westbury Tue | March 3, 2026</p>", [organisation("Westbury Post")]),
        ("<p>Westbury | March 3, 2026</p>", [organisation("Westbury Post")]),
        ("<p>March 3, 2026 | Council News | Anna Weber</p>", [organisation("Westbury Post")]),
    ],
)
def test_a_dateline_of_the_date_and_a_name_names_the_author(line, authors):
    assert parse_article(page(body=line)).authors == authors


def test_a_dateline_name_is_a_weak_witness():
    # Against a byline element it does not win.
    body = '<span class="author">Jo Example</span><small>04.02.2026 | Anna Weber</small>'
    assert parse_article(page(body=body)).authors == [person("Jo Example")]


@pytest.mark.parametrize(
    "line,authors",
    [
        # A written line naming several people: each kept, in the order written, without the "By".
        ("Von Anna Weber und Jonas Berg", [person("Anna Weber"), person("Jonas Berg")]),
        ("By Jane Doe, John Roe and Ann Poe", [person("Jane Doe"), person("John Roe"), person("Ann Poe")]),
        ("Par Marie Dupont et Luc Martin", [person("Marie Dupont"), person("Luc Martin")]),
        ("Por Ana Pérez y Luis Gómez", [person("Ana Pérez"), person("Luis Gómez")]),
        ("By Jane Doe and John Roe, March 3, 2026", [person("Jane Doe"), person("John Roe")]),
        # Name particles of Portuguese and German names.
        ("Von João dos Santos und Ana das Neves", [person("João dos Santos"), person("Ana das Neves")]),
        ("Por Maria do Carmo Silva", [person("Maria do Carmo Silva")]),
        ("Von Karl zu Guttenberg", [person("Karl zu Guttenberg")]),
        # A wire service beside a person stays an organisation.
        ("Von Anna Weber und dpa", [person("Anna Weber"), organisation("dpa")]),
        # A label with a colon before the name.
        ("By: Jane Doe", [person("Jane Doe")]),
        ("Von: Anna Weber", [person("Anna Weber")]),
        ("Auteur : Marie Dupont", [person("Marie Dupont")]),
        # A line that names no person is no byline: the outlet stands.
        ("By the way, the council met", [organisation("Westbury Post")]),
        ("By Sunday, the news desk had left", [organisation("Westbury Post")]),
        ("By Reuters' count, three ships sank", [organisation("Westbury Post")]),
        # Unless it is an organisation's name as written: a wire service or an outlet.
        ("By Reuters", [organisation("Reuters")]),
        ("By Times of India", [organisation("Times of India")]),
    ],
)
def test_a_written_byline_of_several_people_names_each(line, authors):
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors


@pytest.mark.parametrize(
    "author,authors",
    [
        # "And" inside a company's name joins no two people.
        ("Procter and Gamble", [organisation("Procter and Gamble")]),
        ("Marks &amp; Spencer", [organisation("Marks & Spencer")]),
        ("Johnson &amp; Johnson", [organisation("Johnson & Johnson")]),
        # Wire services and desks stay organisations; two people stay two.
        ("Reuters", [organisation("Reuters")]),
        ("Staff", [organisation("Staff")]),
        ("dpa", [organisation("dpa")]),
        ("Jane Doe and John Roe", [person("Jane Doe"), person("John Roe")]),
    ],
)
def test_organisation_bylines_are_told_apart_from_several_people(author, authors):
    head = f'<meta name="author" content="{author}">'
    assert parse_article(page(head=head)).authors == authors


@pytest.mark.parametrize(
    "line,authors",
    [
        # Two given names sharing one surname are two people, each with the surname.
        ("By Jane and John Doe", [person("Jane Doe"), person("John Doe")]),
        ("Von Anna und Jonas Berg", [person("Anna Berg"), person("Jonas Berg")]),
        ("By Ana and Luis van der Berg", [person("Ana van der Berg"), person("Luis van der Berg")]),
        ("By Jane Smith and John Roe", [person("Jane Smith"), person("John Roe")]),
    ],
)
def test_two_given_names_before_one_surname_are_two_people(line, authors):
    article = parse_article(page(body=f'<p class="byline">{line}</p>'))
    assert article.authors == authors
    assert article.byline == line.split(" ", 1)[1]  # as the outlet writes it
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors
    assert parse_article(page(head=f'<meta name="author" content="{line.split(" ", 1)[1]}">')).authors == authors


@pytest.mark.parametrize(
    "byline,names",
    [
        # A section before the name, or a middle name that leaves the surname unsaid, shares nothing.
        ("Politik | Anna Weber", ["Politik", "Anna Weber"]),
        ("Jane and John Michael Doe", ["Jane", "John Michael Doe"]),
        ("AFP and John Doe", ["AFP", "John Doe"]),
    ],
)
def test_a_surname_is_shared_only_by_given_names_joined_with_and(byline, names):
    assert split_names(byline) == names


@pytest.mark.parametrize(
    "name,authors",
    [
        # A CMS that types every author as an Organization: two people's names joined are still two people.
        ("Jane Smith and John Roe", [person("Jane Smith"), person("John Roe")]),
        ("Jane and John Doe", [person("Jane Doe"), person("John Doe")]),
        # A firm named for two people, one word each, stays the firm.
        ("Procter and Gamble", [organisation("Procter and Gamble")]),
        ("Johnson &amp; Johnson", [organisation("Johnson & Johnson")]),
        ("Westbury Harbour Trust", [organisation("Westbury Harbour Trust")]),
    ],
)
def test_people_joined_in_a_json_ld_organisation_are_people(name, authors):
    ld = ld_author(f'{{"@type": "Organization", "name": "{name}"}}')
    assert parse_article(page(ld)).authors == authors


@pytest.mark.parametrize(
    "line,name",
    [
        # The day of posting before the name: the name is the byline, the date is not part of it.
        ("Posted on March 3, 2026 by Jane Doe", "Jane Doe"),
        ("Published on 3 March 2026 at 10:15 am by Jane Doe", "Jane Doe"),
        ("Publié le 3 mars 2026 par Marie Dupont", "Marie Dupont"),
        ("Veröffentlicht am 3. März 2026 von Anna Weber", "Anna Weber"),
        ("Publicado el 3 de marzo de 2026 por Ana Pérez", "Ana Pérez"),
    ],
)
def test_a_posted_on_date_by_line_names_the_author(line, name):
    assert clean_byline(line) == name
    assert parse_article(page(body=f"<p>{line}</p>")).authors == [person(name)]
    assert parse_article(page(body=f'<div class="entry-meta">{line}</div>')).authors == [person(name)]


@pytest.mark.parametrize(
    "line,authors",
    [
        # The outlet a person writes for, after a comma, is no part of the name.
        ("By Jane Doe, CNN", [person("Jane Doe")]),
        ("Von Anna Weber, Süddeutsche Zeitung", [person("Anna Weber")]),
        ("By Jane Doe and John Roe, CNN", [person("Jane Doe"), person("John Roe")]),
    ],
)
def test_the_outlet_after_a_comma_is_taken_off_the_name(line, authors):
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == authors
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors


@pytest.mark.parametrize(
    "line",
    ["By Jane Doe, dpa", "By Jane Doe, AFP", "By Jane Doe, Reuters", "By Jane Doe (dpa)", "By Jane Doe / dpa"],
)
def test_a_wire_service_after_a_persons_name_is_a_second_signature_however_it_is_joined(line):
    # The person is the author; the agency whose copy the story carries stays in the list as an organisation,
    # whether written after a comma, in parentheses or after a slash.
    wire = line.rsplit(" ", 1)[1].strip("()")
    authors = [person("Jane Doe"), organisation(wire)]
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == authors
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors
    head = f'<meta name="author" content="{line[3:]}">'
    assert parse_article(page(head=head)).authors == authors


@pytest.mark.parametrize(
    "line,authors",
    [
        # The place a story was filed from, after a comma, is no part of the name.
        ("By Jane Doe, London", [person("Jane Doe")]),
        ("Von Anna Weber, Berlin", [person("Anna Weber")]),
        ("By Jane Doe, New York", [person("Jane Doe")]),
        ("By Jane Doe, WASHINGTON", [person("Jane Doe")]),
        ("By Jane Doe and John Roe, Brussels", [person("Jane Doe"), person("John Roe")]),
        ("By Jane Doe, London, March 3, 2026", [person("Jane Doe")]),
        # A second person's name is no place, and a wire service still signs.
        ("By Jane Doe, John Roe", [person("Jane Doe"), person("John Roe")]),
        ("By Jane Doe, dpa", [person("Jane Doe"), organisation("dpa")]),
    ],
)
def test_a_dateline_place_after_a_comma_is_taken_off_the_name(line, authors):
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == authors
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors


@pytest.mark.parametrize("raw", ["John Roe, Jr.", "John Roe, III", "Doe, Jane"])
def test_a_suffix_or_a_surname_first_name_is_not_taken_for_a_place(raw):
    assert clean_byline(raw) == raw


@pytest.mark.parametrize(
    "line,authors",
    [
        # An organisation alone, or organisations together, still sign the page as one.
        ("By Reuters", [organisation("Reuters")]),
        ("By Associated Press", [organisation("Associated Press")]),
        ("Reuters, AFP", [organisation("Reuters, AFP")]),
    ],
)
def test_an_organisation_byline_keeps_its_organisation(line, authors):
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == authors


@pytest.mark.parametrize(
    "raw,expected",
    [
        # Plural job titles after several names go as singular ones do after one.
        ("Jane Doe and John Roe, Staff Writers", "Jane Doe and John Roe"),
        ("By Jane Doe and John Roe, Reporters", "Jane Doe and John Roe"),
        ("Ana Ruiz and Luis Gómez, Correspondents", "Ana Ruiz and Luis Gómez"),
        ("Ana Ruiz and Luis Gómez, Contributing Editors", "Ana Ruiz and Luis Gómez"),
        ("Von Anna Weber und Jonas Berg, Redakteure", "Anna Weber und Jonas Berg"),
        ("Von Anna Weber und Lea Berg, Redakteurinnen", "Anna Weber und Lea Berg"),
        ("Anna Weber und Jonas Berg, Korrespondenten", "Anna Weber und Jonas Berg"),
        # A desk named by its title alone stays the desk.
        ("The Editors", "The Editors"),
        ("Staff Writers", "Staff Writers"),  # the desk, as "Staff Writer" is
    ],
)
def test_plural_job_titles_are_taken_off_names(raw, expected):
    assert clean_byline(raw) == expected


def test_several_people_with_a_plural_title_are_each_an_author():
    line = '<p class="byline">Jane Doe and John Roe, Staff Writers</p>'
    assert parse_article(page(body=line)).authors == [person("Jane Doe"), person("John Roe")]


@pytest.mark.parametrize(
    "line,desk",
    [
        # A byline naming the staff by a title alone signs as the newsroom's staff, kept whole.
        ("Our Correspondent", "Our Correspondent"),
        ("By Our Special Correspondent", "Our Special Correspondent"),
        ("The Editor", "The Editor"),
        ("By Our Political Editor", "Our Political Editor"),
        ("Staff Reporter", "Staff Reporter"),
        ("By Staff Writer", "Staff Writer"),
        ("Special Correspondent", "Special Correspondent"),
        ("Unser Korrespondent", "Unser Korrespondent"),
        ("Redaktion", "Redaktion"),
        ("Von der Redaktion", "Redaktion"),
        # With an indefinite article, the outlet's initials or the place filed from: still the staff, no one's name.
        ("By A Staff Reporter", "A Staff Reporter"),
        ("A Correspondent", "A Correspondent"),
        ("By HT Correspondent", "HT Correspondent"),
        ("TOI Staff", "TOI Staff"),
        ("By Guest Author", "Guest Author"),
        ("By Special Correspondent, Kolkata", "Special Correspondent"),
        ("Our Correspondent, New York", "Our Correspondent"),
    ],
)
def test_a_staff_byline_is_the_newsrooms_kept_whole(line, desk):
    assert clean_byline(line) == desk
    assert is_organisation(desk)
    for html in (
        page(body=f'<p class="byline">{line}</p>'),
        page(body=f"<p>{line}</p>") if line.split()[0] in ("By", "Von") else page(body=f"<p>By {line}</p>"),
        page(head=f'<meta name="author" content="{line}">'),
    ):
        article = parse_article(html)
        assert (article.byline, article.authors) == (desk, [organisation(desk)])


def test_a_person_beside_a_staff_byline_signs_the_page():
    body = '<p class="byline">Our Correspondent</p><p>By Jane Doe</p>'
    assert parse_article(page(body=body)).authors == [person("Jane Doe")]
    # A person's name with a title is still the person's.
    assert clean_byline("Jane Doe, Staff Reporter") == "Jane Doe"
    assert not is_organisation("Jane Doe")


@pytest.mark.parametrize(
    "raw,expected",
    [
        # A particle opening the surname is part of the name, not the German or French "By".
        ("By Ursula von der Leyen", "Ursula von der Leyen"),
        ("Von Ursula von der Leyen", "Ursula von der Leyen"),
        ("Par Jean de La Fontaine", "Jean de La Fontaine"),
        ("Von der Leyen", "Von der Leyen"),
        ("De la Fontaine", "De la Fontaine"),
        ("Van der Berg", "Van der Berg"),
        ("Ursula Von Der Leyen", "Ursula Von Der Leyen"),
        # The label still goes before a given name, and "Von der Redaktion" is still the desk.
        ("Von Anna Weber", "Anna Weber"),
        ("De Ana Pérez", "Ana Pérez"),
        ("Von der Redaktion", "Redaktion"),
    ],
)
def test_a_particle_opening_a_surname_is_not_cut_as_a_byline_label(raw, expected):
    assert clean_byline(raw) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        # A surname with its particle written alone, after a label: labels do not stack, so the particle is the name's.
        ("By De Gaulle", "De Gaulle"),
        ("Par De Gaulle", "De Gaulle"),
        ("Von Van Gogh", "Van Gogh"),
        ("By Di Maio", "Di Maio"),
        ("Di Di Maio", "Di Maio"),
        ("By de Gaulle", "de Gaulle"),
        ("Por Da Silva", "Da Silva"),
        ("By Del Toro", "Del Toro"),
        ("Par Le Pen", "Le Pen"),
        ("By La Russa", "La Russa"),
        ("By Van Persie | 14 March 2026", "Van Persie"),
        # Alone, a capitalised "De" or "Di" before one word opens a surname ("De Gaulle"), not the Romance "by".
        ("De Gaulle", "De Gaulle"),
        ("Di Maio", "Di Maio"),
        # Full names keep their particles, and the label still goes before a given name and a surname.
        ("Charles de Gaulle", "Charles de Gaulle"),
        ("Par Marine Le Pen", "Marine Le Pen"),
        ("Di Luigi Di Maio", "Luigi Di Maio"),
        ("Von Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("Di Mario Rossi", "Mario Rossi"),
        ("De Ana Pérez", "Ana Pérez"),
        # German "Von" before one word is still the label: a first name signs many a blog.
        ("Von Anna", "Anna"),
        ("von Anna", "Anna"),
    ],
)
def test_a_surname_with_its_particle_alone_keeps_the_particle(raw, expected):
    assert clean_byline(raw) == expected


@pytest.mark.parametrize(
    "html,authors",
    [
        (page(body="<p>By De Gaulle</p>"), [person("De Gaulle")]),
        (page(body="<p>Par Le Pen</p>"), [person("Le Pen")]),
        (page(body='<p class="byline">By Di Maio</p>'), [person("Di Maio")]),
        (page(head='<meta name="author" content="Di Maio">'), [person("Di Maio")]),
        (page(body="<p>By Marine Le Pen and Luigi Di Maio</p>"), [person("Marine Le Pen"), person("Luigi Di Maio")]),
    ],
)
def test_a_page_signed_by_a_surname_with_its_particle_keeps_it(html, authors):
    assert parse_article(html).authors == authors


@pytest.mark.parametrize(
    "html,authors",
    [
        (page(head='<meta name="author" content="Von der Leyen">'), [person("Von der Leyen")]),
        (page(body='<p class="byline">Von Ursula von der Leyen</p>'), [person("Ursula von der Leyen")]),
        (page(body="<p>By Ursula von der Leyen</p>"), [person("Ursula von der Leyen")]),
        (page(body="<p>Par Jean de La Fontaine</p>"), [person("Jean de La Fontaine")]),
        # Particles of Dutch and Arabic names in a written byline, and beside an outlet.
        (page(body="<p>Door Jan ter Horst</p>"), [person("Jan ter Horst")]),
        (page(body="<p>By Mohammed bin Salman</p>"), [person("Mohammed bin Salman")]),
        (page(body="<p>By Ahmed al-Masri</p>"), [person("Ahmed al-Masri")]),
        (page(body='<p class="byline">By Ahmed al-Masri, CNN</p>'), [person("Ahmed al-Masri")]),
    ],
)
def test_a_name_with_particles_is_read_whole(html, authors):
    assert parse_article(html).authors == authors


@pytest.mark.parametrize(
    "html,authors",
    [
        # A name field holds a name: a particle before one word there opens the surname, whichever particle it is.
        (page(head='<meta name="author" content="Von Trier">'), [person("Von Trier")]),
        (page(head=ld_author('{"@type": "Person", "name": "Von Trier"}')), [person("Von Trier")]),
        (page(head='<meta name="author" content="Van Gogh">'), [person("Van Gogh")]),
        (page(head='<meta name="author" content="Le Carré">'), [person("Le Carré")]),
        (page(head='<meta name="author" content="Da Silva">'), [person("Da Silva")]),
        # A label before a full name is still a label there.
        (page(head='<meta name="author" content="Von Anna Weber">'), [person("Anna Weber")]),
        (page(head='<meta name="author" content="By Jane Doe">'), [person("Jane Doe")]),
        # A written line says "Von" before a first name alone: many a blog signs so ("Von Anna").
        (page(body='<p class="byline">Von Anna</p>'), [person("Anna")]),
    ],
)
def test_a_particle_before_one_word_in_a_name_field_is_the_surnames(html, authors):
    assert parse_article(html).authors == authors


@pytest.mark.parametrize(
    "line,authors",
    [
        # An outlet after a comma, known by a news outlet's word, is where the person works.
        ("By Jane Doe, Washington Post", [person("Jane Doe")]),
        ("By Jane Doe, The Washington Post", [person("Jane Doe")]),
        ("By Jane Doe, Harbour Daily", [person("Jane Doe")]),
        ("By Jane Doe, Kingston Herald", [person("Jane Doe")]),
        ("Von Anna Weber, Frankfurter Rundschau", [person("Anna Weber")]),
        ("By Jane Doe and John Roe, New York Times", [person("Jane Doe"), person("John Roe")]),
        # A second person stays a second person.
        ("By Jane Doe, John Roe", [person("Jane Doe"), person("John Roe")]),
    ],
)
def test_a_news_outlet_after_a_comma_is_taken_off_the_name(line, authors):
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == authors
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors
    assert parse_article(page(head=f'<meta name="author" content="{line[3:]}">')).authors == authors


def outlet_page(head: str, line: str) -> str:
    """A page of an outlet whose name holds no news outlet's word, its byline naming the outlet after a comma."""
    body = f'<h1>Budget agreed</h1><p class="byline">{line}</p>{BODY}'
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    "head,url",
    [
        ('<meta property="og:site_name" content="Westbury Echo">', None),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "publisher": "Westbury Echo"}</script>', None),
        # A host name beside an og:site_name that does not spell it.
        ('<meta property="og:site_name" content="The Echo">', "https://www.westburyecho.example/2026/budget"),
    ],
)
def test_the_pages_own_outlet_after_a_comma_is_taken_off_the_name(head, url):
    # The site's name, however the page gives it (its og:site_name, JSON-LD publisher or host name).
    html = outlet_page(head, "By Jane Doe, Westbury Echo")
    assert parse_article(html, url=url).authors == [person("Jane Doe")]


@pytest.mark.parametrize("acronym", ["CNN", "BBC", "AFP", "ANSA"])
def test_an_acronym_alone_is_an_organisation(acronym):
    for html in (
        page(body=f'<p class="byline">{acronym}</p>'),
        page(body=f'<span class="author">By {acronym}</span>'),
        page(head=f'<meta name="author" content="{acronym}">'),
    ):
        article = parse_article(html)
        assert (article.byline, article.authors) == (acronym, [organisation(acronym)])
    # A person's name beside it signs the page.
    body = f'<p class="byline">{acronym}</p><p>By Jane Doe</p>'
    assert parse_article(page(body=body)).authors == [person("Jane Doe")]


@pytest.mark.parametrize(
    "byline,names",
    [
        # Several given names listed before one surname share it.
        ("Jane, Ann and John Doe", ["Jane Doe", "Ann Doe", "John Doe"]),
        ("Jane, Ann, and John Doe", ["Jane Doe", "Ann Doe", "John Doe"]),
        ("Anna, Lea und Jonas Berg", ["Anna Berg", "Lea Berg", "Jonas Berg"]),
        ("Ana, Eva and Luis van der Berg", ["Ana van der Berg", "Eva van der Berg", "Luis van der Berg"]),
        # Not when one before the last is more than one given name, or the last has a middle name.
        ("Jane, Ann Marie and John Doe", ["Jane, Ann Marie", "John Doe"]),
        ("Jane, Ann and John Michael Doe", ["Jane, Ann", "John Michael Doe"]),
        ("Reuters, AFP and John Doe", ["Reuters, AFP", "John Doe"]),
    ],
)
def test_several_given_names_before_one_surname_share_it(byline, names):
    assert split_names(byline) == names


def test_a_written_byline_of_several_given_names_and_one_surname_names_each():
    authors = [person("Jane Doe"), person("Ann Doe"), person("John Doe")]
    assert parse_article(page(body="<p>By Jane, Ann and John Doe</p>")).authors == authors
    assert parse_article(page(body='<p class="byline">By Jane, Ann and John Doe</p>')).authors == authors


@pytest.mark.parametrize(
    "line,desk",
    [
        # "From our correspondent" at the story's start is the staff's byline; the place it was filed from goes.
        ("From Our Correspondent", "Our Correspondent"),
        ("From our correspondent in Paris", "Our correspondent"),
        ("From Our Own Correspondent in New York", "Our Own Correspondent"),
    ],
)
def test_a_from_our_correspondent_line_is_a_staff_byline(line, desk):
    assert clean_byline(line) == desk
    for html in (page(body=f"<p>{line}</p>"), page(body=f'<p class="byline">{line}</p>')):
        article = parse_article(html)
        assert (article.byline, article.authors) == (desk, [organisation(desk)])
    # A person's byline beside it signs the page.
    assert parse_article(page(body=f"<p>{line}</p><p>By Jane Doe</p>")).authors == [person("Jane Doe")]


@pytest.mark.parametrize("line", ["From New York City", "From Jane Doe", "From the archive"])
def test_a_line_from_a_place_or_a_person_is_no_byline(line):
    assert parse_article(page(body=f"<p>{line}</p>")).authors == [organisation("Westbury Post")]


@pytest.mark.parametrize(
    "name",
    [
        "Washington Post",
        "The Washington Post",
        "New York Times",
        "The New York Times",
        "Times of India",
        "Kingston Herald",
        "Frankfurter Rundschau",
        "Westbury Echo",
        "Daily Mail",
        "Associated Press",
        "Guardian staff",
        "BBC News",
    ],
)
def test_a_news_outlet_alone_is_an_organisation(name):
    assert is_organisation(name)
    for html in (
        page(body=f'<p class="byline">{name}</p>'),
        page(body=f"<p>By {name}</p>"),
        page(head=f'<meta name="author" content="{name}">'),
        page(head=ld_author(f'{{"@type": "Person", "name": "{name}"}}')),  # a CMS types every author a Person
    ):
        article = parse_article(html)
        assert (article.byline, article.authors) == (name, [organisation(name)])
    # A person beside it signs the page.
    body = f'<p class="byline">{name}</p><p>By Jane Doe</p>'
    assert parse_article(page(body=body)).authors == [person("Jane Doe")]


@pytest.mark.parametrize("name", ["Jane Doe", "Ana Sun", "Mira Okafor", "Jan de Vries"])
def test_a_persons_name_is_no_outlet(name):
    assert not is_organisation(name)


@pytest.mark.parametrize(
    "raw",
    ["Jane Doe (BBC News)", "Jane Doe (Washington Post)", "Jane Doe - Washington Post", "Jane Doe – Kingston Herald"],
)
def test_the_outlet_in_parentheses_or_after_a_dash_is_taken_off_the_name(raw):
    assert clean_byline(raw) == "Jane Doe"
    assert parse_article(page(body=f'<p class="byline">By {raw}</p>')).authors == [person("Jane Doe")]


@pytest.mark.parametrize(
    "line,authors",
    [
        # The outlet a person writes for after "for" is where the person works, not part of the name.
        ("By Jane Doe for The Guardian", [person("Jane Doe")]),
        ("By Jane Doe for CNN", [person("Jane Doe")]),
        ("Von Anna Weber für die Frankfurter Rundschau", [person("Anna Weber")]),
        ("By Jane Doe and John Roe for the Kingston Herald", [person("Jane Doe"), person("John Roe")]),
        # An address or a handle after the name is how to reach the person.
        ("By Jane Doe jane.doe@westbury.example", [person("Jane Doe")]),
        ("By Jane Doe, jane.doe@westbury.example", [person("Jane Doe")]),
        ("By Jane Doe (jane.doe@westbury.example)", [person("Jane Doe")]),
        ("By Jane Doe | jane.doe@westbury.example", [person("Jane Doe")]),
        ("By Jane Doe (@janedoe)", [person("Jane Doe")]),
        # A date label run into the name, where the template puts no space between two elements.
        ("By Jane DoeUpdated March 3, 2026", [person("Jane Doe")]),
        ("By Jane DoePublished March 3, 2026", [person("Jane Doe")]),
        ("By Jane Doe and John RoeUpdated 3:45 PM", [person("Jane Doe"), person("John Roe")]),
    ],
)
def test_what_a_byline_adds_after_the_name_is_no_part_of_it(line, authors):
    assert parse_article(page(body=f'<div class="byline">{line}</div>')).authors == authors
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors


def test_a_name_with_its_address_in_a_meta_tag_is_the_name():
    html = page(head='<meta name="author" content="jane.doe@westbury.example (Jane Doe)">')
    assert parse_article(html).authors == [person("Jane Doe")]
    # A mixed-case name's capitals stay ("McDonald", "JoAnne").
    assert parse_article(page(body="<p>By JoAnne McDonald</p>")).authors == [person("JoAnne McDonald")]


@pytest.mark.parametrize(
    "line,name",
    [
        # Korean and Japanese write the reporter's title after the name: the name is what comes before it.
        ("김민수 기자", "김민수"),
        ("김민수 특파원", "김민수"),
        ("김민수 기자 minsu@westbury.example", "김민수"),
        ("김민수 기자 (minsu@westbury.example)", "김민수"),
        ("山田太郎記者", "山田太郎"),
        ("山田太郎 記者", "山田太郎"),
        ("（山田太郎記者）", "山田太郎"),
    ],
)
def test_a_reporters_title_after_the_name_is_no_part_of_it(line, name):
    for html in (
        page(body=f"<p>{line}</p>"),
        page(body=f'<p class="byline">{line}</p>'),
        page(head=f'<meta name="author" content="{line}">'),
    ):
        assert parse_article(html).authors == [person(name)]


@pytest.mark.parametrize(
    "line",
    [
        "기자회견이 열렸다",  # "a press conference was held": the title opens a longer word
        "공동취재 기자단 발표",
        "山田太郎記者会見",
    ],
)
def test_a_sentence_holding_a_reporters_title_is_no_byline(line):
    assert parse_article(page(body=f"<p>{line}</p>")).authors == [organisation("Westbury Post")]


@pytest.mark.parametrize(
    "line,authors",
    [
        # Italian "di" and Russian "Текст:" before the name, as the other languages' labels.
        ("di Mario Rossi", [person("Mario Rossi")]),
        ("Di Mario Rossi e Giulia Bianchi", [person("Mario Rossi"), person("Giulia Bianchi")]),
        ("Di Luigi Di Maio", [person("Luigi Di Maio")]),
        ("Текст: Иван Петров", [person("Иван Петров")]),
        # A line that is a surname alone, or a sentence, names no author: no label was taken off.
        ("Di Maio", [organisation("Westbury Post")]),
        ("Di Maio ha detto che il governo", [organisation("Westbury Post")]),
        ("di fronte alla Camera", [organisation("Westbury Post")]),
    ],
)
def test_an_italian_or_russian_written_byline_names_the_author(line, authors):
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors


@pytest.mark.parametrize(
    "line,byline,authors",
    [
        # Greek signs "of" the author: the genitive article before the name is no part of it (the name stays as
        # written, in its case).
        ("Του Γιώργου Παπαδόπουλου", "Γιώργου Παπαδόπουλου", [person("Γιώργου Παπαδόπουλου")]),
        ("Της Μαρίας Κωνσταντίνου", "Μαρίας Κωνσταντίνου", [person("Μαρίας Κωνσταντίνου")]),
        (
            "Των Γιώργου Παπαδόπουλου και Μαρίας Κωνσταντίνου",
            "Γιώργου Παπαδόπουλου και Μαρίας Κωνσταντίνου",
            [person("Γιώργου Παπαδόπουλου"), person("Μαρίας Κωνσταντίνου")],
        ),
        # ... or "writes" with the article before the name, or "by" with the article after it.
        ("Γράφει ο Γιώργος Παπαδόπουλος", "Γιώργος Παπαδόπουλος", [person("Γιώργος Παπαδόπουλος")]),
        ("Γράφει η Μαρία Κωνσταντίνου", "Μαρία Κωνσταντίνου", [person("Μαρία Κωνσταντίνου")]),
        ("Από τον Γιώργο Παπαδόπουλο", "Γιώργο Παπαδόπουλο", [person("Γιώργο Παπαδόπουλο")]),
    ],
)
def test_a_greek_byline_names_the_author_without_its_label(line, byline, authors):
    for html in (page(body=f"<p>{line}</p>"), page(body=f'<p class="byline">{line}</p>')):
        article = parse_article(html)
        assert (article.byline, article.authors) == (byline, authors)
    assert parse_article(page(head=f'<meta name="author" content="{line}">')).authors == authors


@pytest.mark.parametrize(
    "line",
    [
        "Της Κυριακής",  # "of Sunday": one word after the article is no name
        "Του είπε ότι ο δήμος θα ψηφίσει τον προϋπολογισμό",  # "he told him that ...": a sentence
    ],
)
def test_a_greek_line_opening_with_an_article_is_no_byline_unless_it_names_someone(line):
    assert parse_article(page(body=f"<p>{line}</p>")).authors == [organisation("Westbury Post")]


@pytest.mark.parametrize(
    "html,byline,authors",
    [
        # A byline in capitals is a template's style: the name is written as names are.
        (page(body="<p>BY JANE DOE</p>"), "Jane Doe", [person("Jane Doe")]),
        (page(body='<p class="byline">BY JANE DOE</p>'), "Jane Doe", [person("Jane Doe")]),
        (page(body='<p class="byline">PAR JEAN-PAUL DE LA FONTAINE</p>'), "Jean-Paul de la Fontaine", None),
        # Joined as the outlet joins them, in small letters.
        (page(body="<p>BY SEAN O'NEIL AND JANE DOE</p>"), "Sean O'Neil and Jane Doe", None),
        # Another source's spelling, when the page gives one, wins over a guess ("McDonald", not "Mcdonald").
        (
            page(head=ld_author('{"@type": "Person", "name": "JoAnne McDonald"}'), body="<p>BY JOANNE MCDONALD</p>"),
            "JoAnne McDonald",
            [person("JoAnne McDonald")],
        ),
        # An organisation's capitals are its name.
        (page(body='<p class="byline">BBC NEWS</p>'), "BBC NEWS", [organisation("BBC NEWS")]),
    ],
)
def test_a_name_in_capitals_is_written_as_a_name(html, byline, authors):
    article = parse_article(html)
    assert article.byline == byline
    if authors is not None:
        assert article.authors == authors


@pytest.mark.parametrize(
    "line,authors",
    [
        # Written bylines in more of the forms and languages outlets use.
        ("Story by Jane Doe", [person("Jane Doe")]),
        ("Words by Jane Doe", [person("Jane Doe")]),
        ("Reporting by Jane Doe", [person("Jane Doe")]),
        ("Opinion by Jane Doe", [person("Jane Doe")]),
        ("Analysis by Jane Doe", [person("Jane Doe")]),
        ("Texte : Jean Dupont", [person("Jean Dupont")]),
        ("Escrito por Ana Ruiz", [person("Ana Ruiz")]),
        ("Scritto da Mario Rossi", [person("Mario Rossi")]),
        ("Skrevet af Lars Hansen", [person("Lars Hansen")]),
        ("Skrivet av Anna Svensson", [person("Anna Svensson")]),
        ("Kirjoittaja: Matti Virtanen", [person("Matti Virtanen")]),
        ("Reported by Jane Doe", [person("Jane Doe")]),
        ("Posted by Jane Doe on March 3, 2026", [person("Jane Doe")]),
        ("Reporter: Jane Doe", [person("Jane Doe")]),
        ("Penulis: Budi Santoso", [person("Budi Santoso")]),
        ("Reporter: Budi Santoso | Editor: Joko Widodo", [person("Budi Santoso")]),
        ("Compiled by Jane Doe", [person("Jane Doe")]),
        # The editor credited after the reporter did not write the story.
        ("Reporting by Jane Doe; Editing by John Roe", [person("Jane Doe")]),
        ("Reported by Jane Doe; Edited by John Roe", [person("Jane Doe")]),
        # Lines that only look like these are no bylines.
        ("Partenza da Roma Termini", [organisation("Westbury Post")]),
        ("Stand by Me", [organisation("Westbury Post")]),
    ],
)
def test_written_bylines_in_more_forms_name_the_author(line, authors):
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors


def test_an_editors_credit_in_a_byline_element_is_no_author():
    html = page(body='<p class="byline">Reporting by Jane Doe; Editing by John Roe</p>')
    assert parse_article(html).authors == [person("Jane Doe")]


@pytest.mark.parametrize("key", ["parsely-author", "article:author", "author", "sailthru.author"])
def test_several_meta_tags_of_one_name_are_several_authors(key):
    attr = "property" if ":" in key else "name"
    tags = f'<meta {attr}="{key}" content="Jane Doe"><meta {attr}="{key}" content="John Roe">'
    assert parse_article(page(head=tags)).authors == [person("Jane Doe"), person("John Roe")]
    # The same name twice is one author; a profile address beside a name is no second author.
    twice = f'<meta {attr}="{key}" content="Jane Doe"><meta {attr}="{key}" content="Jane Doe">'
    assert parse_article(page(head=twice)).authors == [person("Jane Doe")]
    linked = f'<meta {attr}="{key}" content="Jane Doe"><meta {attr}="{key}" content="https://social.example/jd">'
    assert parse_article(page(head=linked)).authors == [person("Jane Doe")]


@pytest.mark.parametrize(
    "line,authors",
    [
        # A wire service beside a person, however joined, signs as an organisation after the person.
        ("By Jane Doe / Associated Press", [person("Jane Doe"), organisation("Associated Press")]),
        ("By Jane Doe (Associated Press)", [person("Jane Doe"), organisation("Associated Press")]),
        ("By Jane Doe | Reuters", [person("Jane Doe"), organisation("Reuters")]),
        ("Por Ana Ruiz | EFE", [person("Ana Ruiz"), organisation("EFE")]),
        ("Por Ana Ruiz - EFE", [person("Ana Ruiz"), organisation("EFE")]),
        ("By Jane Doe — Reuters", [person("Jane Doe"), organisation("Reuters")]),
        ("By Jane Doe Associated Press", [person("Jane Doe"), organisation("Associated Press")]),
        ("By JANE DOE Associated Press", [person("Jane Doe"), organisation("Associated Press")]),
        # Another outlet beside a person is where the person works.
        ("By Jane Doe / Washington Post", [person("Jane Doe")]),
        ("By Jane Doe BBC News", [person("Jane Doe")]),
        ("By Jane Doe CNN", [person("Jane Doe")]),
        # What the person was sent as, after a comma in small letters: a role, no second name.
        ("Par Jean Dupont, envoyé spécial à Kiev", [person("Jean Dupont")]),
        ("Di Mario Rossi, inviato a Kiev", [person("Mario Rossi")]),
        ("Por Ana Ruiz, corresponsal en Londres", [person("Ana Ruiz")]),
        ("By Jane Doe and John Roe, special correspondents", [person("Jane Doe"), person("John Roe")]),
        ("Von Anna Weber, dpa", [person("Anna Weber"), organisation("dpa")]),
        # The place a story was filed from after "in".
        ("By Jane Doe in London", [person("Jane Doe")]),
        ("By Jane Doe in New York and John Roe in Berlin", [person("Jane Doe"), person("John Roe")]),
        # Names that end in such words, or a single outlet word after a name, stay as they are.
        ("By Mary Ann Post", [organisation("Mary Ann Post")]),
        ("By Jane Doe Reporter", [person("Jane Doe")]),
    ],
)
def test_an_outlet_or_a_place_beside_a_name_is_told_from_it(line, authors):
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == authors
    assert parse_article(page(body=f"<p>{line}</p>")).authors == authors


@pytest.mark.parametrize(
    "block",
    [
        '<div class="byline">By Jane Doe<br>Westbury Post</div>',
        '<div class="byline"><span>Jane Doe</span> <span>The Westbury Post</span></div>',
    ],
)
def test_a_byline_block_of_the_name_and_the_pages_own_outlet_names_the_person(block):
    assert parse_article(page(body=block)).authors == [person("Jane Doe")]


def test_a_suffix_in_small_letters_after_a_comma_is_no_role():
    assert clean_byline("By John Roe, jr.") == "John Roe, jr."
    assert clean_byline("Jean Dupont, envoyé spécial à Kiev") == "Jean Dupont"


def test_a_byline_block_of_the_name_and_the_outlet_with_its_place_names_the_person():
    body = '<div data-testid="byline-contributors"><span>Jane Doe</span><span>BBC News, London</span></div>'
    assert parse_article(page(body=body)).authors == [person("Jane Doe")]


@pytest.mark.parametrize(
    "raw,expected",
    [
        # A job title before the outlet, both after the name.
        ("Jane Doe, Reporter, BBC News", "Jane Doe"),
        ("Jane Doe, Senior Correspondent, The Kingston Herald", "Jane Doe"),
        # The name written twice (a copy for screen readers beside the visible one) is one name.
        ("By Jane Doe Jane Doe", "Jane Doe"),
        ("Jane Doe and John Roe Jane Doe and John Roe", "Jane Doe and John Roe"),
        # Not a name whose words repeat otherwise.
        ("Jane Jane", "Jane Jane"),
        # A job title with the beat or rank before it, with or without a comma (a line break in the element).
        ("Jane Doe Political Editor", "Jane Doe"),
        ("Jane Doe, Chief Political Correspondent", "Jane Doe"),
        ("Jane Doe Senior Political Correspondent", "Jane Doe"),
        ("Jane Doe, Health and Science Correspondent", "Jane Doe"),
        ("Jane Doe, Deputy Business Editor", "Jane Doe"),
        ("Jane Doe, Political Editor, Westbury Herald", "Jane Doe"),
        ("By Jane Doe, Political Editor | Published March 3, 2026", "Jane Doe"),
    ],
)
def test_what_a_byline_element_holds_beside_the_name_is_taken_off(raw, expected):
    assert clean_byline(raw) == expected
    assert parse_article(page(body=f'<div class="byline">{raw}</div>')).byline == expected


@pytest.mark.parametrize(
    "line,authors",
    [
        # Outlets by their shape: "The" before a name, an acronym opening it, staff titles after the outlet's name.
        ("The Hindu", [organisation("The Hindu")]),
        ("Die Zeit", [organisation("Die Zeit")]),
        ("BBC Sport", [organisation("BBC Sport")]),
        ("CNN Wire", [organisation("CNN Wire")]),
        ("Times Staff Writer", [organisation("Times Staff Writer")]),
        ("Daily Mail Reporter", [organisation("Daily Mail Reporter")]),
        # Agencies in general, and a wire service "with" a person, sign beside the person.
        ("Jane Doe and agencies", [person("Jane Doe"), organisation("agencies")]),
        ("Jane Doe with AP", [person("Jane Doe"), organisation("AP")]),
        ("Jean Dupont avec AFP", [person("Jean Dupont"), organisation("AFP")]),
        ("Anna Weber mit dpa", [person("Anna Weber"), organisation("dpa")]),
        # People keep theirs: initials before a surname, a title after a name, a particle opening a surname.
        ("AJ Jones", [person("AJ Jones")]),
        ("Jane Doe, Times Staff Writer", [person("Jane Doe")]),
        ("Le Pen", [person("Le Pen")]),
    ],
)
def test_an_organisation_is_told_by_its_shape(line, authors):
    assert parse_article(page(body=f'<div class="byline">{line}</div>')).authors == authors
    assert parse_article(page(head=f'<meta name="author" content="{line}">')).authors == authors


@pytest.mark.parametrize(
    "line,names",
    [
        # A comma before the last "and" (the serial comma of American style guides) joins the last name like the rest.
        ("By Jane Roe, John Smith, and Ana Ruiz", ["Jane Roe", "John Smith", "Ana Ruiz"]),
        ("Jane Roe, John Smith, & Ana Ruiz", ["Jane Roe", "John Smith", "Ana Ruiz"]),
        ("Jane Roe, and John Smith", ["Jane Roe", "John Smith"]),
    ],
)
def test_a_comma_before_the_last_and_keeps_the_last_name(line, names):
    assert split_names(clean_byline(line)) == names
    links = [f'<a href="/author/{n.lower().replace(" ", "-")}/">{n}</a>' for n in names]
    html = page(body=f'<div class="byline">By {", ".join(links[:-1])}, and {links[-1]}</div>')
    assert parse_article(html).authors == [person(n) for n in names]


AS_JSON_LD_LIST = '[{"@type": "Person", "name": "Jane Roe"}, {"@type": "Organization", "name": "Reuters"}]'


@pytest.mark.parametrize(
    "html,line",
    [
        (page(body='<p class="byline">By Jane Roe, Reuters</p>'), "Jane Roe, Reuters"),
        (page('<meta name="author" content="Jane Roe, Reuters">'), "Jane Roe, Reuters"),
        # Listed apart, nothing the outlet wrote joins them: "; ", as between names in elements of their own.
        (page(ld_author(AS_JSON_LD_LIST)), "Jane Roe; Reuters"),
        (page(ld_author('["Jane Roe", "Reuters"]')), "Jane Roe; Reuters"),
        (
            page(ld_author('[{"@type": "Organization", "name": "Reuters"}, {"@type": "Person", "name": "Jane Roe"}]')),
            "Jane Roe; Reuters",
        ),
        # One tag per signature, as Parse.ly and some CMSs write them.
        (page('<meta name="author" content="Jane Roe"><meta name="author" content="Reuters">'), "Jane Roe; Reuters"),
    ],
)
def test_a_person_and_a_wire_service_sign_together_whatever_the_source(html, line):
    # The wire service is the second signature (the agency whose copy it is), kept after the person, as it is in a
    # visible byline; JSON-LD and meta tags listing them apart dropped it.
    article = parse_article(html)
    assert article.authors == [person("Jane Roe"), organisation("Reuters")]
    assert article.byline == line


def test_a_json_ld_list_keeps_its_people_and_wire_and_leaves_the_outlet_they_work_for():
    ld = (
        '[{"@type": "Person", "name": "Jane Roe"}, {"@type": "Person", "name": "John Smith"},'
        ' {"@type": "Organization", "name": "AFP"}]'
    )
    assert parse_article(page(ld_author(ld))).authors == [person("Jane Roe"), person("John Smith"), organisation("AFP")]
    # The outlet a person writes for is where they work, not a second signature: the page's own, or another.
    for outlet in ("Westbury Post", "Kingston Herald"):
        listed = f'[{{"@type": "Person", "name": "Jane Roe"}}, {{"@type": "Organization", "name": "{outlet}"}}]'
        assert parse_article(page(ld_author(listed))).authors == [person("Jane Roe")]
    both = (
        '[{"@type": "Person", "name": "Jane Roe"}, {"@type": "Person", "name": "John Smith"},'
        ' {"@type": "NewsMediaOrganization", "name": "Kingston Herald"}]'
    )
    assert parse_article(page(ld_author(both))).authors == [person("Jane Roe"), person("John Smith")]


EMILY_POST_NAMED_IN_PARTS = [
    # The CMS's profile gives the name's parts: a given name and a surname are a person's, whatever the surname.
    page(ld_author('{"@type": "Person", "name": "Emily Post", "givenName": "Emily", "familyName": "Post"}')),
    page(
        ld_author('{"@type": "Person", "name": "Emily Post", "givenName": "Emily", "familyName": "Post"}'),
        "<p>By Emily Post</p>",
    ),
    # hCard's name parts in a WordPress theme's byline, and schema.org microdata's.
    page(
        body='<span class="byline">by <span class="author vcard"><a class="url fn n" href="/author/emily/">'
        '<span class="given-name">Emily</span> <span class="family-name">Post</span></a></span></span>'
    ),
    page(
        body='<div itemprop="author" itemscope itemtype="https://schema.org/Person">By <span itemprop="givenName">'
        'Emily</span> <span itemprop="familyName">Post</span></div>'
    ),
]


@pytest.mark.parametrize("html", EMILY_POST_NAMED_IN_PARTS)
def test_a_name_given_in_a_persons_parts_is_a_person_despite_an_outlets_word(html):
    assert parse_article(html).authors == [person("Emily Post")]


@pytest.mark.parametrize(
    "html,authors",
    [
        # An initial between the names: outlets' names have none.
        (page(body="<p>By Emily J. Post</p>"), [person("Emily J. Post")]),
        (page(ld_author('{"@type": "Person", "name": "Emily J. Post"}')), [person("Emily J. Post")]),
        # Without such a sign the name still reads as the outlet it is shaped as; an outlet given in parts is still one.
        (page(body="<p>By Emily Post</p>"), [organisation("Emily Post")]),
        (page(body="<p>By St. Louis Post</p>"), [organisation("St. Louis Post")]),
        (
            page(ld_author('{"@type": "Person", "name": "Daily Mail", "givenName": "Daily", "familyName": "Mail"}')),
            [organisation("Daily Mail")],
        ),
    ],
)
def test_an_initial_between_the_names_is_a_persons_sign(html, authors):
    assert parse_article(html).authors == authors


@pytest.mark.parametrize("line", ["Business Insider", "Politico", "Axios", "Reader's Digest", "Newsweek"])
def test_an_outlet_named_by_the_words_a_story_credits_outlets_with_is_an_organisation(line):
    # The words bylines and a story's sentences tell outlets by are one list (scrapers.outletwords): these were read
    # as outlets in a sentence ("according to Business Insider") and as people in a byline.
    assert parse_article(page(body=f'<p class="byline">By {line}</p>')).authors == [organisation(line)]
    assert parse_article(page(body=f'<p class="byline">By Jane Roe, {line}</p>')).authors == [person("Jane Roe")]


def test_outlets_words_of_bylines_and_of_sentences_share_one_list():
    from scrapers.article.names import OUTLET_WORDS as BYLINE_OUTLET_WORDS
    from scrapers.outletwords import OUTLET_NAME_WORDS
    from tracker.attribution import OUTLET_WORDS as SENTENCE_OUTLET_WORDS

    assert OUTLET_NAME_WORDS <= SENTENCE_OUTLET_WORDS
    assert all(BYLINE_OUTLET_WORDS.fullmatch(word) for word in OUTLET_NAME_WORDS)


def test_several_names_in_capitals_before_a_wire_service_are_people_and_the_wire_signs_beside_them():
    # AP's style: the names in capitals, the agency after them with nothing between; one name was read, two were not.
    html = page(body='<div class="byline">By JANE ROE and JOHN SMITH Associated Press</div>')
    assert parse_article(html).authors == [person("Jane Roe"), person("John Smith"), organisation("Associated Press")]


@pytest.mark.parametrize("label", ["Written by", "Verfasst von", "Écrit par", "Escrito por"])
def test_yoasts_written_by_twitter_label_names_the_author(label):
    # Yoast SEO writes the author as a labelled Twitter card field; the label says which field is the author.
    head = f'<meta name="twitter:label1" content="{label}"><meta name="twitter:data1" content="Jane Roe">'
    assert parse_article(page(head)).authors == [person("Jane Roe")]
    reading = '<meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="3 minutes">'
    assert parse_article(page(reading)).authors == [organisation("Westbury Post")]


@pytest.mark.parametrize(
    "html,wire",
    [
        (page(body='<p class="byline">By Jane Roe, The Associated Press</p>'), "The Associated Press"),
        (page(body='<p class="byline">By Jane Roe The Associated Press</p>'), "The Associated Press"),
        (page(body='<p class="byline">By Jane Roe, The Canadian Press</p>'), "The Canadian Press"),
        (page(body='<p class="byline">By Jane Roe, Press Trust of India</p>'), "Press Trust of India"),
        (
            page(
                ld_author(
                    '[{"@type": "Person", "name": "Jane Roe"},'
                    ' {"@type": "Organization", "name": "The Associated Press"}]'
                )
            ),
            "The Associated Press",
        ),
    ],
)
def test_a_wire_service_by_its_full_name_with_the_signs_beside_the_person(html, wire):
    # Agencies are written with "The" as often as without ("The Associated Press"); with it, the agency was taken for
    # the outlet the person works for and dropped, or glued to the name ("Jane Roe The").
    assert parse_article(html).authors == [person("Jane Roe"), organisation(wire)]


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Roe, Staff Writer, and John Smith, Correspondent",
        "By Jane Roe, Staff Writer and John Smith, Senior Correspondent",
        "Jane Roe - Reporter and John Smith - Editor",
    ],
)
def test_a_job_title_after_each_of_several_names_is_taken_off(line):
    # A title was taken off only at the end of the line: the first name kept its title and was read as a desk.
    assert clean_byline(line) == "Jane Roe and John Smith"
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == [
        person("Jane Roe"),
        person("John Smith"),
    ]


def test_a_title_joined_to_another_title_is_not_a_second_name():
    assert clean_byline("Jane Roe, Reporter and Editor") == "Jane Roe"


@pytest.mark.parametrize(
    "html,line",
    [
        # A name field's own wording is the outlet's, as a visible line's is.
        (page('<meta name="author" content="Jane Roe and John Smith">'), "Jane Roe and John Smith"),
        (page(ld_author('{"@type": "Person", "name": "Jane Roe & John Smith"}')), "Jane Roe & John Smith"),
        # Listed apart, the names are joined as the corpus's gold and the visible card layouts are: "; ".
        (
            page(ld_author('[{"@type": "Person", "name": "Jane Roe"}, {"@type": "Person", "name": "John Smith"}]')),
            "Jane Roe; John Smith",
        ),
        # A visible line wins over a name field's wording.
        (
            page(
                '<meta name="author" content="Jane Roe, John Smith">',
                '<p class="byline">By Jane Roe and John Smith</p>',
            ),
            "Jane Roe and John Smith",
        ),
    ],
)
def test_the_byline_line_keeps_the_outlets_wording_from_any_source(html, line):
    assert parse_article(html).byline == line


@pytest.mark.parametrize(
    "line,names",
    [
        ("Par Jean Dupont, envoyé spécial à Kiev, et Marie Curie", ["Jean Dupont", "Marie Curie"]),
        ("Di Mario Rossi, inviato a Kiev, e Luca Bianchi, corrispondente", ["Mario Rossi", "Luca Bianchi"]),
        ("Por Ana Ruiz, corresponsal en Londres y Camila Rojas", ["Ana Ruiz", "Camila Rojas"]),
    ],
)
def test_a_role_after_each_of_several_names_is_taken_off(line, names):
    # A role in small letters was taken off only after the last name; after another it stayed on the name.
    assert parse_article(page(body=f'<p class="byline">{line}</p>')).authors == [person(n) for n in names]
