"""Clinical sign-off: recorded against the text approved, stale after any edit, required when configured."""

from __future__ import annotations

from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import approval
from careleaf.model import project as project_settings
from careleaf.model.content import Library, read_page
from conftest import CARELEAF_SETTINGS, copy_project, edit, line_of, mkdocs_build

TODAY = "2026-11-20"
ARTICLES = (
    "broken-finger-closed",
    "finger-dislocation",
    "muscle-spasm",
    "open-finger-fracture",
    "possible-wrist-fracture",
)


def run(tree, capsys, *args):
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "validate", "--today", TODAY, *args])
    return code, capsys.readouterr().out


def approve(tree, slug, capsys):
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "approve", slug, "--by", "Dana Ortiz, MD", "--date", "2026-11-19"])
    capsys.readouterr()
    return code


def require_approval(tree):
    config = tree / "mkdocs.yml"
    if "clinical_review:\n        required: false" in config.read_text(encoding="utf-8"):  # the real mkdocs.yml
        edit(config, "clinical_review:\n        required: false", "clinical_review:\n        required: true")
    else:
        edit(config, CARELEAF_SETTINGS, CARELEAF_SETTINGS + "      clinical_review:\n        required: true\n")


def test_an_article_nobody_approved_is_pending_and_says_so_in_the_report(small_tree, capsys):
    code, out = run(small_tree, capsys, "--report")
    assert code == 0, out
    assert approval.status(read_page(small_tree / "docs/en/finger.md", "en")) == approval.PENDING
    assert [line.split()[-1] for line in out.splitlines() if line.startswith("finger ")] == ["pending", "-"]


def test_approving_records_who_when_and_the_revision_approved(small_tree, capsys):
    assert approve(small_tree, "finger", capsys) == 0
    page = read_page(small_tree / "docs/en/finger.md", "en")
    block = page.meta["clinical_review"]
    assert (block["approved_by"], str(block["date"])) == ("Dana Ortiz, MD", "2026-11-19")
    assert block["revision"] == page.source_revision()
    assert approval.status(page) == approval.APPROVED
    # Approval is front matter, not text: the Spanish translation does not go stale with it.
    code, out = run(small_tree, capsys, "--strict")
    assert code == 0, out


def test_an_edit_after_approval_makes_it_stale(small_tree, capsys):
    approve(small_tree, "finger", capsys)
    path = small_tree / "docs/en/finger.md"
    edit(path, "Rest your hand.", "Rest your hand for two days.")
    assert approval.status(read_page(path, "en")) == approval.STALE
    code, out = run(small_tree, capsys)
    assert (
        f"docs/en/finger.md:{line_of(path, 'clinical_review:')}: warning: approved by Dana Ortiz, MD on 2026-11-19 for "
        'an earlier text: a clinician reviews the changes, then careleaf approve finger --by "Name, credential" '
        "[clinical-review-stale]"
    ) in out


def test_readers_are_warned_until_approval_and_again_after_an_edit_in_every_language(small_tree, capsys):
    def warned() -> dict[str, bool]:
        library = Library.load(project_settings.load(small_tree / "mkdocs.yml"))
        return {lang: approval.readers_are_warned(library, library.get("finger", lang)) for lang in ("en", "es")}

    assert warned() == {"en": True, "es": True}
    approve(small_tree, "finger", capsys)
    assert warned() == {"en": False, "es": False}
    edit(small_tree / "docs/en/finger.md", "Rest your hand.", "Rest your hand for two days.")
    assert warned() == {"en": True, "es": True}
    library = Library.load(project_settings.load(small_tree / "mkdocs.yml"))
    assert approval.readers_are_warned(library, library.get("index", "en")) is False  # the home page is no article


def test_when_required_a_pending_or_stale_article_is_an_error(small_tree, capsys):
    require_approval(small_tree)
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "docs/en/finger.md:1: error: no clinician has approved this article" in out
    assert "docs/en/wrist.md:1: error: no clinician has approved this article" in out
    for slug in ("finger", "wrist"):
        approve(small_tree, slug, capsys)
    assert run(small_tree, capsys, "--strict")[0] == 0


def test_a_malformed_approval_and_an_approval_on_a_translation_are_errors(small_tree, capsys):
    edit(small_tree / "docs/en/finger.md", "reviewed:", "clinical_review: yes\nreviewed:")
    edit(small_tree / "docs/es/finger.md", "reviewed:", "clinical_review: {approved_by: X}\nreviewed:")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        "docs/en/finger.md:" in out and "'clinical_review' must be a mapping with approved_by, date and revision" in out
    )
    assert "clinical approval belongs on the English page (careleaf approve) [clinical-review]" in out


def test_approve_refuses_what_it_cannot_approve(small_tree, capsys):
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "approve", "elbow", "--by", "A, MD"]) == 2
    assert "no English article en/elbow.md" in capsys.readouterr().err
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "approve", "finger", "--by", " "]) == 2


def test_with_approval_required_the_publishing_build_refuses_until_approved_and_again_after_an_edit(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    require_approval(project)
    refused = mkdocs_build(project, tmp_path / "site", handouts=False)
    assert refused.returncode != 0
    assert "docs/en/muscle-spasm.md:1: error: no clinician has approved this article" in refused.stderr
    for slug in ARTICLES:
        assert approve(project, slug, capsys) == 0
    assert mkdocs_build(project, tmp_path / "site", handouts=False).returncode == 0
    # Approved: readers no longer see the pending notice, in English or in a translation.
    for page in ("muscle-spasm/index.html", "es/muscle-spasm/index.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "careleaf-notice--clinical" not in html and 'class="care-card' in html
    path = project / "docs" / "en" / "muscle-spasm.md"
    edit(path, "\n## ", "\nA new sentence.\n\n## ")
    stale = mkdocs_build(project, tmp_path / "site", handouts=False)
    assert stale.returncode != 0
    assert (
        f"docs/en/muscle-spasm.md:{line_of(path, 'clinical_review:')}: error: approved by Dana Ortiz, MD"
        in stale.stderr
    )


def test_the_setting_is_true_or_false(small_tree, capsys):
    edit(
        small_tree / "mkdocs.yml",
        CARELEAF_SETTINGS,
        CARELEAF_SETTINGS + "      clinical_review:\n        required: yes please\n",
    )
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "validate", "--today", TODAY]) == 2
    assert "plugins.careleaf.clinical_review.required: must be true or false" in capsys.readouterr().err
