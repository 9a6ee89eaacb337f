"""Only safe markup reaches a page: what an editor pastes is judged on the HTML it renders to."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis.strategies import lists, one_of, sampled_from, text

from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import markup
from careleaf.model import project as project_settings
from conftest import ROOT, copy_project, edit, line_of, mkdocs_build

TODAY = "2026-11-20"


def run(tree, capsys, *args):
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "validate", "--today", TODAY, *args])
    return code, capsys.readouterr().out


def paste(path, snippet: str) -> int:
    """Paste `snippet` into an article's body as a paragraph of its own; the line it starts on."""
    edit(path, "Rest your hand.", f"Rest your hand.\n\n{snippet}")
    return line_of(path, snippet.split("\n")[0])


# What editors were seen pasting, and worse: each is refused at its own line.
UNSAFE = {
    "script element": ("<script>alert(1)</script>", "unsafe-html", "<script> runs a script"),
    "video iframe": (
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
        "unsafe-html",
        "<iframe> embeds another site",
    ),
    "image error handler": (
        "<img src=x onerror=alert(1)>",
        "unsafe-html",
        "'onerror' attribute on <img> runs a script",
    ),
    "image from another host": (
        "![X-ray](https://images.example.com/xray.png)",
        "unsafe-url",
        "<img> loads 'https://images.example.com/xray.png' from another address",
    ),
    "protocol-relative image": ("![pixel](//tracker.example/p.gif)", "unsafe-url", "from another address"),
    "tracking pixel in HTML": (
        '<img src="https://tracker.example/p.gif" width="1" height="1">',
        "unsafe-html",
        "<img> is not allowed in articles",
    ),
    "javascript link": ("[Call us](javascript:alert(1))", "unsafe-url", "a 'javascript:' link is not allowed"),
    "encoded javascript link": (
        "[Call us](&#106;avascript:alert(1))",
        "unsafe-url",
        "a 'javascript:' link is not allowed",
    ),
    # Found at the line that holds the address.
    "reference-style javascript link": (
        "[Call us][x]\n\n[x]: JavaScript:alert(1)",
        "unsafe-url",
        "'javascript:' link",
        "[x]: JavaScript",
    ),
    "vbscript link": ("[Call us](vbscript:msgbox)", "unsafe-url", "a 'vbscript:' link is not allowed"),
    "data link": ("[Open](data:text/html;base64,PHNjcmlwdD4=)", "unsafe-url", "a 'data:' link is not allowed"),
    "object": ('<object data="https://example.com/x.swf"></object>', "unsafe-html", "<object> embeds a plug-in"),
    "embed": ('<embed src="https://example.com/x.swf">', "unsafe-html", "<embed> embeds a plug-in"),
    "form": (
        '<form action="https://example.com/collect"><input name="mrn"></form>',
        "unsafe-html",
        "<form> sends what a reader types",
    ),
    "style element": (
        "<style>body { background: url(https://tracker.example/p.gif) }</style>",
        "unsafe-html",
        "<style> changes the page's styles",
    ),
    "style attribute": (
        '<span style="background: url(https://tracker.example/p.gif)">text</span>',
        "unsafe-html",
        "'style' attribute is not allowed on <span>",
    ),
    "stylesheet link": (
        '<link rel="stylesheet" href="https://cdn.example/x.css">',
        "unsafe-html",
        "<link> loads a file",
    ),
    "svg with handler": ('<svg onload="alert(1)"></svg>', "unsafe-html", "<svg> can run scripts"),
    "event handler by attr_list": (
        'A paragraph.\n{: onmouseover="alert(1)" }',
        "unsafe-html",
        "'onmouseover' attribute on <p> runs a script",
        "{: onmouseover",
    ),
    "allowed tag, event handler": (
        '<span lang="en" onclick="alert(1)">MRI</span>',
        "unsafe-html",
        "'onclick' attribute on <span> runs a script",
    ),
    "clobbering Material's config": (
        "A paragraph.\n{: #__config }",
        "unsafe-html",
        "the id '__config' is reserved",
        "{: #__config",
    ),
    "imitating a red-flag card": (
        "A paragraph.\n{: .care-card .care-card--emergency }",
        "unsafe-html",
        "belongs to the site's own components",
        "{: .care-card",
    ),
}


@pytest.mark.parametrize("name", list(UNSAFE))
def test_unsafe_content_is_an_error_at_its_line(small_tree, capsys, name):
    snippet, code_name, message, *where = UNSAFE[name]
    path = small_tree / "docs/en/finger.md"
    line = paste(path, snippet)
    line = line_of(path, where[0]) if where else line
    code, out = run(small_tree, capsys)
    assert code == 1, out
    matching = [row for row in out.splitlines() if row.startswith("docs/en/finger.md:") and f"[{code_name}]" in row]
    assert any(row.startswith(f"docs/en/finger.md:{line}: error: ") and message in row for row in matching), out


def test_markup_the_content_needs_is_accepted(small_tree, capsys):
    path = small_tree / "docs/es/finger.md"
    paste(
        path,
        '<span lang="en">MRI</span> <abbr title="resonancia magnética">RM</abbr> <bdi dir="ltr">38 °C</bdi><br>'
        "**Llame** al médico, *no* espere. H<sub>2</sub>O, m<sup>2</sup> <!-- nota del traductor -->\n\n"
        "[NHS](https://www.nhs.uk/) [correo](mailto:care@example.org) [teléfono](tel:18005550142) "
        "[otra página](wrist.md#home-care) ![Una férula](../assets/splint.png)\n\n"
        "| Medicina | Dosis |\n|:--|--:|\n| paracetamol | 500 mg |",
    )
    code, out = run(small_tree, capsys)
    assert code == 0, out
    assert "unsafe" not in out


@pytest.mark.parametrize(
    "value, scheme",
    [
        ("javascript:alert(1)", "javascript"),
        (" \x01JaVaScRiPt:alert(1)", "javascript"),
        ("java\tscr\nipt:x", "javascript"),
        ("https://nhs.uk", "https"),
        ("wrist.md", None),
        ("../a/b.png", None),
        ("#red-flags", None),
        ("/x:y", None),
    ],
)
def test_url_scheme_is_read_as_a_browser_reads_it(value, scheme):
    assert markup.url_scheme(value) == scheme


def test_markup_in_a_title_is_an_error(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    edit(path, "title: Wrist", 'title: "Wrist<img src=x onerror=alert(1)>"')
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/en/wrist.md:{line_of(path, 'title:')}: error: 'title': markup (<img>) is not allowed here: "
        "write plain text [unsafe-html]"
    ) in out


def test_markup_in_a_locale_string_or_glossary_definition_is_an_error(small_tree, capsys):
    locale = small_tree / "locales/es.yml"
    text = locale.read_text(encoding="utf-8")
    key_line = next(number for number, row in enumerate(text.splitlines(), start=1) if row.startswith("site_name:"))
    rows = text.splitlines()
    rows[key_line - 1] = 'site_name: "Biblioteca <script src=https://t.example/x.js></script>"'
    locale.write_text("\n".join(rows) + "\n", encoding="utf-8")
    glossary = small_tree / "locales/glossary/es.yml"
    edit(glossary, "Una de las cinco", "<b onclick=x>Una</b> de las cinco")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert f"locales/es.yml:{key_line}: error: 'site_name': markup (<script>) is not allowed here" in out
    assert "locales/glossary/es.yml:1: error: 'finger.definition': markup (<b>) is not allowed here" in out


# One language after another, the check runs first; in parallel, alongside the languages.
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_build_refuses_unsafe_content_naming_file_and_line(tmp_path, jobs):
    project = copy_project(tmp_path / "project")
    path = project / "docs" / "vi" / "muscle-spasm.md"
    text = path.read_text(encoding="utf-8")
    anchor = text.index("\n## ")
    path.write_text(
        text[:anchor] + '\n\n<iframe src="https://www.youtube.com/embed/abc"></iframe>\n' + text[anchor:],
        encoding="utf-8",
    )
    result = mkdocs_build(project, tmp_path / "site", strict=False, CARELEAF_JOBS=jobs, handouts=False)
    assert result.returncode != 0
    assert f"docs/vi/muscle-spasm.md:{line_of(path, '<iframe')}: error: <iframe> embeds another site" in result.stderr
    assert not (tmp_path / "site" / "vi" / "muscle-spasm" / "index.html").exists()


# ---------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative, named, suggestion",
    [
        ("docs/en/Muscle Spasm copy.md", "Muscle Spasm copy.md", "muscle-spasm-copy.md"),
        ("docs/es/finger_old.md", "finger_old.md", "finger-old.md"),
        ("docs/en/wrist.md~", "wrist.md~", "wrist.md"),
        ("docs/en/Images/splint.png", "Images", "images"),
        ("docs/es/férula.md", "férula.md", "ferula.md"),
    ],
)
def test_a_file_not_named_in_lowercase_words_and_hyphens_is_an_error(small_tree, capsys, relative, named, suggestion):
    path = small_tree / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".png":
        from PIL import Image

        Image.new("RGB", (40, 30), "white").save(path)  # a real image: only its name is wrong
    else:
        path.write_bytes((small_tree / "docs/en/finger.md").read_bytes())
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"{relative}:1: error: '{named}' is not a valid name: use lowercase letters a-z, digits and hyphens "
        f"(e.g. '{suggestion}'); every file under docs/ becomes a web address [file-name]"
    ) in out
    # The copy is not read as an article: it brings no other errors with it.
    assert out.count(": error: ") == 1, out


def test_hidden_files_are_not_judged(small_tree, capsys):
    (small_tree / "docs/en/.DS_Store").write_bytes(b"\x00\x01binary")
    (small_tree / "docs/en/.finger.md.swp").write_bytes(b"\x00")
    code, out = run(small_tree, capsys)
    assert code == 0, out


def test_the_build_refuses_a_copy_saved_under_another_name(tmp_path):
    project = copy_project(tmp_path / "project")
    source = project / "docs" / "en" / "muscle-spasm.md"
    (project / "docs" / "en" / "Muscle Spasm copy.md").write_bytes(source.read_bytes())
    result = mkdocs_build(project, tmp_path / "site", strict=False, handouts=False)
    assert result.returncode != 0
    assert "docs/en/Muscle Spasm copy.md:1: error: 'Muscle Spasm copy.md' is not a valid name" in result.stderr


# ---------------------------------------------------------------------------
# Signs a reader can see
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sign", ["<!-- removed -->", "", "   ", "**  **", '<span lang="en"></span>', "[ ](wrist.md)", "- -"]
)
def test_a_sign_that_renders_as_nothing_is_an_error(small_tree, capsys, sign):
    path = small_tree / "docs/en/finger.md"
    edit(path, "    - your finger is cold or blue\n", f"    - {sign}\n")
    line = line_of(path, "!!! emergency") + 3
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/en/finger.md:{line}: error: a sign in the 'emergency' card shows a reader nothing (empty, a comment "
        "or only markup): write the sign or remove the line [tier-sign-empty]"
    ) in out


def test_parity_counts_only_signs_a_reader_can_see(small_tree, capsys):
    path = small_tree / "docs/es/finger.md"
    edit(path, "    - el dedo está frío o azul\n", "    - <!-- el dedo está frío o azul -->\n")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/es/finger.md:{line_of(path, '!!! emergency')}: error: the 'emergency' card has 1 sign(s) here but 2 in "
        "docs/en/finger.md"
    ) in out
    assert "[tier-sign-empty]" in out


def test_a_sign_with_words_and_a_comment_is_a_sign(small_tree, capsys):
    path = small_tree / "docs/es/finger.md"
    edit(path, "el dedo está frío o azul", "el dedo está frío o azul <!-- revisar -->")
    code, out = run(small_tree, capsys)
    assert code == 0, out


def test_text_too_deep_to_render_is_one_clear_line(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    paste(path, "- " * 3000 + "deep")
    code, out = run(small_tree, capsys)
    assert code == 1
    # Where the nesting is cannot be known: the article's first line of text, and what to look for.
    assert (
        f"docs/en/wrist.md:{line_of(path, 'Intro text')}: error: the text nests too deeply to render "
        "(hundreds of '>' or list levels?) [render-failed]"
    ) in out


# ---------------------------------------------------------------------------
# Texts that need no rendering to be judged
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(UNSAFE))
def test_no_unsafe_paste_passes_for_plain_text(name):
    assert not markup.renders_only_plain_markup(f"Rest your hand.\n\n{UNSAFE[name][0]}\n")


def test_the_red_flag_heading_and_tier_markers_stay_plain_but_what_they_hide_does_not():
    assert markup.renders_only_plain_markup("## When to get help {#red-flags}\n\n!!! emergency\n\n    - a sign\n")
    assert not markup.renders_only_plain_markup("## <img src=x onerror=y> {#red-flags}\n")
    assert not markup.renders_only_plain_markup("!!! care-card\n\n    - an imitation\n")
    assert not markup.renders_only_plain_markup("## __config\n")
    assert not markup.renders_only_plain_markup("- " * 30 + "too deep to be sure\n")


RENDER = markup.renderer(project_settings.load(ROOT / "mkdocs.yml"))
# The characters that end the shortcut are in the alphabet too: a looser shortcut would be caught.
PLAIN_ALPHABET = "abcé中ع 1234567890\n\t#*-_+=|:;.,'\"`~()>/\\%&?$@^}]<[{!"


# Pieces of Markdown that make markup, mixed into random text.
MARKUP_PIECES = [
    "<script>x()</script>",
    "<b>",
    "[a](javascript:x)",
    "![a](//t.example/p.gif)",
    "\n{: onclick=x }\n",
    "\n!!! care-card\n\n    - x\n",
    "\n## __config\n",
    "\n## x {#red-flags}\n",
    "\n!!! urgent\n",
    "&#60;script&#62;",
    "\n```\n<i>\n```\n",
    "\n    <code>\n",
    "<https://t.example>",
    "\n- - - x\n",
]


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(lists(one_of(text(alphabet=PLAIN_ALPHABET, max_size=40), sampled_from(MARKUP_PIECES)), max_size=12).map("".join))
def test_what_is_taken_for_plain_markup_renders_to_nothing_unsafe(sample):
    # The shortcut is sound: any text it lets through, rendered and judged in full, is clean.
    assume(markup.renders_only_plain_markup(sample))
    assert markup.article_problems(sample, RENDER, shortcut=False) == []
